# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import kpi_periods


class ResUsers(models.Model):
    _inherit = "res.users"

    kam_absent_from = fields.Date(
        string="Absent From",
        help="First day of an absence (vacation, illness). While absent, the "
        "deputy of each of the user's key accounts receives its activities and "
        "reminders.",
    )
    kam_absent_until = fields.Date(
        string="Absent Until",
        help="Last day of the absence (included).",
    )

    _sql_constraints = [
        (
            "kam_absence_order",
            "CHECK(kam_absent_from IS NULL OR kam_absent_until IS NULL "
            "OR kam_absent_from <= kam_absent_until)",
            "An absence must end on or after the day it starts.",
        ),
    ]

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["kam_absent_from", "kam_absent_until"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["kam_absent_from", "kam_absent_until"]

    def write(self, vals):
        if not self.env.su and {"kam_absent_from", "kam_absent_until"} & set(vals):
            self._kam_check_absence_change(vals)
        return super().write(vals)

    def _kam_check_absence_change(self, vals):
        """Refuse an absence change that adds days before today (days off do
        not count as failed daily KPI results), unless a KAM Manager sets it
        for another user or a Sales Administrator sets it. Anyone may declare
        or change an absence from today on."""
        actor = self.env.user
        if actor.has_group("sales_team.group_sale_manager"):
            return
        manager = actor.has_group("kam_management.group_kam_manager")
        today = fields.Date.context_today(self)
        yesterday = today - timedelta(days=1)

        def past_days(date_from, date_until):
            if not date_from or date_from > yesterday:
                return None
            return date_from, min(date_until or yesterday, yesterday)

        for user in self.sudo():
            if manager and user != actor:
                continue
            old = past_days(user.kam_absent_from, user.kam_absent_until)
            new = past_days(
                fields.Date.to_date(vals.get("kam_absent_from", user.kam_absent_from)),
                fields.Date.to_date(
                    vals.get("kam_absent_until", user.kam_absent_until)
                ),
            )
            if new and (not old or new[0] < old[0] or new[1] > old[1]):
                raise AccessError(
                    self.env._(
                        "Absence of %(user)s: an absence cannot start before "
                        "today (%(day)s); past days off are recorded by a KAM "
                        "Manager.",
                        user=user.name,
                        day=today,
                    )
                )

    @api.model
    def _kam_absent_ids(self, day=None):
        """Ids of the users of ``self`` absent on ``day`` (default: today)."""
        day = day or fields.Date.context_today(self)
        return {
            user.id
            for user in self
            if user.kam_absent_from
            and user.kam_absent_from <= day
            and (not user.kam_absent_until or day <= user.kam_absent_until)
        }

    # --- KPI rules ---
    kam_kpi_result_ids = fields.One2many(
        comodel_name="kam.kpi.result",
        inverse_name="user_id",
        string="KPI Results",
    )
    kam_commission_plan_ids = fields.Many2many(
        comodel_name="kam.commission.plan",
        relation="kam_commission_plan_user_rel",
        column1="user_id",
        column2="plan_id",
        string="Commission Plans",
    )

    def _kam_working_days(self, date_from, date_to):
        """``{user_id: set of working days}`` of ``self`` in
        ``[date_from, date_to]``: weekdays of each user's working calendar
        (the company's when the user has none), minus public holidays and
        leaves of that calendar, the user's own leaves and KAM absences, in the
        user's time zone. A constant number of queries for any number of users.
        """
        users = self.sudo()
        calendars = {
            user.id: user.resource_calendar_id or user.company_id.resource_calendar_id
            for user in users
        }
        all_calendars = self.env["resource.calendar"].union(*calendars.values())
        weekdays = {
            calendar.id: {
                int(att.dayofweek)
                for att in calendar.attendance_ids
                if att.day_period != "lunch" and not att.display_type
            }
            for calendar in all_calendars
        }
        start = fields.Datetime.to_datetime(date_from) - timedelta(days=1)
        end = fields.Datetime.to_datetime(date_to) + timedelta(days=2)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("date_from", "<", end),
                    ("date_to", ">", start),
                    "|",
                    ("calendar_id", "in", all_calendars.ids + [False]),
                    ("resource_id.user_id", "in", users.ids),
                ],
                ["date_from", "date_to", "calendar_id", "resource_id", "company_id"],
            )
        )
        resource_user = {res.id: res.user_id.id for res in leaves.resource_id.sudo()}
        result = {}
        for user in users:
            calendar = calendars[user.id]
            tz = pytz.timezone(user.tz or calendar.tz or "UTC")
            off = set()
            for leave in leaves:
                if leave.resource_id:
                    if resource_user.get(leave.resource_id.id) != user.id:
                        continue
                elif leave.calendar_id and leave.calendar_id != calendar:
                    continue
                elif leave.company_id and leave.company_id != user.company_id:
                    continue
                first = pytz.utc.localize(leave.date_from).astimezone(tz).date()
                last = (
                    pytz.utc.localize(leave.date_to - timedelta(seconds=1))
                    .astimezone(tz)
                    .date()
                )
                off.update(
                    first + timedelta(days=n) for n in range((last - first).days + 1)
                )
            if user.kam_absent_from:
                last = user.kam_absent_until or date_to
                off.update(
                    user.kam_absent_from + timedelta(days=n)
                    for n in range((last - user.kam_absent_from).days + 1)
                )
            result[user.id] = set(
                kpi_periods.working_days(
                    date_from, date_to, weekdays.get(calendar.id, ()), off
                )
            )
        return result
