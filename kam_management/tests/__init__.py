# foundation
from . import test_foundation

# key accounts

# dossiers

# tenders
from . import test_tenders_models
from . import test_tenders_access

# KPI rules

# proposals and service

# quality
