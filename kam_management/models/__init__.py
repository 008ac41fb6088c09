# foundation
from . import res_partner
from . import res_users

# key accounts
from . import kam_classification_policy

# dossiers
from . import kam_decision_role
from . import kam_professional_holiday
from . import kam_dossier
from . import kam_dossier_member
from . import kam_deal_role
from . import kam_deal_role_mixin
from . import kam_personal_data_log
from . import kam_greeting_log
from . import crm_lead
from . import sale_order
from . import res_config_settings

# tenders

# KPI rules

# proposals and service
