# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import base_partner_merge
from . import kam_absence_wizard
from . import kam_commission_compute
from . import kam_tender_close_wizard
