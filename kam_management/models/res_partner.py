# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

KAM_TEAM_MAX = 3


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_is_key_account = fields.Boolean(
        string="Key Account",
        tracking=True,
        index=True,
        help="The company is managed as a key account.",
    )
    kam_tier = fields.Selection(
        selection=[
            ("strategic", "Strategic"),
            ("key", "Key"),
            ("developing", "Developing"),
            ("regular", "Regular"),
        ],
        string="Tier",
        tracking=True,
        index=True,
    )
    kam_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Key Account Manager",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="The KAM who owns the relationship with this account.",
    )
    kam_deputy_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Deputy KAM",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Takes over activities and reminders while the KAM is absent.",
    )
    kam_team_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="kam_partner_team_user_rel",
        column1="partner_id",
        column2="user_id",
        string="KAM Team",
        domain="[('share', '=', False)]",
        help=f"Up to {KAM_TEAM_MAX} account managers serving this key account.",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "kam_is_key_account",
            "kam_tier",
            "kam_user_id",
            "kam_deputy_user_id",
            "kam_team_user_ids",
        ]

    @api.constrains("kam_team_user_ids")
    def _check_kam_team_size(self):
        for partner in self:
            if len(partner.kam_team_user_ids) > KAM_TEAM_MAX:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: a key account is served by at most %(max)s "
                        "account managers (the KAM team has %(count)s).",
                        partner=partner.display_name,
                        max=KAM_TEAM_MAX,
                        count=len(partner.kam_team_user_ids),
                    )
                )

    def _kam_responsible_user(self, day=None):
        """The user who acts for this account on ``day``: the KAM, or the
        deputy while the KAM is absent. Falls back to the salesperson."""
        self.ensure_one()
        partner = self.commercial_partner_id
        kam = partner.kam_user_id
        if kam and partner.kam_deputy_user_id and kam.id in kam._kam_absent_ids(day):
            return partner.kam_deputy_user_id
        return kam or partner.user_id

    # --- account plan ---
    kam_reason_line_ids = fields.One2many(
        comodel_name="kam.partner.key.reason",
        inverse_name="partner_id",
        string="Key Account Reasons",
        groups="kam_management.group_kam_user",
        help="Why the company is a key account, each reason with its evidence.",
    )
    kam_reason_ids = fields.Many2many(
        comodel_name="kam.key.reason",
        relation="kam_partner_key_reason_rel",
        column1="partner_id",
        column2="reason_id",
        string="Key Reasons",
        compute="_compute_kam_reason_ids",
        store=True,
        help="Reasons given on the company; its contacts show the same.",
    )
    kam_pricelist_id = fields.Many2one(
        comodel_name="product.pricelist",
        string="Special Pricelist",
        tracking=True,
        help="Special terms: pricelist proposed on new quotations of this key "
        "account instead of the customer's usual one.",
    )
    kam_payment_term_id = fields.Many2one(
        comodel_name="account.payment.term",
        string="Special Payment Terms",
        tracking=True,
        help="Special terms: payment terms proposed on new quotations of this "
        "key account.",
    )
    kam_service_level_note = fields.Text(
        string="Service Level",
        help="Special terms: individual service, accelerated delivery, VIP "
        "treatment... shown on the quotations of this key account.",
    )
    kam_has_special_terms = fields.Boolean(
        string="Has Special Terms",
        compute="_compute_kam_has_special_terms",
    )
    kam_account_plan_ids = fields.One2many(
        comodel_name="kam.account.plan",
        inverse_name="partner_id",
        string="Account Plans",
        groups="kam_management.group_kam_user",
    )
    kam_account_plan_count = fields.Integer(
        string="Account Plan Count",
        compute="_compute_kam_account_plan_count",
        groups="kam_management.group_kam_user",
    )
    kam_health_score_ids = fields.One2many(
        comodel_name="kam.health.score",
        inverse_name="partner_id",
        string="Health Scores",
        groups="kam_management.group_kam_user",
    )
    kam_health_last_id = fields.Many2one(
        comodel_name="kam.health.score",
        string="Last Health Score",
        groups="kam_management.group_kam_user",
        compute="_compute_kam_health_last_id",
        store=True,
        index="btree_not_null",
    )
    kam_health_score = fields.Float(
        related="kam_health_last_id.score", string="Health", store=True
    )
    kam_health_colour = fields.Selection(
        related="kam_health_last_id.colour", string="Health Colour", store=True
    )
    kam_health_date = fields.Date(
        related="kam_health_last_id.date", string="Health Date"
    )

    @api.depends("commercial_partner_id.kam_reason_line_ids.reason_id")
    def _compute_kam_reason_ids(self):
        for partner in self:
            partner.kam_reason_ids = (
                partner.commercial_partner_id.kam_reason_line_ids.reason_id
            )

    @api.depends(
        "commercial_partner_id.kam_pricelist_id",
        "commercial_partner_id.kam_payment_term_id",
        "commercial_partner_id.kam_service_level_note",
    )
    def _compute_kam_has_special_terms(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.kam_has_special_terms = bool(
                commercial.kam_pricelist_id
                or commercial.kam_payment_term_id
                or commercial.kam_service_level_note
            )

    @api.depends("kam_account_plan_ids")
    def _compute_kam_account_plan_count(self):
        groups = dict(
            self.env["kam.account.plan"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kam_account_plan_count = groups.get(partner._origin, 0)

    @api.depends("kam_health_score_ids.date")
    def _compute_kam_health_last_id(self):
        partners = self.filtered("id")
        latest = {}
        if partners:
            self.env["kam.health.score"].flush_model(["partner_id", "date"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (partner_id) partner_id, id
                      FROM kam_health_score
                     WHERE partner_id IN %(partners)s
                     ORDER BY partner_id, date DESC, id DESC
                    """,
                    partners=tuple(partners.ids),
                )
            )
            latest = dict(self.env.cr.fetchall())
        for partner in self:
            partner.kam_health_last_id = latest.get(partner.id, False)

    def _kam_health_dossier_coverage(self):
        """{partner id: dossier coverage in %} of the key accounts ``self``,
        a measure of the health score. Overridden by the dossiers."""
        return dict.fromkeys(self.ids, 0.0)

    def _kam_health_claims(self):
        """{partner id: number of open claims} of the key accounts ``self``,
        a measure of the health score. Overridden by the claims."""
        return dict.fromkeys(self.ids, 0.0)

    def action_kam_compute_health(self):
        """Score the key accounts ``self`` today (button of the partner)."""
        self.check_access("write")
        accounts = self.commercial_partner_id.filtered("kam_is_key_account")
        self.env["kam.health.score"]._kam_compute(accounts)
        return True

    def action_kam_view_account_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_account_plan_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def action_kam_view_health(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_health_score_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def _kam_schedule_reconciliations(self, day=None):
        """Schedule the reconciliations of the month of ``day`` still missing
        for the key accounts ``self``: expected per month (company setting)
        minus those done this month minus those already planned. Each goes
        to the account's responsible user (the deputy while the KAM is
        absent). Running it again the same month schedules nothing twice."""
        day = day or fields.Date.context_today(self)
        activity_type = self.env.ref(
            "kam_management.mail_activity_type_kam_reconciliation",
            raise_if_not_found=False,
        )
        accounts = self.commercial_partner_id.filtered("kam_is_key_account")
        if not activity_type or not accounts:
            return self.env["mail.activity"]
        month_start = day.replace(day=1)
        next_month = month_start + relativedelta(months=1)
        ids = tuple(accounts.ids)
        self.env["mail.message"].flush_model()
        self.env["mail.activity"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id, COUNT(*)
                  FROM mail_message m
                  JOIN res_partner p ON p.id = m.res_id
                 WHERE m.model = 'res.partner'
                   AND m.mail_activity_type_id = %(type)s
                   AND m.date >= %(start)s AND m.date < %(end)s
                   AND p.commercial_partner_id IN %(partners)s
                 GROUP BY p.commercial_partner_id
                UNION ALL
                SELECT p.commercial_partner_id, COUNT(*)
                  FROM mail_activity a
                  JOIN res_partner p ON p.id = a.res_id
                 WHERE a.res_model = 'res.partner'
                   AND a.activity_type_id = %(type)s
                   AND a.active
                   AND p.commercial_partner_id IN %(partners)s
                 GROUP BY p.commercial_partner_id
                """,
                type=activity_type.id,
                start=month_start,
                end=next_month,
                partners=ids,
            )
        )
        counted = defaultdict(int)
        for partner_id, count in self.env.cr.fetchall():
            counted[partner_id] += count
        days_in_month = (next_month - month_start).days
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for account in accounts:
            company = account.company_id or self.env.company
            expected = company.kam_reconciliations_per_month
            for index in range(counted[account.id], expected):
                deadline = month_start + relativedelta(
                    days=(index + 1) * days_in_month // expected - 1
                )
                deadline = max(deadline, day)
                user = account._kam_responsible_user(deadline)
                if not user:
                    continue
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": account.id,
                        "activity_type_id": activity_type.id,
                        "summary": self.env._("Monthly reconciliation"),
                        "date_deadline": deadline,
                        "user_id": user.id,
                    }
                )
        return self.env["mail.activity"].sudo().create(vals_list)

    @api.model
    def _cron_kam_reconciliation(self):
        """Monthly cadence: schedule the missing reconciliations of every key
        account for the current month."""
        accounts = self.search(
            [
                ("kam_is_key_account", "=", True),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
            ]
        )
        accounts._kam_schedule_reconciliations()
