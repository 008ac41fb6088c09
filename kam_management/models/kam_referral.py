# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamReferral(models.Model):
    _name = "kam.referral"
    _description = "Referral or Recommendation from a Key Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Subject",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    kind = fields.Selection(
        selection=[
            ("letter", "Recommendation letter"),
            ("referral", "Referral to a prospect"),
            ("reference", "Reference call or visit"),
        ],
        required=True,
        default="referral",
        tracking=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="The account that gave the recommendation or the referral.",
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Given By",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    referred_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Referred To",
        tracking=True,
        check_company=True,
        help="The prospect the account recommended us to (or the addressee of "
        "the letter).",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Resulting Opportunity",
        check_company=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    note = fields.Html()

    @api.depends("kind", "partner_id", "referred_partner_id")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for referral in self:
            parts = [kinds.get(referral.kind), referral.partner_id.name]
            if referral.referred_partner_id:
                parts.append(referral.referred_partner_id.name)
            referral.name = " / ".join(p for p in parts if p) or False

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for referral in self:
            if referral.date > today:
                raise ValidationError(
                    self.env._(
                        "Referral %(name)s: the date cannot be in the future.",
                        name=referral.display_name,
                    )
                )

    def action_create_opportunity(self):
        self.ensure_one()
        lead = self.env["crm.lead"].create(
            {
                "name": self.env._(
                    "Referral from %(account)s", account=self.partner_id.name
                ),
                "type": "opportunity",
                "partner_id": self.referred_partner_id.id,
                "company_id": self.company_id.id,
            }
        )
        self.lead_id = lead
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
        }

    @api.model
    def _kam_satisfied(self, accounts):
        """The accounts counted as satisfied: no open claim, and no claim
        closed as unsatisfied in the last 12 months (one grouped query)."""
        since = fields.Date.context_today(self) - timedelta(days=365)
        groups = (
            self.env["kam.claim"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", accounts.ids),
                    "|",
                    ("is_closed", "=", False),
                    "&",
                    ("satisfied", "=", "no"),
                    ("date_resolved", ">=", since),
                ],
                groupby=["partner_id"],
            )
        )
        unhappy = {partner.id for (partner,) in groups}
        return accounts.filtered(lambda p: p.id not in unhappy)

    @api.model
    def _kam_ask_for_referral(self, accounts, trigger="won", notes=None):
        """After a won deal (``trigger="won"``) or a delivered order
        (``trigger="delivered"``): an activity on each satisfied key account
        asking for a recommendation, unless one is open, or the account gave a
        referral or was asked (request marked done) within the company's
        interval. ``notes``: optional ``{account id: note}``. A constant number
        of queries for any number of accounts."""
        company = self.env.company
        accounts = accounts.commercial_partner_id.filtered("kam_is_key_account")
        enabled = (
            company.kam_referral_ask_delivered
            if trigger == "delivered"
            else company.kam_referral_ask
        )
        if not enabled or not accounts:
            return self.env["mail.activity"]
        activity_type = self.env.ref(
            "kam_management.mail_activity_type_kam_referral_ask",
            raise_if_not_found=False,
        )
        if not activity_type:
            return self.env["mail.activity"]
        today = fields.Date.context_today(self)
        since = today - timedelta(days=company.kam_referral_interval_days)
        accounts = self._kam_satisfied(accounts)
        recent = self.sudo()._read_group(
            [("partner_id", "in", accounts.ids), ("date", ">=", since)],
            groupby=["partner_id"],
        )
        # requests marked done: Odoo 18 deletes the activity and logs a message
        # with its type
        asked = (
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", accounts.ids),
                    ("mail_activity_type_id", "=", activity_type.id),
                    ("date", ">=", fields.Datetime.to_datetime(since)),
                ],
                groupby=["res_id"],
            )
        )
        open_asks = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", accounts.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        skip = (
            {p.id for (p,) in recent}
            | {res_id for (res_id,) in asked}
            | set(open_asks.mapped("res_id"))
        )
        deadline = company._kam_add_working_days(
            today, company.kam_referral_ask_delay_days
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        notes = notes or {}
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": account.id,
                "activity_type_id": activity_type.id,
                "summary": self.env._(
                    "Ask %(account)s for a recommendation or a referral",
                    account=account.name,
                ),
                "note": notes.get(account.id, False),
                "date_deadline": deadline,
                "user_id": (account._kam_responsible_user() or self.env.user).id,
            }
            for account in accounts
            if account.id not in skip
        ]
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )
