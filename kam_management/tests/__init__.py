# foundation
from . import test_foundation

# key accounts

# dossiers

# tenders

# KPI rules

# proposals and service
from . import test_service_followup
from . import test_service_claim
from . import test_service_whitespace
from . import test_service_referral

# quality
