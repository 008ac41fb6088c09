# foundation
from . import test_foundation

# key accounts

# dossiers

# tenders

# KPI rules

# proposals and service

# quality
from . import test_quality_conventions
from . import test_security_matrix
