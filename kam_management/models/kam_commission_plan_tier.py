# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamCommissionPlanTier(models.Model):
    _name = "kam.commission.plan.tier"
    _description = "Commission Tier"
    _order = "plan_id, from_amount"

    plan_id = fields.Many2one(
        comodel_name="kam.commission.plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    currency_id = fields.Many2one(related="plan_id.currency_id")
    from_amount = fields.Monetary(
        string="Deals From",
        help="The rate applies to deals of at least this untaxed amount (up to "
        "the next tier); 0 or more.",
    )
    rate = fields.Float(
        string="Rate (%)",
        required=True,
        help="Percentage of the base earned as commission, between 0 and 100.",
    )

    _sql_constraints = [
        (
            "values_positive",
            "CHECK(from_amount >= 0 AND rate >= 0 AND rate <= 100)",
            "A commission tier starts at a positive amount and its rate is "
            "between 0 and 100 %.",
        ),
        (
            "plan_from_uniq",
            "UNIQUE(plan_id, from_amount)",
            "Two tiers of a commission plan cannot start at the same amount.",
        ),
    ]

    @api.constrains("from_amount", "rate")
    def _check_bounds(self):
        for tier in self:
            if tier.from_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Commission plan %(plan)s: a tier cannot start at a "
                        "negative deal size (%(value)s).",
                        plan=tier.plan_id.display_name,
                        value=tier.from_amount,
                    )
                )
            if not 0 <= tier.rate <= 100:
                raise ValidationError(
                    self.env._(
                        "Commission plan %(plan)s: the rate of the tier from "
                        "%(amount)s is %(value)s %%; it must be between 0 and "
                        "100 %%.",
                        plan=tier.plan_id.display_name,
                        amount=tier.from_amount,
                        value=tier.rate,
                    )
                )
