# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
        "next step).",
    )
    multiplier = fields.Float(required=True, default=1.0)

    _sql_constraints = [
        (
            "values_positive",
            "CHECK(from_attainment >= 0 AND multiplier >= 0)",
            "Attainment and multiplier of a step cannot be negative.",
        ),
        (
            "plan_from_uniq",
            "UNIQUE(plan_id, from_attainment)",
            "Two steps of a commission plan cannot start at the same attainment.",
        ),
    ]
