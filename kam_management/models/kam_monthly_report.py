# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import kpi_periods

#: figures drafted from the month's data; only the drafting writes them
FIGURE_FIELDS = {
    "revenue",
    "margin",
    "new_clients",
    "tenders_won",
    "tenders_won_value",
    "key_account_count",
    "key_account_changes",
    "result_ids",
}
#: what only managers (or the drafting and the Submit button) write
PROTECTED_FIELDS = FIGURE_FIELDS | {
    "due_date",
    "is_late",
    "user_id",
    "manager_id",
    "company_id",
    "date_from",
    "date_to",
    "state",
    "submitted_date",
    "manager_comment",
}


class KamMonthlyReport(models.Model):
    """The report a user gives about a month, due early the next month."""

    _name = "kam.monthly.report"
    _description = "Monthly Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, user_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    manager_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        help="Leader of the user's sales team; reviews the report.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Month", required=True, readonly=True)
    date_to = fields.Date(string="Month End", required=True, readonly=True)
    due_date = fields.Date(
        compute="_compute_due_date",
        store=True,
        readonly=False,
        tracking=True,
        help="Day of the next month set in the settings (default: the 3rd). A "
        "KAM Manager may move it for another user's report; nobody moves the "
        "due date of his own report (except a Sales Administrator).",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("reviewed", "Reviewed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    submitted_date = fields.Date(readonly=True, tracking=True)
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        store=True,
        help="Submitted after the due date.",
    )
    comments = fields.Html(help="The user's own account of the month.")
    manager_comment = fields.Html(tracking=True)
    revenue = fields.Monetary(readonly=True, help="Revenue invoiced (KPI measure).")
    margin = fields.Monetary(readonly=True, help="Margin invoiced (KPI measure).")
    new_clients = fields.Integer(readonly=True, help="New-client contracts.")
    tenders_won = fields.Integer(readonly=True)
    tenders_won_value = fields.Monetary(readonly=True)
    key_account_count = fields.Integer(
        string="Key Accounts", readonly=True, help="Key accounts owned at drafting."
    )
    key_account_changes = fields.Text(
        readonly=True,
        help="Key accounts gained or lost by the user during the month.",
    )
    result_ids = fields.Many2many(
        comodel_name="kam.kpi.result",
        string="KPI Results",
        readonly=True,
        help="Results of the user for the periods within the month.",
    )

    _sql_constraints = [
        (
            "user_month_uniq",
            "UNIQUE(user_id, company_id, date_from)",
            "A user has one monthly report per month.",
        ),
    ]

    @api.depends("user_id", "date_from")
    def _compute_name(self):
        for report in self:
            report.name = self.env._(
                "%(user)s - %(month)s",
                user=report.user_id.name or "",
                month=report.date_from and report.date_from.strftime("%Y-%m") or "",
            )

    @api.depends("date_from", "company_id.kam_report_due_day")
    def _compute_due_date(self):
        for report in self:
            report.due_date = report.date_from and kpi_periods.report_due_date(
                report.date_from, report.company_id.kam_report_due_day or 3
            )

    @api.depends("submitted_date", "due_date")
    def _compute_is_late(self):
        for report in self:
            report.is_late = bool(
                report.submitted_date and report.submitted_date > report.due_date
            )

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(
            "kam_management.group_kam_manager"
        ):
            if PROTECTED_FIELDS.intersection(vals):
                raise AccessError(
                    self.env._(
                        "The figures, dates and status of a monthly report come "
                        "from the month's data and the Submit button; they cannot "
                        "be edited."
                    )
                )
            if "comments" in vals and any(r.state != "draft" for r in self):
                raise UserError(
                    self.env._("A submitted monthly report cannot be changed.")
                )
        if (
            "due_date" in vals
            and not self.env.su
            and not self.env.user.has_group("sales_team.group_sale_manager")
        ):
            own = self.filtered(lambda r: r.user_id == self.env.user)
            if own:
                raise AccessError(
                    self.env._(
                        "%(report)s: you cannot move the due date of your own "
                        "monthly report; ask your manager.",
                        report=own[0].display_name,
                    )
                )
        return super().write(vals)

    def action_submit(self):
        for report in self:
            if report.state != "draft":
                raise UserError(
                    self.env._(
                        "%(report)s is already submitted.", report=report.display_name
                    )
                )
            if report.user_id != self.env.user and not self.env.user.has_group(
                "kam_management.group_kam_manager"
            ):
                raise AccessError(
                    self.env._(
                        "Only %(user)s can submit %(report)s.",
                        user=report.user_id.name,
                        report=report.display_name,
                    )
                )
        today = fields.Date.context_today(self)
        self.sudo().write({"state": "submitted", "submitted_date": today})
        for report in self.filtered("manager_id"):
            report.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=report.manager_id.id,
                summary=self.env._("Review the monthly report"),
                note=self.env._(
                    "%(user)s submitted the report of %(month)s.",
                    user=report.user_id.name,
                    month=report.date_from.strftime("%Y-%m"),
                ),
            )
        return True

    def action_review(self):
        for report in self:
            if report.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(report)s must be submitted before it is reviewed.",
                        report=report.display_name,
                    )
                )
        self.write({"state": "reviewed"})
        self.sudo().activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_refresh_figures(self):
        """Redraft the figures of draft reports from the month's data."""
        drafts = self.filtered(lambda r: r.state == "draft")
        for (company, date_from), reports in drafts.grouped(
            lambda r: (r.company_id, r.date_from)
        ).items():
            reports.sudo().with_company(company)._fill_figures(date_from)
        return True

    def _fill_figures(self, date_from):
        """Write the figures of ``self`` (reports of one company and month):
        one grouped query per figure for all the users."""
        date_to = date_from + relativedelta(months=1, days=-1)
        users = self.user_id
        Rule = self.env["kam.kpi.rule"]
        company = self.company_id[:1] or self.env.company

        def measure(code):
            return Rule.new(
                {"measure": code, "company_id": company.id}
            )._measure_values(users, date_from, date_to)

        revenue = measure("revenue")
        margin = measure("margin")
        new_clients = measure("new_clients")
        tenders = measure("tenders_won")
        tenders_value = measure("tenders_won_value")
        key_counts = dict(
            (user.id, count)
            for user, count in self.env["res.partner"]
            .sudo()
            ._read_group(
                [
                    ("kam_is_key_account", "=", True),
                    ("is_company", "=", True),
                    ("kam_user_id", "in", users.ids),
                ],
                ["kam_user_id"],
                ["__count"],
            )
        )
        changes = self._key_account_changes(users, date_from, date_to)
        results = (
            self.env["kam.kpi.result"]
            .sudo()
            .search(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "=", company.id),
                    ("date_from", ">=", date_from),
                    ("date_to", "<=", date_to),
                    ("period", "!=", "day"),
                ]
            )
        )
        results_by_user = results.grouped("user_id")
        for report in self:
            uid = report.user_id.id
            report.write(
                {
                    "revenue": revenue.get(uid, 0.0),
                    "margin": margin.get(uid, 0.0),
                    "new_clients": int(new_clients.get(uid, 0)),
                    "tenders_won": int(tenders.get(uid, 0)),
                    "tenders_won_value": tenders_value.get(uid, 0.0),
                    "key_account_count": key_counts.get(uid, 0),
                    "key_account_changes": "\n".join(changes.get(uid, [])),
                    "result_ids": [
                        fields.Command.set(
                            results_by_user.get(report.user_id, results.browse()).ids
                        )
                    ],
                }
            )

    @api.model
    def _key_account_changes(self, users, date_from, date_to):
        """``{user_id: [lines]}``: partners whose KAM changed to or from the
        user during the month (from the tracking of the KAM field)."""
        field = self.env["ir.model.fields"]._get("res.partner", "kam_user_id")
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search_fetch(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.date", ">=", date_from),
                    ("mail_message_id.date", "<", date_to + relativedelta(days=1)),
                    "|",
                    ("old_value_integer", "in", users.ids),
                    ("new_value_integer", "in", users.ids),
                ],
                ["old_value_integer", "new_value_integer", "mail_message_id"],
            )
        )
        partners = (
            self.env["res.partner"]
            .sudo()
            .browse(trackings.mail_message_id.mapped("res_id"))
        )
        names = dict(zip(partners.ids, partners.mapped("display_name"), strict=True))
        changes = {}
        for tracking in trackings:
            name = names.get(tracking.mail_message_id.res_id, "")
            if tracking.new_value_integer in users.ids:
                changes.setdefault(tracking.new_value_integer, []).append(
                    self.env._("+ %(partner)s", partner=name)
                )
            if tracking.old_value_integer in users.ids:
                changes.setdefault(tracking.old_value_integer, []).append(
                    self.env._("- %(partner)s", partner=name)
                )
        return changes

    @api.model
    def _report_users(self, company):
        """Users who report monthly: active internal KAM users of the company."""
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    (
                        "groups_id",
                        "in",
                        self.env.ref("kam_management.group_kam_user").id,
                    ),
                    ("share", "=", False),
                    ("company_ids", "in", company.id),
                ]
            )
        )

    @api.model
    def _draft_reports(self, month_start, company=None):
        """Create (or refresh) the draft reports of the month starting
        ``month_start`` for every reporting user of ``company``."""
        company = company or self.env.company
        users = self._report_users(company)
        existing = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("date_from", "=", month_start),
                ("user_id", "in", users.ids),
            ]
        )
        missing = users - existing.user_id
        new = self.sudo().create(
            [
                {
                    "user_id": user.id,
                    "manager_id": user.sale_team_id.user_id.id,
                    "company_id": company.id,
                    "date_from": month_start,
                    "date_to": month_start + relativedelta(months=1, days=-1),
                }
                for user in missing
            ]
        )
        reports = existing.filtered(lambda r: r.state == "draft") | new
        reports.with_company(company)._fill_figures(month_start)
        for report in new:
            report.message_subscribe(partner_ids=report.user_id.partner_id.ids)
        return existing | new

    @api.model
    def _cron_draft_reports(self):
        """On the 1st of a month: draft the reports of the month just closed.

        Each company in its own savepoint: one that fails is recorded
        (``kam.cron.failure``) and the others go on. Drafting is idempotent
        (a report that exists is refilled, not created again), so a run
        killed midway is simply run again."""
        today = fields.Date.context_today(self)
        month_start = today + relativedelta(months=-1, day=1)
        companies = self.env["res.company"].search([("active", "=", True)])
        done, __ = self.env["kam.cron.failure"]._kam_run_isolated(
            "monthly_reports",
            companies,
            lambda company: self.with_company(company)._draft_reports(
                month_start, company
            ),
        )
        self.env["ir.cron"]._notify_progress(done=len(companies), remaining=0)
