# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .kam_classification_policy import (
    ABC_CLASSES,
    DEPENDENCE_LEVELS,
    dependence_rank_sql,
)


class KamClassificationLine(models.Model):
    """One ranked customer of a classification run."""

    _name = "kam.classification.line"
    _description = "Key Account Classification Line"
    _order = "run_id desc, rank"
    _check_company_auto = True

    run_id = fields.Many2one(
        comodel_name="kam.classification.run",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True)
    run_date = fields.Date(required=True, index=True)
    is_last_run = fields.Boolean(related="run_id.is_last", string="Last Run")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    rank = fields.Integer(
        aggregator="min",
        help="1 for the largest amount; equal amounts by customer id ascending. "
        "Empty for a loss-making customer.",
    )
    customer_percent = fields.Integer(
        string="Customers (%)",
        aggregator="max",
        help="Percentile of the customer in the ranking: rank / number of ranked "
        "customers x 100, rounded up. The x axis of the Pareto curve by share "
        "of customers.",
    )
    revenue = fields.Monetary(
        help="Untaxed amount of the posted invoices minus refunds in the period."
    )
    margin = fields.Monetary(
        help="Margin of Odoo's Invoicing analysis (revenue minus product cost)."
    )
    amount = fields.Monetary(
        string="Basis Amount", help="Revenue or margin, as the policy ranks by."
    )
    share = fields.Float(
        string="Share (%)",
        digits=(16, 2),
        help="Basis amount / total of the ranked customers x 100.",
    )
    cumulative_share = fields.Float(
        string="Cumulative Share (%)",
        digits=(16, 2),
        aggregator="max",
        help="Share of this customer and all customers ranked before it.",
    )
    abc_class = fields.Selection(
        selection=ABC_CLASSES,
        string="ABC Class",
        help="A when the cumulative share of the customers ranked before is "
        "below the A threshold, B when below the B threshold, else C.",
    )
    dependence_level = fields.Selection(
        selection=DEPENDENCE_LEVELS,
        help="Share above the mono-client, critical or key threshold.",
    )
    is_loss_making = fields.Boolean(
        string="Loss-making",
        index=True,
        help="The basis amount is negative: the customer is not ranked (no "
        "rank, share or class).",
    )
    is_key = fields.Boolean(
        string="Key",
        help="Share above the key threshold, or revenue reaching the key "
        "revenue of the policy.",
    )

    def _read_group_orderby(self, order, groupby_terms, query):
        """Groups of dependence levels in increasing danger (none, key,
        critical, mono-client), not in the alphabetical order of their codes:
        graphs and pivots list them, and colour them by position, in that
        order."""
        if "dependence_level" not in groupby_terms:
            return super()._read_group_orderby(order, groupby_terms, query)
        rank = dependence_rank_sql(groupby_terms["dependence_level"])
        return super()._read_group_orderby(
            order, dict(groupby_terms, dependence_level=rank), query
        )
