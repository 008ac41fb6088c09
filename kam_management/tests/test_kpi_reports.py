# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestKpiReports(KpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Key accounts Riga",
                "user_id": cls.kam_manager.id,
                "member_ids": [Command.link(cls.kam_user.id)],
            }
        )

    def _today(self, day):
        return patch.object(fields.Date, "context_today", lambda *a, **k: day)

    def test_report_due_date_configurable(self):
        Report = self.env["kam.monthly.report"]
        report = Report.create(
            {
                "user_id": self.kam_user.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 1, 31),
            }
        )
        self.assertEqual(report.due_date, date(2026, 2, 3))
        self.env.company.kam_report_due_day = 5
        self.assertEqual(report.due_date, date(2026, 2, 5))

    def test_cron_drafts_last_month_with_figures(self):
        self._invoice(self.kam_user, self.customer, date(2026, 2, 10), quantity=3)
        self._invoice(self.kam_user, self.customer, date(2026, 3, 1), quantity=50)
        self._order(self.kam_user, self.customer_b, self.dt(2026, 2, 11, 10))
        rule = self._rule("revenue", 100, self.kam_user)
        rule._evaluate(today=date(2026, 3, 1))
        Report = self.env["kam.monthly.report"]
        with self._today(date(2026, 3, 1)):
            Report._cron_draft_reports()
        report = Report.search(
            [("user_id", "=", self.kam_user.id), ("date_from", "=", date(2026, 2, 1))]
        )
        self.assertRecordValues(
            report,
            [
                {
                    "state": "draft",
                    "due_date": date(2026, 3, 3),
                    "revenue": 300.0,
                    "margin": 120.0,
                    "new_clients": 1,
                    "manager_id": self.kam_manager.id,
                }
            ],
        )
        self.assertEqual(
            report.result_ids, self._result(rule, self.kam_user, date(2026, 2, 1))
        )
        # running again refreshes, never duplicates
        with self._today(date(2026, 3, 2)):
            Report._cron_draft_reports()
        self.assertEqual(Report.search_count([("user_id", "=", self.kam_user.id)]), 1)
        # a KAM manager and the other KAM user report too
        self.assertTrue(Report.search([("user_id", "=", self.kam_manager.id)]))

    def test_submit_on_time_and_late_feed_the_kpi(self):
        Report = self.env["kam.monthly.report"]
        with self._today(date(2026, 3, 1)):
            reports = Report._draft_reports(date(2026, 2, 1))
        mine = reports.filtered(lambda r: r.user_id == self.kam_user)
        other = reports.filtered(lambda r: r.user_id == self.kam_user_other)
        mine.with_user(self.kam_user).comments = "<p>Good month</p>"
        with self._today(date(2026, 3, 3)):
            mine.with_user(self.kam_user).action_submit()
        with self._today(date(2026, 3, 4)):
            other.with_user(self.kam_user_other).action_submit()
        self.assertRecordValues(
            mine | other,
            [
                {
                    "state": "submitted",
                    "submitted_date": date(2026, 3, 3),
                    "is_late": False,
                },
                {
                    "state": "submitted",
                    "submitted_date": date(2026, 3, 4),
                    "is_late": True,
                },
            ],
        )
        # the manager of the team has an activity to review
        activity = mine.activity_ids
        self.assertEqual(activity.user_id, self.kam_manager)
        with self.assertRaises(UserError):
            mine.with_user(self.kam_user).action_submit()
        mine.with_user(self.kam_manager).action_review()
        self.assertEqual(mine.state, "reviewed")
        self.assertFalse(mine.activity_ids)
        users = self.kam_user | self.kam_user_other
        rule = self._rule("report_on_time", 1, users)
        rule._evaluate(today=date(2026, 4, 1))
        self.assertEqual(
            self._result(rule, self.kam_user, date(2026, 3, 1)).status, "met"
        )
        self.assertEqual(
            self._result(rule, self.kam_user_other, date(2026, 3, 1)).status, "missed"
        )

    def test_user_cannot_edit_figures_nor_submit_others(self):
        with self._today(date(2026, 3, 1)):
            reports = self.env["kam.monthly.report"]._draft_reports(date(2026, 2, 1))
        mine = reports.filtered(lambda r: r.user_id == self.kam_user)
        other = reports.filtered(lambda r: r.user_id == self.kam_user_other)
        with self.assertRaises(AccessError):
            mine.with_user(self.kam_user).revenue = 1e9
        with self.assertRaises(AccessError):
            mine.with_user(self.kam_user).write(
                {"state": "submitted", "submitted_date": date(2026, 3, 1)}
            )
        mine.with_user(self.kam_user).comments = "<p>Fine</p>"
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).read(["revenue"])
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).action_submit()
        # the team leader reads the team's reports, not the others'
        visible = self.env["kam.monthly.report"].with_user(self.kam_manager).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)

    def test_monthly_report_pdf(self):
        with self._today(date(2026, 3, 1)):
            reports = self.env["kam.monthly.report"]._draft_reports(date(2026, 2, 1))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "kam_management.kam_monthly_report_document", reports[:1].ids
        )[0]
        self.assertIn(b"Monthly report", html)

    def test_attestation_scheduling(self):
        Attestation = self.env["kam.attestation"]
        created = self.kam_user.create_date.date()
        months = self.env.company.kam_attestation_months
        self.assertEqual(months, 6)
        # not due before six months after the user was created
        with self._today(created):
            Attestation._cron_draft_attestations()
        self.assertFalse(Attestation.search([("user_id", "=", self.kam_user.id)]))
        due_day = date(created.year + 1, created.month, 1)
        rule = self._rule("calls", 1, self.kam_user)
        rule._evaluate(today=due_day)
        with self._today(due_day):
            Attestation._cron_draft_attestations()
            Attestation._cron_draft_attestations()  # no duplicate
        attestation = Attestation.search([("user_id", "=", self.kam_user.id)])
        self.assertEqual(len(attestation), 1)
        self.assertEqual(attestation.next_date.month, (due_day.month + 5) % 12 + 1)
        self.assertEqual(attestation.manager_id, self.team.user_id)
        self.assertEqual(attestation.activity_ids.user_id, self.kam_manager)
        # the closed previous month is in the snapshot
        self.assertEqual(attestation.result_missed_count, 1)
        with self.assertRaises(UserError):
            attestation.action_done()  # no rating
        attestation.write({"rating": "4", "decision_pay": "+5 %"})
        attestation.action_done()
        self.assertEqual(attestation.state, "done")
        # next one only at next_date
        with self._today(attestation.next_date - timedelta(days=1)):
            Attestation._cron_draft_attestations()
        self.assertEqual(
            Attestation.search_count([("user_id", "=", self.kam_user.id)]), 1
        )
        with self._today(attestation.next_date):
            Attestation._cron_draft_attestations()
        self.assertEqual(
            Attestation.search_count([("user_id", "=", self.kam_user.id)]), 2
        )
        # the user reads the attestation and cannot change it
        with self.assertRaises(AccessError):
            attestation.with_user(self.kam_user).write({"rating": "5"})
        with self.assertRaises(AccessError):
            attestation.with_user(self.kam_user_other).read(["rating"])
        # the manager rates the team, not themself
        attestation.with_user(self.kam_manager).decision_conditions = "Training"
        own = Attestation.create(
            {
                "user_id": self.kam_manager.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 6, 30),
            }
        )
        self.assertEqual(own.with_user(self.kam_manager).user_id, self.kam_manager)
        with self.assertRaises(AccessError):
            own.with_user(self.kam_manager).write({"rating": "5"})
