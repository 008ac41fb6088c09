# foundation
from . import test_foundation

# key accounts
from . import test_keyaccounts_classification
from . import test_keyaccounts_tour

# dossiers

# tenders

# KPI rules

# proposals and service

# quality
