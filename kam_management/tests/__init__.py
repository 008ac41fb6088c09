# foundation
from . import test_foundation

# key accounts

# dossiers

# tenders

# KPI rules

# proposals and service

# quality
