# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # --- accountplan ---
    kam_health_red_below = fields.Float(
        related="company_id.kam_health_red_below", readonly=False
    )
    kam_health_green_from = fields.Float(
        related="company_id.kam_health_green_from", readonly=False
    )
    kam_reconciliations_per_month = fields.Integer(
        related="company_id.kam_reconciliations_per_month", readonly=False
    )
