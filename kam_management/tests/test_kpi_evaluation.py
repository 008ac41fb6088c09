# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .kpi_common import KpiCommon

# queries of one evaluation of 14 rules over 2 periods each, for any number
# of users: one grouped query per (measure, period) plus Odoo's reads/writes
# the two tenders-won measures add one grouped query per period on kam.tender,
# the three claims measures one each per period
QUERIES_CREATE = 80
QUERIES_UPDATE = 77


@tagged("post_install", "-at_install")
class TestKpiEvaluation(KpiCommon):
    def test_rule_form_shows_definition_and_activity_type(self):
        form = Form(self.env["kam.kpi.rule"])
        form.name = "Calls"
        form.measure = "calls"
        self.assertEqual(form.activity_type_id, self.call_type)
        self.assertIn("Call", form.measure_definition)
        form.measure = "reconciliations"
        self.assertEqual(form.activity_type_id, self.reconciliation_type)
        form.target = 100
        form.user_ids.add(self.kam_user)
        rule = form.save()
        self.assertIn("key accounts", rule.measure_definition)

    def test_bad_input(self):
        # a negative target: refused by the database on create (CHECK), with
        # the rule's name on write
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._rule("calls", -1, self.kam_user)
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self._rule("calls", 1, self.kam_user).target = -1
        with self.assertRaisesText(ValidationError, "applies to no one"):
            self.env["kam.kpi.rule"].create({"name": "Nobody", "target": 3})
        rule = self._rule("revenue", 1000, self.kam_user)
        Target = self.env["kam.kpi.target"]
        Target.create(
            {
                "rule_id": rule.id,
                "user_id": self.kam_user.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "target": 5000,
            }
        )
        with self.assertRaisesText(ValidationError, "covering the same days"):
            Target.create(
                {
                    "rule_id": rule.id,
                    "user_id": self.kam_user.id,
                    "date_from": date(2026, 3, 31),
                    "date_to": date(2026, 4, 30),
                    "target": 6000,
                }
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            Target.create(
                {
                    "rule_id": rule.id,
                    "user_id": self.kam_user_other.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                    "target": -5,
                }
            )
        # nothing half-saved
        self.env.invalidate_all()
        self.assertEqual(len(rule.target_ids), 1)

    def test_override_and_status_transitions(self):
        users = self.kam_user | self.kam_user_other
        rule = self._rule("revenue", 1000, users)
        self.env["kam.kpi.target"].create(
            {
                "rule_id": rule.id,
                "user_id": self.kam_user.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "target": 500,
            }
        )
        self._invoice(self.kam_user, self.customer, date(2026, 3, 2), quantity=4)
        rule._evaluate(today=date(2026, 3, 15))
        mine = self._result(rule, self.kam_user, date(2026, 3, 1))
        other = self._result(rule, self.kam_user_other, date(2026, 3, 1))
        self.assertRecordValues(
            mine | other,
            [
                {
                    "value": 400,
                    "target": 500,
                    "attainment": 80,
                    "status": "in_progress",
                },
                {"value": 0, "target": 1000, "attainment": 0, "status": "in_progress"},
            ],
        )
        # the previous month (closed) is evaluated too
        self.assertEqual(
            self._result(rule, self.kam_user, date(2026, 2, 1)).status, "missed"
        )
        self._invoice(self.kam_user, self.customer, date(2026, 3, 3), quantity=2)
        rule._evaluate(today=date(2026, 3, 20))
        self.assertRecordValues(
            mine, [{"value": 600, "status": "met", "attainment": 120}]
        )
        # the month closes: the other user missed it
        rule._evaluate(today=date(2026, 4, 2))
        self.assertEqual(other.status, "missed")
        self.assertEqual(mine.status, "met")
        self.assertEqual(other.color, "red")

    def test_at_most_rule(self):
        rule = self._rule("calls", 2, self.kam_user, period="week", direction="at_most")
        self._done(self.kam_user, self.call_type, self.dt(2026, 3, 2, 9))
        rule._evaluate(today=date(2026, 3, 4))
        result = self._result(rule, self.kam_user, date(2026, 3, 2))
        self.assertEqual(result.status, "in_progress")
        self._done(self.kam_user, self.call_type, self.dt(2026, 3, 3, 9))
        self._done(self.kam_user, self.call_type, self.dt(2026, 3, 3, 10))
        rule._evaluate(today=date(2026, 3, 4))
        self.assertRecordValues(result, [{"value": 3, "status": "missed"}])

    def test_idempotent(self):
        rule = self._rule(
            "calls", 30, self.kam_user | self.kam_user_other, period="month"
        )
        self._done(self.kam_user, self.call_type, self.dt(2026, 3, 2, 9))
        rule._evaluate(today=date(2026, 3, 10))
        results = rule.result_ids
        self.assertEqual(len(results), 4)  # 2 users x (March, February)
        self._done(self.kam_user, self.call_type, self.dt(2026, 3, 3, 9))
        rule._evaluate(today=date(2026, 3, 10))
        rule._evaluate(today=date(2026, 3, 10))
        self.assertEqual(rule.result_ids, results)
        self.assertEqual(self._result(rule, self.kam_user, date(2026, 3, 1)).value, 2)
        # a user removed from the rule loses the running result, keeps closed ones
        rule.user_ids = [Command.unlink(self.kam_user_other.id)]
        rule._evaluate(today=date(2026, 3, 10))
        self.assertFalse(self._result(rule, self.kam_user_other, date(2026, 3, 1)))
        self.assertTrue(self._result(rule, self.kam_user_other, date(2026, 2, 1)))

    def test_daily_rule_skips_days_off(self):
        rule = self._rule("calls", 30, self.kam_user, period="day")
        calendar = self.env.company.resource_calendar_id
        self.assertFalse(self.kam_user.resource_calendar_id)
        # Saturday 7 March and Sunday 8 March 2026: weekend
        rule._evaluate(today=date(2026, 3, 8))
        self.assertFalse(rule.result_ids)
        # Monday 9 March: a working day, Friday 6 March (closed) was one too
        rule._evaluate(today=date(2026, 3, 9))
        self.assertEqual(rule.result_ids.mapped("date_from"), [date(2026, 3, 9)])
        # a public holiday on Tuesday 10 March (Riga time)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": calendar.id,
                "date_from": self.dt(2026, 3, 9, 22, 0),
                "date_to": self.dt(2026, 3, 10, 21, 59, 59),
            }
        )
        rule._evaluate(today=date(2026, 3, 10))
        self.assertFalse(self._result(rule, self.kam_user, date(2026, 3, 10)))
        self.assertEqual(
            self._result(rule, self.kam_user, date(2026, 3, 9)).status, "missed"
        )
        # an absence is a day off as well
        self.kam_user.write(
            {
                "kam_absent_from": date(2026, 3, 11),
                "kam_absent_until": date(2026, 3, 11),
            }
        )
        rule._evaluate(today=date(2026, 3, 11))
        self.assertFalse(self._result(rule, self.kam_user, date(2026, 3, 11)))
        # without "working days only" every day is evaluated
        rule.working_days_only = False
        rule._evaluate(today=date(2026, 3, 8))
        self.assertTrue(self._result(rule, self.kam_user, date(2026, 3, 8)))

    def test_user_calendar_used(self):
        """A user working Saturday to Wednesday is measured on Saturday."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Sat-Wed",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": str(day),
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                        }
                    )
                    for day in (5, 6, 0, 1, 2)
                ],
            }
        )
        self.kam_user_other.resource_calendar_id = calendar
        rule = self._rule(
            "calls", 30, self.kam_user | self.kam_user_other, period="day"
        )
        rule._evaluate(today=date(2026, 3, 7))  # Saturday
        self.assertEqual(
            rule.result_ids.filtered(lambda r: r.date_from == date(2026, 3, 7)).user_id,
            self.kam_user_other,
        )
        rule._evaluate(today=date(2026, 3, 12))  # Thursday
        self.assertEqual(
            self._result(rule, self.kam_user, date(2026, 3, 12)).user_id, self.kam_user
        )
        self.assertFalse(self._result(rule, self.kam_user_other, date(2026, 3, 12)))

    def test_rule_applies_to_groups_and_teams(self):
        team = self.env["crm.team"].create(
            {
                "name": "KAM team",
                "user_id": self.kam_manager.id,
                "member_ids": [Command.link(self.kam_user.id)],
            }
        )
        rule = self.env["kam.kpi.rule"].create(
            {
                "name": "Team",
                "measure": "calls",
                "target": 1,
                "team_ids": [Command.link(team.id)],
            }
        )
        self.assertEqual(
            rule._applicable_users()[rule], self.kam_manager | self.kam_user
        )
        rule.write(
            {
                "team_ids": [Command.clear()],
                "group_ids": [
                    Command.link(self.env.ref("kam_management.group_kam_manager").id)
                ],
            }
        )
        users = rule._applicable_users()[rule]
        self.assertIn(self.kam_manager, users)
        self.assertNotIn(self.kam_user, users)

    def _evaluation_rules(self, users):
        fields_ = self.env["ir.model.fields"]
        rules = self.env["kam.kpi.rule"]
        for measure, period in (
            ("calls", "day"),
            ("offers_phone", "day"),
            ("offers_email", "day"),
            ("new_clients", "month"),
            ("revenue", "month"),
            ("margin", "month"),
            ("tenders_won", "half_year"),
            ("reconciliations", "month"),
            ("report_on_time", "month"),
            ("portfolio_growth", "quarter"),
            ("claims_received", "month"),
            ("claims_overdue", "month"),
            ("claims_resolved_on_time", "month"),
        ):
            rules |= self._rule(measure, 1, users, period=period)
        rules |= self._rule(
            "generic",
            1,
            users,
            model_id=self.env["ir.model"]._get("crm.lead").id,
            date_field_id=fields_._get("crm.lead", "date_deadline").id,
            user_field_id=fields_._get("crm.lead", "user_id").id,
        )
        return rules

    def _make_users(self, count, prefix):
        users = self.env["res.users"]
        for index in range(count):
            user = new_test_user(
                self.env,
                login=f"{prefix}_{index}",
                groups="kam_management.group_kam_user",
                tz="Europe/Riga",
            )
            self._done(user, self.call_type, self.dt(2026, 3, 10, 9))
            self._invoice(user, self.customer, date(2026, 3, 10))
            self.env["kam.claim"].create(
                {
                    "name": "Late delivery",
                    "user_id": user.id,
                    "date_received": date(2026, 3, 2),
                    "date_due": date(2026, 3, 3),
                }
            )
            users |= user
        return users

    def test_query_count_does_not_grow_with_users(self):
        """One grouped query per (measure, period): the same number of queries
        for 2 and for 6 users, on first evaluation and on re-evaluation."""
        small = self._make_users(2, "kpi_small")
        large = self._make_users(6, "kpi_large")
        small_rules = self._evaluation_rules(small)
        large_rules = self._evaluation_rules(large)
        today = date(2026, 3, 10)  # a Tuesday
        # warm Odoo's caches (xml ids, field metadata) once
        (small_rules | large_rules)._evaluate(today=date(2026, 1, 13))
        counts = {}
        for phase, expected in (("create", QUERIES_CREATE), ("update", QUERIES_UPDATE)):
            for size, rules in (("small", small_rules), ("large", large_rules)):
                if phase == "update":  # something to update for every user
                    for user in rules.user_ids:
                        self._done(user, self.call_type, self.dt(2026, 3, 10, 10))
                self.env.invalidate_all()
                with self.assertQueryCount(expected):
                    before = self.env.cr.sql_log_count
                    rules._evaluate(today=today)
                    counts[phase, size] = self.env.cr.sql_log_count - before
        # assertQueryCount accepts fewer queries: require the same count
        self.assertEqual(counts["create", "small"], counts["create", "large"])
        self.assertEqual(counts["update", "small"], counts["update", "large"])
        # 6 users: 3 daily and 9 monthly rules x 4 periods (13 January, 12
        # January, 10 March, 9 March; January, December, March, February),
        # the quarterly and the half-yearly rules x 2 periods
        self.assertEqual(len(large_rules.result_ids), 6 * (12 * 4 + 2 * 2))
        calls = large_rules.filtered(lambda r: r.measure == "calls").result_ids
        self.assertEqual(
            set(calls.filtered(lambda r: r.date_from == today).mapped("value")), {2.0}
        )
        overdue = large_rules.filtered(
            lambda r: r.measure == "claims_overdue"
        ).result_ids
        self.assertEqual(
            set(
                overdue.filtered(lambda r: r.date_from == date(2026, 3, 1)).mapped(
                    "value"
                )
            ),
            {1.0},
        )
