# foundation
from . import test_foundation

# key accounts

# dossiers
from . import test_dossiers_deal_roles
from . import test_dossiers_dossier
from . import test_dossiers_privacy
from . import test_dossiers_reminders
from . import test_dossiers_http

# tenders

# KPI rules

# proposals and service

# quality
