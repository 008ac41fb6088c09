# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
        groups="kam_management.group_kam_user",
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
        groups="kam_management.group_kam_user",
        string="Service Level",
        help="Special terms: individual service, accelerated delivery, VIP "
        "treatment... shown on the quotations of this key account.",
    )
    # whether there are special terms, not which: read by every employee
    kam_has_special_terms = fields.Boolean(
        string="Has Special Terms",
        compute="_compute_kam_has_special_terms",
        compute_sudo=True,
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
    # the latest score of the current company (company-dependent, written by
    # kam.health.score._kam_store_latest whenever scores change)
    kam_health_last_id = fields.Many2one(
        comodel_name="kam.health.score",
        string="Last Health Score",
        groups="kam_management.group_kam_user",
        company_dependent=True,
        readonly=True,
    )
    kam_health_score = fields.Float(
        string="Health",
        groups="kam_management.group_kam_user",
        company_dependent=True,
        readonly=True,
        help="Score of the latest health score of the account in the current "
        "company.",
    )
    kam_health_colour = fields.Selection(
        selection=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
        string="Health Colour",
        groups="kam_management.group_kam_user",
        company_dependent=True,
        readonly=True,
    )
    kam_health_date = fields.Date(
        string="Health Date",
        groups="kam_management.group_kam_user",
        company_dependent=True,
        readonly=True,
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

    def action_kam_compute_health(self):
        """Score the key accounts ``self`` today (button of the partner)."""
        self.check_access("write")
        accounts = self.commercial_partner_id.filtered("kam_is_key_account")
        if not (self._kam_may_change_ownership() or accounts._kam_is_served_by()):
            # the scores are created as superuser: not for any salesperson
            raise AccessError(
                self.env._(
                    "%(accounts)s: only the users who serve the account and KAM "
                    "Managers compute its health score.",
                    accounts=", ".join(accounts[:5].mapped("display_name")),
                )
            )
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
            "kam_management.mail_activity_type_reconciliation",
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
        # set-based; when the batch fails, account by account (a failing
        # one recorded in kam.cron.failure, the others scheduled). Scheduling
        # skips what exists, so a killed run is simply run again.
        try:
            with self.env.cr.savepoint():
                accounts._kam_schedule_reconciliations()
        except Exception as exc:  # noqa: BLE001 - retried one by one
            _logger.warning("Monthly reconciliation: batch failed (%s)", exc)
            self.env["kam.cron.failure"]._kam_run_isolated(
                "reconciliation",
                accounts,
                lambda account: account._kam_schedule_reconciliations(),
            )
