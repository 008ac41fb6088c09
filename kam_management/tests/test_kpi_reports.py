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

    def _kam_change(self, partner, user, when):
        """Set the KAM of ``partner`` to ``user`` with Odoo's tracking, the
        tracking message dated ``when``."""
        self.env.flush_all()
        self.env.cr.precommit.run()  # what this transaction did before
        partner.with_context(tracking_disable=False, mail_notrack=False).write(
            {"kam_user_id": user.id}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is logged before the commit
        field = self.env["ir.model.fields"]._get("res.partner", "kam_user_id")
        message = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("tracking_value_ids.field_id", "=", field.id),
            ],
            order="id desc",
            limit=1,
        )
        self.assertTrue(message, "the KAM change is tracked")
        message.date = when

    def _won_tender(self, user, partner, day, amount, stage="won"):
        values = {
            "name": f"Tender {partner.name} {day}",
            "partner_id": partner.id,
            "user_id": user.id,
            "stage_id": self.env.ref(f"kam_management.kam_tender_stage_{stage}").id,
            "date_submission": day - timedelta(days=20),
            "date_closed": day,
            "awarded_amount": amount,
        }
        if stage == "lost":
            values["loss_reason_id"] = self.env.ref(
                "kam_management.kam_tender_loss_reason_price"
            ).id
            values["awarded_partner_id"] = self.customer_b.id
        return self.env["kam.tender"].create(values)

    def test_report_key_accounts_gained_lost_and_tenders(self):
        """March figures on hand-built data: key accounts whose KAM changed to
        or from the user during the month (tracking), key accounts owned,
        tenders won in the month (count and awarded value)."""
        Partner = self.env["res.partner"]
        gained, lost, before, after, owned = Partner.create(
            [
                {"name": name, "is_company": True}
                for name in (
                    "Gained Co",
                    "Lost Co",
                    "February Co",
                    "April Co",
                    "Owned Co",
                )
            ]
        )
        (lost | owned).kam_user_id = self.kam_user  # untracked: before March
        (gained | owned).kam_is_key_account = True
        self._kam_change(gained, self.kam_user, self.dt(2026, 3, 10, 9, 0))
        self._kam_change(lost, self.kam_user_other, self.dt(2026, 3, 20, 15, 0))
        self._kam_change(before, self.kam_user, self.dt(2026, 2, 27, 12, 0))
        self._kam_change(after, self.kam_user, self.dt(2026, 4, 1, 8, 0))
        # tenders: two won in March for the user, one in February, one lost
        self._won_tender(self.kam_user, gained, date(2026, 3, 5), 120000.0)
        self._won_tender(self.kam_user, owned, date(2026, 3, 31), 30000.0)
        self._won_tender(self.kam_user, owned, date(2026, 2, 28), 9000.0)
        self._won_tender(self.kam_user, owned, date(2026, 3, 12), 0.0, stage="lost")
        self._won_tender(self.kam_user_other, lost, date(2026, 3, 15), 5000.0)
        reports = self.env["kam.monthly.report"].create(
            [
                {
                    "user_id": user.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                }
                for user in (self.kam_user, self.kam_user_other)
            ]
        )
        reports.action_refresh_figures()
        self.assertRecordValues(
            reports,
            [
                {
                    # Gained Co and Owned Co; February Co and April Co are no
                    # key accounts, Lost Co is the other KAM's now
                    "key_account_count": 2,
                    "tenders_won": 2,
                    "tenders_won_value": 150000.0,
                },
                {
                    "key_account_count": 0,
                    "tenders_won": 1,
                    "tenders_won_value": 5000.0,
                },
            ],
        )
        # one line per change in the month (newest first, as Odoo orders
        # tracking values); February and April left out
        self.assertEqual(
            reports[0].key_account_changes.splitlines(),
            ["- Lost Co", "+ Gained Co"],
        )
        self.assertEqual(reports[1].key_account_changes, "+ Lost Co")
        # the user reads these figures on his report
        mine = reports[0].with_user(self.kam_user)
        self.assertEqual(mine.key_account_changes, "- Lost Co\n+ Gained Co")
        self.assertEqual(mine.tenders_won_value, 150000.0)
