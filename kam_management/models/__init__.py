# foundation
from . import res_partner
from . import res_users

# key accounts
from . import kam_classification_policy
from . import kam_classification_run
from . import kam_classification_line

# dossiers

# tenders

# KPI rules

# proposals and service
