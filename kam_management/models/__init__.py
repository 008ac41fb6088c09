# foundation
from . import res_partner
from . import res_users

# key accounts
from . import kam_classification_policy

# dossiers

# tenders
from . import res_company
from . import kam_tender_stage
from . import kam_tender_procedure
from . import kam_tender_loss_reason
from . import kam_tender_milestone_template
from . import kam_tender_milestone_template_line
from . import kam_tender_document_template
from . import kam_tender_document_template_line
from . import kam_tender
from . import kam_tender_milestone
from . import kam_tender_bid
from . import kam_tender_document
from . import kam_tender_guarantee
from . import crm_lead
from . import sale_order

# KPI rules

# proposals and service
