# foundation
from . import res_partner
from . import res_users

# key accounts
from . import kam_classification_policy

# dossiers

# tenders

# KPI rules

# proposals and service
