# foundation
from . import test_foundation

# key accounts

# dossiers

# tenders
from . import test_tenders_models
from . import test_tenders_access
from . import test_tenders_tour

# KPI rules

# proposals and service

# quality
