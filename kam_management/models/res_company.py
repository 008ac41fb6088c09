# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # --- accountplan ---
    kam_health_red_below = fields.Float(
        string="Health Red Below",
        default=40.0,
        help="A key account health score below this value is red.",
    )
    kam_health_green_from = fields.Float(
        string="Health Green From",
        default=70.0,
        help="A key account health score from this value on is green; "
        "between the two thresholds it is amber.",
    )
    kam_reconciliations_per_month = fields.Integer(
        string="Reconciliations per Month",
        default=1,
        help="Reconciliations with each key account expected per month; the "
        "monthly cadence schedules the missing ones (0 turns it off).",
    )

    @api.constrains(
        "kam_health_red_below", "kam_health_green_from", "kam_reconciliations_per_month"
    )
    def _check_kam_accountplan_settings(self):
        for company in self:
            if not (
                0
                <= company.kam_health_red_below
                <= company.kam_health_green_from
                <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s: the health thresholds must satisfy "
                        "0 ≤ red below ≤ green from ≤ 100.",
                        company=company.name,
                    )
                )
            if company.kam_reconciliations_per_month < 0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the number of reconciliations per month "
                        "cannot be negative.",
                        company=company.name,
                    )
                )
