# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Scheduled actions that survive (issue #17): each record isolated (one that
fails is recorded, the others go on), batches with progress so that a killed
run resumes without duplicates or gaps, rows held by another run skipped
(``SKIP LOCKED``) instead of waiting or hitting a unique key."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, sql_db
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models import kam_classification_policy, kam_health_score, sale_order_service
from .common import KamCommon
from .common_accountplan import AccountPlanCommon
from .service_common import KamServiceCommon
from .test_keyaccounts_classification import KeyAccountCommon

FAILURE_LOGGER = "odoo.addons.kam_management.models.kam_cron_failure"


class CronCommon:
    def _progress(self, cron_xmlid):
        """A progress record of the cron, and a context that reports to it."""
        cron = self.env.ref(cron_xmlid)
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        return progress, {"ir_cron_progress_id": progress.id, "cron_id": cron.id}

    @contextmanager
    def _held_elsewhere(self, table, record_id):
        """Lock a committed row from another connection, as another worker or
        a manual run would, for the duration of the block. The test cursor
        gives up waiting after 2 seconds (code that waited would fail here
        instead of hanging)."""
        self.env.cr.execute("SET LOCAL lock_timeout = '2s'")
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute(
                SQL(
                    "SELECT id FROM %s WHERE id = %s FOR UPDATE NOWAIT",
                    SQL.identifier(table),
                    record_id,
                )
            )
            try:
                yield
            finally:
                other.rollback()


