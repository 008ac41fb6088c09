# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountPlanCompetitor(models.Model):
    """A competitor present at a key account, with its estimated share of
    the customer's wallet."""

    _name = "kam.account.plan.competitor"
    _description = "Competitor in a Key Account Plan"
    _order = "share desc, id"

    plan_id = fields.Many2one(
        comodel_name="kam.account.plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = fields.Many2one(related="plan_id.partner_id")
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    name = fields.Char(string="Competitor", required=True)
    share = fields.Float(
        string="Share of Wallet (%)",
        digits=(16, 1),
        help="Estimated share of the customer's wallet this competitor wins.",
    )
    note = fields.Char(help="Products, strengths, contract end...")

    _sql_constraints = [
        (
            "share_range",
            "CHECK(share >= 0 AND share <= 100)",
            "A competitor's share of wallet is between 0 and 100 %.",
        ),
    ]

    @api.constrains("share")
    def _check_share(self):
        for line in self:
            if not 0 <= line.share <= 100:
                raise ValidationError(
                    self.env._(
                        "Competitor %(name)s in %(plan)s: the share of wallet "
                        "must be between 0 and 100 %%.",
                        name=line.name,
                        plan=line.plan_id.display_name,
                    )
                )
        for plan in self.plan_id:
            if sum(plan.competitor_ids.mapped("share")) > 100:
                raise ValidationError(
                    self.env._(
                        "Account plan %(plan)s: the competitors' shares of "
                        "wallet add up to more than 100 %%.",
                        plan=plan.display_name,
                    )
                )
