# foundation
from . import test_foundation

# key accounts
from . import test_accountplan_plan
from . import test_accountplan_health
from . import test_accountplan_terms
from . import test_accountplan_ui

# dossiers

# tenders

# KPI rules

# proposals and service

# quality
