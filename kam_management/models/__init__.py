# foundation
from . import res_partner
from . import res_users

# key accounts
from . import kam_classification_policy

# dossiers

# tenders

# KPI rules
from . import res_company
from . import res_config_settings
from . import kam_kpi_rule
from . import kam_kpi_target
from . import kam_kpi_result
from . import kam_monthly_report
from . import kam_attestation
from . import kam_commission_plan
from . import kam_commission_plan_tier
from . import kam_commission_plan_step
from . import kam_commission_line

# proposals and service
