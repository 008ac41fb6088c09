# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamClaimSeverity(models.Model):
    _name = "kam.claim.severity"
    _description = "Claim Severity"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    response_days = fields.Integer(
        string="Response Within (working days)",
        required=True,
        default=5,
        help="The response to a claim of this severity is due this many "
        "working days (company working schedule) after it was received; "
        "0 means the same day.",
    )
    color = fields.Integer()

    _sql_constraints = [
        (
            "response_days_positive",
            "CHECK(response_days >= 0)",
            "The response days of a claim severity cannot be negative.",
        ),
    ]
