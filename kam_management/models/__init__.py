# foundation
from . import res_partner
from . import res_users

# key accounts
from . import kam_classification_policy

# dossiers

# tenders

# KPI rules

# proposals and service
from . import res_company
from . import res_config_settings
from . import kam_followup_sequence
from . import kam_followup_step
from . import kam_proposal_member
from . import kam_claim_stage
from . import kam_claim_category
from . import kam_claim_severity
from . import kam_claim
from . import kam_whitespace_cell
from . import kam_referral
from . import mail_activity
from . import sale_order
from . import crm_lead
