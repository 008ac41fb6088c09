# foundation
from . import test_foundation

# key accounts

# dossiers

# tenders

# KPI rules
from . import test_kpi_tools
from . import test_kpi_measures
from . import test_kpi_evaluation
from . import test_kpi_reports
from . import test_kpi_commission
from . import test_kpi_access

# proposals and service

# quality