@tagged("post_install", "-at_install")
class TestClassificationCronResilience(CronCommon, KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Policy = cls.env["kam.classification.policy"]
        cls.good, cls.bad = cls.Policy.create(
            [
                {"name": name, "basis": "revenue", "company_id": cls.company.id}
                for name in ("Good policy", "Failing policy")
            ]
        )

    def _runs_today(self, policies):
        return (
            self.env["kam.classification.run"]
            .sudo()
            .search([("policy_id", "in", policies.ids), ("date", "=", self.today)])
        )

    def _pending(self):
        """Active policies of every company not run today."""
        return self.Policy.search([("active", "=", True)]).filtered(
            lambda p: not p.last_run_id or p.last_run_id.date < self.today
        )

    def test_failing_policy_is_isolated_and_recorded(self):
        original = type(self.Policy)._run_classification
        bad = self.bad

        def flaky(policy, date=None):
            if policy == bad:
                raise ValueError("no exchange rate for the period")
            return original(policy, date)

        with (
            patch.object(type(self.Policy), "_run_classification", flaky),
            self.assertLogs(FAILURE_LOGGER, "WARNING") as logs,
        ):
            self.Policy._cron_run_classification()
        self.assertIn("classification", logs.output[0])
        self.assertEqual(self._runs_today(self.good).policy_id, self.good)
        self.assertFalse(self._runs_today(self.bad))
        self.assertIn("no exchange rate", self.bad.kam_last_error)
        self.assertTrue(self.bad.kam_last_error_date)
        failure = self.env["kam.cron.failure"].search(
            [("res_model", "=", self.Policy._name), ("res_id", "=", self.bad.id)]
        )
        self.assertEqual(failure.cron_key, "classification")
        self.assertEqual(failure.record_name, "Failing policy")
        # kept with the policy's company: other companies' managers do not see it
        self.assertEqual(failure.company_id, self.company)
        # the next call of the day does not try it again (no endless retry)
        progress, context = self._progress("kam_management.ir_cron_kam_classification")
        self.Policy.with_context(**context)._cron_run_classification()
        self.assertFalse(self._runs_today(self.bad))
        self.assertEqual(progress.remaining, 0)
        # a manual run succeeds and clears the failure
        self.bad.action_run()
        self.assertEqual(len(self._runs_today(self.bad)), 1)
        self.assertFalse(self.bad.kam_last_error)
        self.assertFalse(self.bad.kam_last_error_date)

    def test_killed_after_first_batch_resumes_without_duplicates(self):
        pending = self._pending()
        self.assertGreaterEqual(len(pending), 2)
        cron = "kam_management.ir_cron_kam_classification"
        with patch.object(kam_classification_policy, "CRON_BATCH_SIZE", 1):
            progress, context = self._progress(cron)
            self.Policy.with_context(**context)._cron_run_classification()
            # one policy done, the run stops here (killed): the rest is left
            self.assertEqual((progress.done, progress.remaining), (1, len(pending) - 1))
            self.assertEqual(len(self._runs_today(pending)), 1)
            # the scheduler calls again until nothing remains
            for _call in range(len(pending)):
                progress, context = self._progress(cron)
                self.Policy.with_context(**context)._cron_run_classification()
                if not progress.remaining:
                    break
        self.assertEqual(progress.remaining, 0)
        runs = self._runs_today(pending)
        # every policy once: no duplicate, no gap
        self.assertEqual(runs.policy_id, pending)
        self.assertEqual(len(runs), len(pending))

    def test_run_by_hand_asks_the_scheduler_for_the_rest(self):
        # "Run Manually" runs one call: the policies left go to the scheduler
        self.assertGreaterEqual(len(self._pending()), 2)
        cron = self.env.ref("kam_management.ir_cron_kam_classification")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search([("cron_id", "=", cron.id)])
        with patch.object(kam_classification_policy, "CRON_BATCH_SIZE", 1):
            self.Policy._cron_run_classification()
        triggers = Trigger.search([("cron_id", "=", cron.id)]) - before
        self.assertEqual(len(triggers), 1)
        self.assertLessEqual(triggers.call_at, fields.Datetime.now())

    def test_policy_held_by_another_run_is_skipped(self):
        # a demo policy (committed, so another connection can lock it), not
        # run today as far as this transaction knows
        Policy = self.Policy.sudo()  # as the cron: every company
        held = Policy.search(
            [("active", "=", True), ("company_id", "!=", self.company.id)], limit=1
        )
        self.assertTrue(held, "the demo data has a classification policy")
        self.env.cr.execute(
            SQL(
                "UPDATE kam_classification_run SET date = date - 1 "
                "WHERE policy_id = %s",
                held.id,
            )
        )
        self.env.invalidate_all()
        progress, context = self._progress("kam_management.ir_cron_kam_classification")
        with self._held_elsewhere("kam_classification_policy", held.id):
            Policy.with_context(**context)._cron_run_classification()
        self.assertFalse(self._runs_today(held), "left to the run holding it")
        self.assertEqual(len(self._runs_today(self.good | self.bad)), 2)
        self.assertGreaterEqual(progress.remaining, 1)
        self.assertFalse(
            self.env["kam.cron.failure"].search([("res_id", "=", held.id)]),
            "a held policy is no failure",
        )
        # released: the next calls run it, once
        for _call in range(10):
            progress, context = self._progress(
                "kam_management.ir_cron_kam_classification"
            )
            Policy.with_context(**context)._cron_run_classification()
            if not progress.remaining:
                break
        self.assertEqual(len(self._runs_today(held)), 1)


@tagged("post_install", "-at_install")
class TestHealthCronResilience(CronCommon, AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Score = cls.env["kam.health.score"]
        cls.accounts = cls.env["res.partner"].union(
            *(
                cls._key_account(f"Health cron {i}", company_id=cls.env.company.id)
                for i in range(3)
            )
        )

    def _today(self):
        return fields.Date.context_today(self.Score)

    def _scores_today(self, partners):
        return self.Score.search(
            [
                ("partner_id", "in", partners.ids),
                ("date", "=", self._today()),
                ("company_id", "=", self.env.company.id),
            ]
        )

    def _pending(self):
        """Key accounts of this company not scored today."""
        accounts = self.Score._kam_key_accounts(self.env.company)
        return accounts - self._scores_today(accounts).partner_id

    def test_failing_account_is_isolated_and_recorded(self):
        original = type(self.Score)._kam_compute
        bad = self.accounts[1]

        def flaky(model, partners, day=None):
            if bad in partners:
                raise ValueError("broken receivable account")
            return original(model, partners, day)

        with (
            patch.object(type(self.Score), "_kam_compute", flaky),
            self.assertLogs(FAILURE_LOGGER, "WARNING"),
        ):
            self.Score._cron_compute_health()
        self.assertEqual(
            self._scores_today(self.accounts).partner_id, self.accounts - bad
        )
        failure = self.env["kam.cron.failure"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", bad.id)]
        )
        self.assertEqual(failure.cron_key, "health")
        self.assertIn("broken receivable account", failure.error)
        self.assertEqual(failure.company_id, self.env.company)
        # failures are for the managers only
        with self.assertRaises(AccessError):
            failure.with_user(self.kam_user).read(["error"])
        self.assertTrue(failure.with_user(self.kam_manager).read(["error"]))

    def test_killed_after_first_batch_resumes_without_duplicates(self):
        pending = self._pending()
        self.assertGreaterEqual(len(pending), 3)
        cron = "kam_management.ir_cron_kam_health"
        with patch.object(kam_health_score, "CRON_BATCH_SIZE", 1):
            progress, context = self._progress(cron)
            self.Score.with_context(**context)._cron_compute_health()
            self.assertEqual(progress.done, 1)
            self.assertGreaterEqual(progress.remaining, len(pending) - 1)
            self.assertEqual(len(self._scores_today(pending)), 1)
            for _call in range(progress.remaining + 1):
                progress, context = self._progress(cron)
                self.Score.with_context(**context)._cron_compute_health()
                if not progress.remaining:
                    break
        self.assertEqual(progress.remaining, 0)
        scores = self._scores_today(pending)
        self.assertEqual(scores.partner_id, pending)
        self.assertEqual(len(scores), len(pending), "one score per account")

    def test_account_held_by_another_run_is_skipped(self):
        # a demo key account (committed) of another company than the test's
        demo_company = self.env.ref("base.main_company")
        Score = self.Score.sudo().with_company(demo_company)
        held = Score._kam_key_accounts(demo_company)[:1]
        self.assertTrue(held, "the demo data has key accounts")
        today = fields.Date.context_today(Score)
        self.env.cr.execute(
            SQL(
                "DELETE FROM kam_health_score WHERE partner_id = %s AND date = %s",
                held.id,
                today,
            )
        )
        self.env.invalidate_all()
        with self._held_elsewhere("res_partner", held.id):
            self.Score.sudo()._cron_compute_health()
        domain = [
            ("partner_id", "=", held.id),
            ("company_id", "=", demo_company.id),
            ("date", "=", today),
        ]
        self.assertFalse(Score.search(domain), "left to the run holding it")
        self.assertEqual(len(self._scores_today(self.accounts)), 3)
        Score._cron_compute_health()
        self.assertEqual(Score.search_count(domain), 1)


@tagged("post_install", "-at_install")
class TestQuotationExpiryCronResilience(CronCommon, KamServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.kam_quotation_expiry_notice_days = 3
        soon = fields.Date.context_today(cls.env.user) + timedelta(days=2)
        cls.orders = cls.env["sale.order"].union(
            *(cls._order(cls.account, validity_date=soon) for _i in range(3))
        )
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def _reminders(self, order):
        return order.activity_ids.filtered(lambda a: a.activity_type_id == self.todo)

    def test_failing_quotation_is_isolated(self):
        original = type(self.env["sale.order"])._kam_remind_expiry
        bad = self.orders[1]

        def flaky(orders, today):
            if bad in orders:
                raise ValueError("no follow-up user")
            return original(orders, today)

        with (
            patch.object(type(self.env["sale.order"]), "_kam_remind_expiry", flaky),
            self.assertLogs(FAILURE_LOGGER, "WARNING"),
        ):
            self.env["sale.order"]._cron_kam_quotation_expiry()
        for order in self.orders - bad:
            self.assertEqual(len(self._reminders(order)), 1)
            self.assertTrue(order.kam_expiry_reminded)
        self.assertFalse(self._reminders(bad))
        self.assertFalse(bad.kam_expiry_reminded)
        failure = self.env["kam.cron.failure"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", bad.id)]
        )
        self.assertEqual(failure.cron_key, "quotation_expiry")

    def test_killed_after_first_batch_resumes_without_duplicates(self):
        cron = "kam_management.ir_cron_kam_quotation_expiry"
        with patch.object(sale_order_service, "EXPIRY_BATCH_SIZE", 1):
            progress, context = self._progress(cron)
            self.env["sale.order"].with_context(**context)._cron_kam_quotation_expiry()
            self.assertEqual(progress.done, 1)
            self.assertGreaterEqual(progress.remaining, 2)
            self.assertEqual(
                len(self.orders.filtered("kam_expiry_reminded")), 1, "one batch"
            )
            for _call in range(progress.remaining + 1):
                progress, context = self._progress(cron)
                self.env["sale.order"].with_context(
                    **context
                )._cron_kam_quotation_expiry()
                if not progress.remaining:
                    break
        self.assertEqual(progress.remaining, 0)
        for order in self.orders:
            self.assertEqual(len(self._reminders(order)), 1, "once, none missed")


@tagged("post_install", "-at_install")
class TestMonthlyReportCronResilience(CronCommon, KamCommon):
    def test_failing_company_is_isolated(self):
        Report = self.env["kam.monthly.report"]
        other = self.env["res.company"].create({"name": "Cron Other Co"})
        original = type(Report)._draft_reports
        calls = []

        def flaky(model, month_start, company):
            calls.append(company)
            if company == other:
                raise ValueError("no fiscal year")
            return original(model, month_start, company)

        with (
            patch.object(type(Report), "_draft_reports", flaky),
            self.assertLogs(FAILURE_LOGGER, "WARNING"),
        ):
            Report._cron_draft_reports()
        # every company was tried, the failing one did not stop the others
        self.assertIn(other, calls)
        self.assertIn(self.env.company, calls)
        failure = self.env["kam.cron.failure"].search(
            [("res_model", "=", "res.company"), ("res_id", "=", other.id)]
        )
        self.assertEqual(failure.cron_key, "monthly_reports")
        self.assertEqual(failure.company_id, other)


@tagged("post_install", "-at_install")
class TestReconciliationCronResilience(CronCommon, AccountPlanCommon):
    def test_failing_account_is_isolated(self):
        self.env.company.kam_reconciliations_per_month = 1
        good = self._key_account("Cron Recon Good", kam=self.kam_user)
        bad = self._key_account("Cron Recon Bad", kam=self.kam_user)
        Partner = self.env["res.partner"]
        original = type(Partner)._kam_schedule_reconciliations
        activity_type = self.env.ref("kam_management.mail_activity_type_reconciliation")

        def flaky(accounts, day=None):
            if bad in accounts:
                raise ValueError("no responsible user")
            return original(accounts, day)

        with (
            patch.object(type(Partner), "_kam_schedule_reconciliations", flaky),
            self.assertLogs(FAILURE_LOGGER, "WARNING"),
        ):
            Partner._cron_kam_reconciliation()
        self.assertEqual(
            len(
                good.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                )
            ),
            1,
        )
        self.assertFalse(bad.activity_ids)
        failure = self.env["kam.cron.failure"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", bad.id)]
        )
        self.assertEqual(failure.cron_key, "reconciliation")
