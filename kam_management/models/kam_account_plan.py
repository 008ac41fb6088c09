# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountPlan(models.Model):
    """Yearly plan of one key account: goals, people, strategy, SWOT,
    competitors and share of wallet, objectives."""

    _name = "kam.account.plan"
    _description = "Key Account Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, partner_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True), ('kam_is_key_account', '=', True)]",
    )
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        selection=[("draft", "Draft"), ("active", "Active"), ("closed", "Closed")],
        string="Status",
        required=True,
        default="draft",
        tracking=True,
    )
    kam_user_id = fields.Many2one(
        related="partner_id.kam_user_id", string="Key Account Manager"
    )
    active = fields.Boolean(default=True)
    long_term_goals = fields.Text(string="Long-Term Goals")
    current_tasks = fields.Text()
    decision_makers = fields.Text(
        string="Leadership and Decision Makers",
        help="Who leads the customer and who decides on our offers.",
    )
    marketing_strategy = fields.Text()
    financial_indicators = fields.Text(
        help="The customer's own figures: turnover, profit, growth, budgets."
    )
    swot_strengths = fields.Text(string="Strengths")
    swot_weaknesses = fields.Text(string="Weaknesses")
    swot_opportunities = fields.Text(string="Opportunities")
    swot_threats = fields.Text(string="Threats")
    competitor_ids = fields.One2many(
        comodel_name="kam.account.plan.competitor",
        inverse_name="plan_id",
        string="Competitors",
    )
    competitor_share = fields.Float(
        string="Competitors' Share (%)",
        compute="_compute_competitor_share",
        digits=(16, 1),
        help="Sum of the estimated shares of wallet of the competitors present.",
    )
    wallet_amount = fields.Monetary(
        string="Estimated Wallet",
        currency_field="currency_id",
        tracking=True,
        help="What the customer spends in the plan year on what we sell, from "
        "all suppliers together (estimate).",
    )
    invoiced_amount = fields.Monetary(
        string="Invoiced in Year",
        currency_field="currency_id",
        compute="_compute_invoiced_amount",
        help="Untaxed amount of posted customer invoices minus refunds of this "
        "customer in the plan's company with an invoice date in the plan "
        "year, as Odoo's Invoicing analysis shows it.",
    )
    our_share = fields.Float(
        string="Our Share of Wallet (%)",
        compute="_compute_invoiced_amount",
        digits=(16, 1),
        help="Invoiced in year / estimated wallet × 100; 0 when no wallet is "
        "estimated.",
    )
    wallet_share_total = fields.Float(
        string="Total Share of Wallet (%)",
        compute="_compute_wallet_share_total",
        digits=(16, 1),
        help="Our share of wallet plus the competitors' shares; above 100 % "
        "the wallet is underestimated or a competitor's share overestimated.",
    )
    wallet_share_exceeded = fields.Boolean(
        compute="_compute_wallet_share_total",
        help="Our share plus the competitors' shares exceed 100 %.",
    )
    objective_ids = fields.One2many(
        comodel_name="kam.account.objective",
        inverse_name="plan_id",
        string="Objectives",
    )
    objective_count = fields.Integer(compute="_compute_objective_count")

    _sql_constraints = [
        (
            "partner_year_company_unique",
            "UNIQUE(partner_id, year, company_id)",
            "A key account has one plan per year and company.",
        ),
        (
            "wallet_positive",
            "CHECK(wallet_amount >= 0)",
            "The estimated wallet cannot be negative.",
        ),
    ]

    @api.depends("partner_id.name", "year")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._(
                "%(partner)s – %(year)s",
                partner=plan.partner_id.name or "",
                year=plan.year,
            )

    @api.depends("competitor_ids.share")
    def _compute_competitor_share(self):
        for plan in self:
            plan.competitor_share = sum(plan.competitor_ids.mapped("share"))

    @api.depends("partner_id", "year", "company_id", "wallet_amount")
    def _compute_invoiced_amount(self):
        amounts = self._kam_invoiced_amounts()
        for plan in self:
            plan.invoiced_amount = amounts.get(plan.id, 0.0)
            plan.our_share = (
                plan.invoiced_amount / plan.wallet_amount * 100.0
                if plan.wallet_amount
                else 0.0
            )

    @api.depends("our_share", "competitor_share")
    def _compute_wallet_share_total(self):
        for plan in self:
            total = plan.our_share + plan.competitor_share
            plan.wallet_share_total = total
            # compared at the precision shown (one decimal)
            plan.wallet_share_exceeded = round(total, 1) > 100.0

    @api.depends("objective_ids")
    def _compute_objective_count(self):
        for plan in self:
            plan.objective_count = len(plan.objective_ids)

    @api.constrains("wallet_amount")
    def _check_wallet(self):
        for plan in self:
            if plan.wallet_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Account plan %(plan)s: the estimated wallet cannot be "
                        "negative (%(amount)s).",
                        plan=plan.display_name,
                        amount=plan.wallet_amount,
                    )
                )

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 2000 <= plan.year <= 2100:
                raise ValidationError(
                    self.env._(
                        "Account plan %(plan)s: the year %(year)s is not a "
                        "valid year (2000–2100).",
                        plan=plan.display_name,
                        year=plan.year,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for plan in self:
            if plan.partner_id != plan.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Account plan %(plan)s: the key account must be the "
                        "company (%(company)s), not one of its contacts.",
                        plan=plan.display_name,
                        company=plan.partner_id.commercial_partner_id.display_name,
                    )
                )

    def _kam_invoiced_amounts(self):
        """{plan id: untaxed invoiced amount of its partner in its year},
        one grouped query over Odoo's Invoicing analysis for all plans."""
        plans = self.filtered(lambda p: p.partner_id and p.year and p.company_id)
        if not plans:
            return {}
        years = plans.mapped("year")
        groups = (
            self.env["account.invoice.report"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("commercial_partner_id", "in", plans.partner_id.ids),
                    ("company_id", "in", plans.company_id.ids),
                    ("invoice_date", ">=", date(min(years), 1, 1)),
                    ("invoice_date", "<=", date(max(years), 12, 31)),
                ],
                ["commercial_partner_id", "company_id", "invoice_date:year"],
                ["price_subtotal:sum"],
            )
        )
        totals = {
            (partner.id, company.id, year.year): amount
            for partner, company, year, amount in groups
        }
        return {
            plan.id: totals.get(
                (plan.partner_id.id, plan.company_id.id, plan.year), 0.0
            )
            for plan in plans
        }

    def action_view_objectives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_account_objective_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action
