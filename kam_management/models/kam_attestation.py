# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools import kpi_periods


class KamAttestation(models.Model):
    """The periodic review of a user (default every 6 months): KPI snapshot,
    the manager's rating and decisions, the next date."""

    _name = "kam.attestation"
    _description = "Attestation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, user_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        index=True,
        tracking=True,
    )
    manager_id = fields.Many2one(comodel_name="res.users", tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_from = fields.Date(string="Reviewed From", required=True)
    date_to = fields.Date(string="Reviewed Until", required=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    line_ids = fields.One2many(
        comodel_name="kam.attestation.line",
        inverse_name="attestation_id",
        string="KPI Snapshot",
        readonly=True,
        help="Monthly and longer results of the user in the reviewed period, "
        "copied when the snapshot is taken: later evaluations and changes of "
        "the rules do not change them.",
    )
    result_met_count = fields.Integer(string="Results Met", readonly=True)
    result_missed_count = fields.Integer(string="Results Missed", readonly=True)
    average_attainment = fields.Float(string="Average Attainment (%)", readonly=True)
    rating = fields.Selection(
        selection=[
            ("1", "Unsatisfactory"),
            ("2", "Needs improvement"),
            ("3", "Meets expectations"),
            ("4", "Exceeds expectations"),
            ("5", "Outstanding"),
        ],
        tracking=True,
    )
    manager_comment = fields.Html()
    decision_position = fields.Char(
        string="Position Decision", tracking=True, help="e.g. kept, promoted."
    )
    decision_pay = fields.Char(string="Pay Decision", tracking=True)
    decision_conditions = fields.Text(string="Other Conditions")
    next_date = fields.Date(
        compute="_compute_next_date",
        store=True,
        readonly=False,
        tracking=True,
        help="Date of the next attestation (interval set in the settings).",
    )

    _sql_constraints = [
        (
            "dates_order",
            "CHECK(date_from <= date_to)",
            "The reviewed period must end on or after the day it starts.",
        ),
    ]

    @api.depends("user_id", "date")
    def _compute_name(self):
        for attestation in self:
            attestation.name = self.env._(
                "Attestation %(user)s %(date)s",
                user=attestation.user_id.name or "",
                date=attestation.date or "",
            )

    @api.depends("date", "company_id.kam_attestation_months")
    def _compute_next_date(self):
        for attestation in self:
            attestation.next_date = (
                attestation.date
                and kpi_periods.next_attestation_date(
                    attestation.date, attestation.company_id.kam_attestation_months or 6
                )
            )

    def action_snapshot(self):
        """Take the KPI snapshot of the reviewed period again: the results
        are copied on the attestation's lines."""
        done = self.filtered(lambda a: a.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "%(attestation)s is done: its KPI snapshot is what was "
                    "reviewed and is not taken again.",
                    attestation=", ".join(done.mapped("display_name")),
                )
            )
        Line = self.env["kam.attestation.line"]
        results = (
            self.env["kam.kpi.result"]
            .sudo()
            .search(
                [
                    ("user_id", "in", self.user_id.ids),
                    ("date_from", ">=", min(self.mapped("date_from"))),
                    ("date_to", "<=", max(self.mapped("date_to"))),
                    ("period", "!=", "day"),
                ]
            )
        )
        for attestation in self:
            snapshot = results.filtered(
                lambda r, a=attestation: r.user_id == a.user_id
                and r.company_id == a.company_id
                and a.date_from <= r.date_from
                and r.date_to <= a.date_to
            )
            attestation.sudo().write(
                {
                    "line_ids": [Command.clear()]
                    + [
                        Command.create(
                            dict(
                                {fname: result[fname] for fname in Line.COPIED},
                                result_id=result.id,
                            )
                        )
                        for result in snapshot
                    ],
                    "result_met_count": len(
                        snapshot.filtered(lambda r: r.status == "met")
                    ),
                    "result_missed_count": len(
                        snapshot.filtered(lambda r: r.status == "missed")
                    ),
                    "average_attainment": (
                        sum(snapshot.mapped("attainment")) / len(snapshot)
                        if snapshot
                        else 0.0
                    ),
                }
            )
        return True

    def action_done(self):
        for attestation in self:
            if not attestation.rating:
                raise UserError(
                    self.env._(
                        "%(attestation)s: give a rating before closing it.",
                        attestation=attestation.display_name,
                    )
                )
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    @api.model
    def _due_users(self, company, today):
        """Users of ``company`` whose attestation is due on or before
        ``today``: the next date of their last attestation, or their creation
        date plus the interval; none when a draft is open."""
        users = self.env["kam.monthly.report"]._report_users(company)
        last = dict(
            (user.id, next_date)
            for user, next_date in self.sudo()._read_group(
                [("user_id", "in", users.ids), ("company_id", "=", company.id)],
                ["user_id"],
                ["next_date:max"],
            )
        )
        open_drafts = {
            user.id
            for (user,) in self.sudo()._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "=", company.id),
                    ("state", "=", "draft"),
                ],
                ["user_id"],
            )
        }
        months = company.kam_attestation_months or 6
        due = self.env["res.users"]
        for user in users:
            if user.id in open_drafts:
                continue
            next_date = last.get(user.id) or (
                kpi_periods.next_attestation_date(
                    fields.Datetime.context_timestamp(self, user.create_date).date(),
                    months,
                )
            )
            if next_date <= today:
                due |= user
        return due

    @api.model
    def _cron_draft_attestations(self):
        """Draft the attestations that are due, with their KPI snapshot, and
        give the manager an activity."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([("active", "=", True)]):
            users = self._due_users(company, today)
            months = company.kam_attestation_months or 6
            attestations = self.sudo().create(
                [
                    {
                        "user_id": user.id,
                        "manager_id": user.sale_team_id.user_id.id,
                        "company_id": company.id,
                        "date": today,
                        "date_from": today - relativedelta(months=months),
                        "date_to": today - relativedelta(days=1),
                    }
                    for user in users
                ]
            )
            if attestations:
                attestations.action_snapshot()
            for attestation in attestations:
                attestation.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=(attestation.manager_id or self.env.user).id,
                    summary=self.env._(
                        "Attestation of %(user)s", user=attestation.user_id.name
                    ),
                )
