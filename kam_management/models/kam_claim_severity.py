# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

#: the longest response time of a claim severity, in working days (a year)
RESPONSE_DAYS_MAX = 365


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
        f"between 1 and {RESPONSE_DAYS_MAX}.",
    )
    color = fields.Integer()

    _sql_constraints = [
        (
            "response_days_range",
            f"CHECK(response_days >= 1 AND response_days <= {RESPONSE_DAYS_MAX})",
            "The response days of a claim severity are between 1 and "
            f"{RESPONSE_DAYS_MAX}.",
        ),
    ]

    @api.constrains("response_days")
    def _check_response_days(self):
        # a plain name in _(): the term export cannot evaluate expressions
        bound = RESPONSE_DAYS_MAX
        for severity in self:
            if not 1 <= severity.response_days <= bound:
                raise ValidationError(
                    self.env._(
                        "Claim severity %(severity)s: the response time is "
                        "%(days)s working days; it must be between 1 and "
                        "%(max)s.",
                        severity=severity.display_name,
                        days=severity.response_days,
                        max=bound,
                    )
                )
