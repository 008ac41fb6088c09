# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the largest attainment multiplier of a commission plan (3 = triple commission)
MULTIPLIER_MAX = 3.0


class KamCommissionPlanStep(models.Model):
    _name = "kam.commission.plan.step"
    _description = "Commission Multiplier Step"
    _order = "plan_id, from_attainment"

    plan_id = fields.Many2one(
        comodel_name="kam.commission.plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    from_attainment = fields.Float(
        string="From Attainment (%)",
        help="The multiplier applies from this average attainment (up to the "
        "next step); 0 or more.",
    )
    multiplier = fields.Float(
        required=True,
        default=1.0,
        help="Factor of the commission from this attainment, between 0 and "
        f"{MULTIPLIER_MAX:g} (1 = unchanged, 0.5 = half, {MULTIPLIER_MAX:g} = "
        f"{MULTIPLIER_MAX:g} times).",
    )

    _sql_constraints = [
        (
            "values_positive",
            "CHECK(from_attainment >= 0 AND multiplier >= 0 "
            f"AND multiplier <= {MULTIPLIER_MAX})",
            "The attainment of a step cannot be negative and its multiplier is "
            f"between 0 and {MULTIPLIER_MAX:g}.",
        ),
        (
            "plan_from_uniq",
            "UNIQUE(plan_id, from_attainment)",
            "Two steps of a commission plan cannot start at the same attainment.",
        ),
    ]

    @api.constrains("from_attainment", "multiplier")
    def _check_bounds(self):
        # a plain name in _(): the term export cannot evaluate expressions
        bound = f"{MULTIPLIER_MAX:g}"
        for step in self:
            if step.from_attainment < 0:
                raise ValidationError(
                    self.env._(
                        "Commission plan %(plan)s: the attainment of a multiplier "
                        "step cannot be negative (%(value)s %%).",
                        plan=step.plan_id.display_name,
                        value=step.from_attainment,
                    )
                )
            if not 0 <= step.multiplier <= MULTIPLIER_MAX:
                raise ValidationError(
                    self.env._(
                        "Commission plan %(plan)s: the multiplier of the step "
                        "from %(attainment)s %% is %(value)s; it must be between "
                        "0 and %(max)s.",
                        plan=step.plan_id.display_name,
                        attainment=step.from_attainment,
                        value=step.multiplier,
                        max=bound,
                    )
                )
