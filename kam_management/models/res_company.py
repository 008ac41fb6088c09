# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # --- KPI rules ---
    kam_report_due_day = fields.Integer(
        string="Monthly Report Due Day",
        default=3,
        help="The monthly report of a month is due on this day of the next month.",
    )
    kam_attestation_months = fields.Integer(
        string="Attestation Interval (months)",
        default=6,
        help="Months between two attestations of a user.",
    )

    _sql_constraints = [
        (
            "kam_report_due_day_range",
            "CHECK(kam_report_due_day BETWEEN 1 AND 28)",
            "The monthly report due day must be between 1 and 28.",
        ),
        (
            "kam_attestation_months_positive",
            "CHECK(kam_attestation_months > 0)",
            "The attestation interval must be at least one month.",
        ),
    ]
