# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .kam_classification_policy import ABC_CLASSES, DEPENDENCE_LEVELS
from .kam_tier import KamTierSelection


class KamClassificationResult(models.Model):
    """The latest result of one policy for one customer.

    Each policy keeps its own results: running a policy replaces its rows
    (one per customer it ranked or found loss-making) and never touches
    another policy's. The partner's company-level status fields are those of
    the deciding policy of each company; the results of team and
    salesperson policies are only here (shown on the account, filterable)."""

    _name = "kam.classification.result"
    _description = "Key Account Classification Result"
    _order = "company_id, policy_id, amount desc, id"
    _check_company_auto = True
    _rec_name = "partner_id"

    policy_id = fields.Many2one(
        comodel_name="kam.classification.policy",
        string="Classification Policy",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    # the policies are KAM Managers' configuration: KAM users see the name
    policy_name = fields.Char(related="policy_id.name", string="Policy")
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True
    )
    # copied from the policy when the result is written (the policy's
    # results are dropped when its scope changes)
    scope = fields.Selection(
        selection=[
            ("company", "Company"),
            ("team", "Sales Team"),
            ("salesperson", "Salesperson"),
        ],
        readonly=True,
        index=True,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", readonly=True, index=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", readonly=True, index=True
    )
    is_decider = fields.Boolean(
        string="Company-level",
        compute="_compute_is_decider",
        help="The result of the policy that decides the key account flag and "
        "the tier of the company.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    run_id = fields.Many2one(
        comodel_name="kam.classification.run",
        ondelete="set null",
        readonly=True,
    )
    date = fields.Date(readonly=True, help="Date of the run that gave this result.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    revenue = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    amount = fields.Monetary(
        string="Basis Amount",
        readonly=True,
        help="Revenue or margin, as the policy ranks by; negative for a "
        "loss-making customer.",
    )
    share = fields.Float(
        string="Share (%)",
        digits=(16, 2),
        aggregator="max",
        readonly=True,
        help="Basis amount / total of the ranked customers x 100 (0 for a "
        "loss-making customer).",
    )
    abc_class = fields.Selection(
        selection=ABC_CLASSES, string="ABC Class", readonly=True
    )
    dependence_level = fields.Selection(selection=DEPENDENCE_LEVELS, readonly=True)
    is_key = fields.Boolean(string="Key", readonly=True)
    tier = KamTierSelection(
        selection="_selection_kam_tier", string="Tier", readonly=True
    )
    is_loss_making = fields.Boolean(
        string="Loss-making",
        readonly=True,
        help="The basis amount of the customer in the period is negative.",
    )

    _sql_constraints = [
        (
            "policy_partner_unique",
            "UNIQUE(policy_id, partner_id)",
            "A policy keeps one result per customer.",
        ),
    ]

    @api.model
    def _selection_kam_tier(self):
        return self.env["kam.tier"]._get_selection()

    @api.depends("policy_id")
    def _compute_is_decider(self):
        deciders = self.policy_id._kam_deciders()
        for result in self:
            result.is_decider = result.policy_id in deciders

    def action_open_run(self):
        self.ensure_one()
        return self.run_id.action_view_pareto()
