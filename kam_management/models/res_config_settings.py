# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # --- KPI rules ---
    kam_report_due_day = fields.Integer(
        related="company_id.kam_report_due_day", readonly=False
    )
    kam_attestation_months = fields.Integer(
        related="company_id.kam_attestation_months", readonly=False
    )
