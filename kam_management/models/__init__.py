# foundation
from . import res_partner
from . import res_users

# key accounts
from . import kam_classification_policy
from . import kam_key_reason
from . import kam_partner_key_reason
from . import kam_account_plan
from . import kam_account_plan_competitor
from . import kam_account_objective
from . import kam_health_factor
from . import kam_health_score
from . import res_company
from . import res_config_settings
from . import sale_order
from . import mail_activity

# dossiers

# tenders

# KPI rules

# proposals and service
