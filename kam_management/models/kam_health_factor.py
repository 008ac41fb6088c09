# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

HEALTH_FACTORS = [
    ("overdue", "Overdue receivables"),
    ("payment_delay", "Average payment delay"),
    ("contact", "Days since last contact"),
    ("objectives", "Plan objectives on track"),
    ("dossier", "Dossier coverage"),
    ("claims", "Open claims"),
]


class KamHealthFactor(models.Model):
    """Weight and scale of one factor of the key account health score.

    A factor's measure is turned into a score from 0 to 100 on a straight
    line: ``good_value`` scores 100, ``bad_value`` scores 0, values beyond
    either end are clipped. The health score is the weighted mean of the
    factor scores.
    """

    _name = "kam.health.factor"
    _description = "Key Account Health Factor"
    _order = "sequence, id"
    _check_company_auto = True

    code = fields.Selection(selection=HEALTH_FACTORS, required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to use the factor in every company; a factor of a "
        "company replaces the shared one of the same code.",
    )
    weight = fields.Float(
        required=True,
        default=1.0,
        help="Relative weight in the health score; 0 leaves the factor out.",
    )
    good_value = fields.Float(
        required=True,
        help="Measure at which the factor scores 100.",
    )
    bad_value = fields.Float(
        required=True,
        help="Measure at which the factor scores 0.",
    )
    unit = fields.Char(translate=True, help="Unit of the measure, e.g. days or %.")

    @api.constrains("weight", "good_value", "bad_value")
    def _check_scale(self):
        for factor in self:
            if factor.weight < 0:
                raise ValidationError(
                    self.env._(
                        "Health factor %(name)s: the weight must not be negative.",
                        name=factor.name,
                    )
                )
            if factor.good_value == factor.bad_value:
                raise ValidationError(
                    self.env._(
                        "Health factor %(name)s: the good value and the bad "
                        "value must differ.",
                        name=factor.name,
                    )
                )

    @api.constrains("code", "company_id", "active")
    def _check_code_unique(self):
        for factor in self.filtered("active"):
            twins = self.search_count(
                [
                    ("id", "!=", factor.id),
                    ("code", "=", factor.code),
                    ("company_id", "=", factor.company_id.id),
                ]
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "Health factor %(name)s: there is already an active "
                        "factor '%(code)s' for this company.",
                        name=factor.name,
                        code=dict(HEALTH_FACTORS)[factor.code],
                    )
                )

    def _score(self, value):
        """Score from 0 to 100 of ``value`` on this factor's scale."""
        self.ensure_one()
        ratio = (self.bad_value - value) / (self.bad_value - self.good_value)
        return max(0.0, min(100.0, 100.0 * ratio))

    @api.model
    def _kam_factors(self, company):
        """{code: factor} in use for ``company``: its own factors replace the
        shared ones of the same code."""
        factors = self.sudo().search(
            [("company_id", "in", (False, company.id))], order="company_id desc"
        )
        result = {}
        for factor in factors:
            if factor.company_id or factor.code not in result:
                result[factor.code] = factor
        return result
