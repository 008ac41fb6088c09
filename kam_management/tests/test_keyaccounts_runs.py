# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Classification runs: names, one run per policy and day, the changes
against the previous run, the retention of old runs, the Analysis action."""

from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .test_keyaccounts_classification import KeyAccountCommon


class RunsCommon(KeyAccountCommon):
    def _seller_policy(self, login, **vals):
        seller = new_test_user(
            self.env, login=login, groups="sales_team.group_sale_salesman"
        )
        policy = self._policy(scope="salesperson", user_id=seller.id, **vals)
        return policy, seller

    def _customers(self, prefix, count):
        return self.env["res.partner"].create(
            [{"name": f"{prefix} {i}", "is_company": True} for i in range(count)]
        )

    def _changes(self, run):
        """{(partner, change type): change row} of ``run``."""
        return {
            (change.partner_id, change.change_type): change for change in run.change_ids
        }


@tagged("post_install", "-at_install")
class TestRunNames(RunsCommon):
    def test_name_carries_policy_scope_and_date(self):
        team = self.env["crm.team"].create({"name": "North"})
        seller = new_test_user(
            self.env,
            login="kam_runs_seller",
            name="Sam Seller",
            groups="sales_team.group_sale_salesman",
        )
        day = self.today
        company_run = self._policy(name="Revenue")._run_classification(day)
        team_run = self._policy(
            name="Revenue", scope="team", team_id=team.id
        )._run_classification(day)
        seller_run = self._policy(
            name="Revenue", scope="salesperson", user_id=seller.id
        )._run_classification(day)
        self.assertEqual(company_run.name, f"Revenue (Company) {day}")
        self.assertEqual(team_run.name, f"Revenue (Team: North) {day}")
        self.assertEqual(seller_run.name, f"Revenue (Salesperson: Sam Seller) {day}")
        self.assertEqual(team_run.scope, "team")
        # a renamed team renames its runs
        team.name = "North-East"
        self.assertEqual(team_run.name, f"Revenue (Team: North-East) {day}")

    def test_one_run_per_policy_and_day(self):
        policy = self._policy()
        run = policy._run_classification(self.today)
        vals = {
            "policy_id": policy.id,
            "date": self.today,
            "period_start": run.period_start,
            "period_end": run.period_end,
            "basis": "revenue",
        }
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.classification.run"].create(vals)
            self.env.flush_all()
        self.assertEqual(policy.run_count, 1)
        # another day, or another policy on the same day, is fine
        self.env["kam.classification.run"].create(
            vals | {"date": self.today - timedelta(days=1)}
        )
        self.env["kam.classification.run"].create(
            vals | {"policy_id": self._policy().id}
        )
        self.env.flush_all()
        self.assertEqual(policy.run_count, 2)

    def test_policy_history_settings_validation(self):
        policy = self._policy()
        self.assertEqual(policy.share_move_threshold, 1.0)
        self.assertEqual(policy.run_retention_days, 60)
        for vals in ({"share_move_threshold": -0.5}, {"run_retention_days": 0}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                policy.write(vals)
        policy.write({"share_move_threshold": 0.0, "run_retention_days": 1})
        self.assertEqual(policy.run_retention_days, 1)


@tagged("post_install", "-at_install")
class TestRunChanges(RunsCommon):
    """Run 1 (yesterday) ranks the invoices of one salesperson:
    P1 5000 (50 %), P2 2500 (25 %), P3 1200 (12 %), P4 800 (8 %), P5 500 (5 %):
    classes A A A B C, dependence critical critical key none none, key P1-P3.

    Then P1 +98, P2 -1600, P3 +101, P4 -99, P5 -500, P6 new 2000. Run 2
    (today): P1 5098 (50.98 %), P6 2000 (20 %), P3 1301 (13.01 %), P2 900
    (9 %), P4 701 (7.01 %), P5 no longer ranked; classes A A A B B,
    dependence critical key key none none, key P1 P6 P3.
    """

    def _two_runs(self, threshold=1.0):
        policy, seller = self._seller_policy(
            "kam_runs_changes", share_move_threshold=threshold
        )
        partners = self._customers("P", 6)
        for partner, amount in zip(
            partners, (5000, 2500, 1200, 800, 500), strict=False
        ):
            self._invoice(partner, amount, user=seller)
        first = policy._run_classification(self.today - timedelta(days=1))
        p1, p2, p3, p4, p5, p6 = partners
        self._invoice(p1, 98, user=seller)
        self._invoice(p2, 1600, refund=True, user=seller)
        self._invoice(p3, 101, user=seller)
        self._invoice(p4, 99, refund=True, user=seller)
        self._invoice(p5, 500, refund=True, user=seller)
        self._invoice(p6, 2000, user=seller)
        second = policy._run_classification(self.today)
        return first, second, partners

    def test_changes_against_previous_run(self):
        first, second, partners = self._two_runs()
        p1, p2, p3, p4, p5, p6 = partners
        self.assertFalse(first.previous_run_id, "the first run is the baseline")
        self.assertFalse(first.change_ids)
        self.assertEqual(second.previous_run_id, first)
        changes = self._changes(second)
        self.assertEqual(
            set(changes),
            {
                (p2, "dropped_key"),
                (p2, "class"),
                (p2, "dependence"),
                (p2, "share"),
                (p3, "share"),
                (p5, "class"),
                (p5, "share"),
                (p6, "new_key"),
                (p6, "class"),
                (p6, "dependence"),
                (p6, "share"),
            },
        )
        # new key account, ranked by this run only: share 0, no class before
        new = changes[(p6, "class")]
        self.assertFalse(new.old_abc_class)
        self.assertEqual(new.new_abc_class, "A")
        self.assertEqual(
            (
                changes[(p6, "dependence")].old_dependence_level,
                changes[(p6, "dependence")].new_dependence_level,
            ),
            ("none", "key"),
        )
        self.assertAlmostEqual(changes[(p6, "share")].old_share, 0.0)
        self.assertAlmostEqual(changes[(p6, "share")].new_share, 20.0)
        # key account that falls to 9 %
        share = changes[(p2, "share")]
        self.assertAlmostEqual(share.old_share, 25.0)
        self.assertAlmostEqual(share.new_share, 9.0)
        self.assertAlmostEqual(share.share_delta, -16.0)
        self.assertEqual(
            (
                changes[(p2, "class")].old_abc_class,
                changes[(p2, "class")].new_abc_class,
            ),
            ("A", "B"),
        )
        self.assertEqual(changes[(p2, "dependence")].old_dependence_level, "critical")
        self.assertEqual(changes[(p2, "dependence")].new_dependence_level, "none")
        # no longer ranked: class C -> none, share 5 -> 0
        self.assertEqual(changes[(p5, "class")].old_abc_class, "C")
        self.assertFalse(changes[(p5, "class")].new_abc_class)
        self.assertAlmostEqual(changes[(p5, "share")].share_delta, -5.0)
        # share moves: P3 +1.01 (listed), P1 +0.98 and P4 -0.99 (not)
        self.assertAlmostEqual(changes[(p3, "share")].share_delta, 1.01)
        self.assertNotIn(p1, {partner for partner, __ in changes})
        self.assertNotIn(p4, {partner for partner, __ in changes})
        self.assertEqual(second.change_ids.company_id, self.company)
        self.assertEqual(set(second.change_ids.mapped("run_date")), {self.today})
        self.assertEqual(second.change_ids.previous_run_id, first)
        # the counts of the form
        self.assertEqual(second.change_count, 11)
        self.assertEqual(second.new_key_count, 1)
        self.assertEqual(second.dropped_key_count, 1)
        self.assertEqual((first.change_count, first.new_key_count), (0, 0))
        # recording again replaces the rows
        second._kam_record_changes(first)
        self.assertEqual(len(second.change_ids), 11)
        # no previous run: no change, no comparison
        second._kam_record_changes(self.env["kam.classification.run"])
        self.assertFalse(second.change_ids)
        self.assertFalse(second.previous_run_id)

    def test_share_threshold_of_the_policy(self):
        # 0.98 and 0.99 points are share moves from 0.98 points on
        __, second, partners = self._two_runs(threshold=0.98)
        moved = second.change_ids.filtered(lambda c: c.change_type == "share")
        self.assertEqual(moved.partner_id, partners)

    def test_change_actions(self):
        __, second, __ = self._two_runs()
        action = second.action_view_changes()
        self.assertEqual(action["res_model"], "kam.classification.change")
        self.assertEqual(action["domain"], [("run_id", "in", second.ids)])
        found = self.env["kam.classification.change"].search(action["domain"])
        self.assertEqual(found, second.change_ids)
        action = second.with_context(kam_change_type="new_key").action_view_changes()
        self.assertEqual(action["context"], {"search_default_new_key": 1})
        # the filter of the search view finds the new key account
        arch = self.env["kam.classification.change"].get_views([(False, "search")])[
            "views"
        ]["search"]["arch"]
        self.assertIn('name="new_key"', arch)
        self.assertEqual(
            self.env["kam.classification.change"]
            .search(action["domain"] + [("change_type", "=", "new_key")])
            .partner_id.name,
            "P 5",
        )

    def test_record_changes_query_count(self):
        """The queries of the comparison do not depend on the customers."""
        runs = {}
        for size in (5, 25):
            policy, seller = self._seller_policy(f"kam_runs_queries_{size}")
            partners = self._customers(f"Q{size}", size)
            for i, partner in enumerate(partners):
                self._invoice(partner, 100 + 10 * i, user=seller)
            first = policy._run_classification(self.today - timedelta(days=1))
            for i, partner in enumerate(partners[: size // 2]):
                self._invoice(partner, 1000 * (i + 1), user=seller)
            second = policy._run_classification(self.today)
            runs[size] = (first, second)
        self.env.flush_all()
        self.env.invalidate_all()
        first, second = runs[5]
        start = self.env.cr.sql_log_count
        second._kam_record_changes(first)
        count = self.env.cr.sql_log_count - start
        self.env.invalidate_all()
        first, second = runs[25]
        with self.assertQueryCount(count):
            second._kam_record_changes(first)
        self.assertGreater(len(runs[25][1].change_ids), len(runs[5][1].change_ids))
        self.assertGreater(len(runs[5][1].change_ids), 0)


@tagged("post_install", "-at_install")
class TestRunRetention(RunsCommon):
    def _daily_runs(self, policy, days, end=None):
        """Runs of ``policy`` on each of the ``days`` days up to ``end``
        (default today; the run of today is marked last), with two lines
        each: A with a share growing with the age of the run, B 40 %."""
        end = end or self.today
        dates = [end - timedelta(days=n) for n in range(days - 1, -1, -1)]
        runs = self.env["kam.classification.run"].create(
            [
                {
                    "policy_id": policy.id,
                    "date": date,
                    "period_start": date - timedelta(days=365),
                    "period_end": date,
                    "basis": "revenue",
                    "is_last": date == self.today,
                }
                for date in dates
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO kam_classification_line (
                run_id, company_id, run_date, partner_id, rank, share,
                abc_class, dependence_level, is_key)
            SELECT run.id, run.company_id, run.date, partner.id, partner.rank,
                   CASE partner.rank
                        WHEN 1 THEN 40 + (%(today)s::date - run.date) / 10.0
                        ELSE 40 END,
                   'A', 'critical', TRUE
              FROM kam_classification_run run,
                   unnest(%(partners)s::int[], ARRAY[1, 2]) AS partner(id, rank)
             WHERE run.id = ANY(%(runs)s)
                """,
                partners=[self.cust_a.id, self.cust_b.id],
                runs=runs.ids,
                today=self.today,
            )
        )
        return runs

    def test_prune_keeps_recent_and_monthly_runs(self):
        policy = self._policy()
        other = self._policy(name="Other")
        runs = self._daily_runs(policy, 200)
        other_runs = self._daily_runs(other, 100)
        cutoff = self.today - timedelta(days=60)
        # expected by hand: every run from the cutoff on, and before it the
        # last day of each month (the runs are daily)
        expected = runs.filtered(
            lambda run: run.date >= cutoff or (run.date + timedelta(days=1)).day == 1
        )
        doomed = runs - expected
        # a change row of the last run compared with a run that goes
        last = runs.filtered("is_last")
        old_run = doomed[0]
        last._kam_record_changes(old_run)
        change = last.change_ids.filtered(lambda c: c.change_type == "share")
        self.assertTrue(change)
        old_share = change.old_share
        # the alerts logged on a deleted run move to the run kept for its month
        old_run._message_log(body="Alert of an old run")
        message = old_run.message_ids.filtered(lambda m: "Alert of an old" in m.body)
        month_run = runs.filtered(
            lambda run: run.date.replace(day=1) == old_run.date.replace(day=1)
        ).sorted("date")[-1]
        doomed_ids = doomed.ids
        deleted = self.env["kam.classification.run"]._kam_prune_runs(policy, self.today)
        self.assertEqual(deleted, (len(doomed_ids), 2 * len(doomed_ids)))
        self.assertGreater(len(doomed_ids), 100)
        self.assertEqual(
            self.env["kam.classification.run"].search([("policy_id", "=", policy.id)]),
            expected,
        )
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM kam_classification_line WHERE run_id = ANY(%s)",
                doomed_ids,
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "their lines are gone")
        self.assertEqual(len(expected.line_ids), 2 * len(expected))
        # the change row keeps its figures
        self.assertTrue(change.exists())
        self.assertFalse(change.previous_run_id)
        self.assertEqual(change.old_share, old_share)
        self.assertEqual(message.model, "kam.classification.run")
        self.assertEqual(message.res_id, month_run.id)
        # the other policy is not touched, a second call deletes nothing
        self.assertEqual(len(other_runs.exists()), 100)
        self.assertEqual(
            self.env["kam.classification.run"]._kam_prune_runs(policy, self.today),
            (0, 0),
        )
        # the partner's history still spans the months
        history = self.cust_a.kam_classification_line_ids.filtered(
            lambda line: line.run_id.policy_id == policy
        )
        self.assertEqual(len(history), len(expected))
        self.assertLess(
            min(history.mapped("run_date")), self.today - timedelta(days=180)
        )

    def test_prune_never_deletes_the_last_run(self):
        policy = self._policy(run_retention_days=1)
        runs = self._daily_runs(policy, 3)
        runs.write({"is_last": False})
        oldest = runs.sorted("date")[0]
        oldest.is_last = True  # e.g. the policy's last run is an old one
        self.env["kam.classification.run"]._kam_prune_runs(policy, self.today)
        # today and yesterday are kept (retention 1 day), the last run too
        self.assertEqual(runs.exists(), runs)

    def test_cron_prunes_after_the_batch(self):
        policy = self._policy()
        self._daily_runs(policy, 100, end=self.today - timedelta(days=1))
        self.env["kam.classification.policy"]._cron_run_classification()
        cutoff = self.today - timedelta(days=60)
        runs = self.env["kam.classification.run"].search(
            [("policy_id", "=", policy.id)]
        )
        self.assertTrue(
            all(
                run.date >= cutoff or (run.date + timedelta(days=1)).day == 1
                for run in runs
            )
        )
        self.assertLess(len(runs), 100)
        self.assertEqual(policy.last_run_id.date, self.today)


@tagged("post_install", "-at_install")
class TestRunAnalysis(RunsCommon):
    def test_analysis_opens_on_last_runs(self):
        policy = self._policy()
        first = policy._run_classification(self.today - timedelta(days=1))
        second = policy._run_classification(self.today)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_classification_line_action"
        )
        self.assertEqual(action["context"], "{'search_default_last': 1}")
        arch = self.env["kam.classification.line"].get_views([(False, "search")])[
            "views"
        ]["search"]["arch"]
        self.assertIn('<filter name="last" string="Last Run"', arch)
        lines = self.env["kam.classification.line"].search(
            [("is_last_run", "=", True), ("run_id.policy_id", "=", policy.id)]
        )
        self.assertEqual(lines, second.line_ids)
        # the lines of an older run, opened from that run, are all shown
        action = first.action_view_lines()
        self.assertFalse(action["context"])
        self.assertEqual(
            self.env["kam.classification.line"].search(action["domain"]),
            first.line_ids,
        )
        # the account's history keeps every run
        self.assertEqual(
            self.cust_a.kam_classification_line_ids.filtered(
                lambda line: line.run_id.policy_id == policy
            ).run_id,
            first | second,
        )


@tagged("post_install", "-at_install")
class TestRunChangesAccess(RunsCommon):
    def test_other_company_does_not_read_changes(self):
        policy, seller = self._seller_policy("kam_runs_access")
        partners = self._customers("M", 3)
        for partner, amount in zip(partners, (500, 300, 200), strict=False):
            self._invoice(partner, amount, user=seller)
        first = policy._run_classification(self.today - timedelta(days=1))
        self._invoice(partners[2], 2000, user=seller)
        second = policy._run_classification(self.today)
        self.assertTrue(second.change_ids)
        self.assertEqual(first, second.previous_run_id)
        other = self.setup_other_company(name="KAM Runs B")["company"]
        user_b = new_test_user(
            self.env,
            login="kam_runs_user_b",
            groups="kam_management.group_kam_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        changes = self.env["kam.classification.change"].with_user(user_b)
        self.assertFalse(changes.search([]).filtered(lambda c: c.company_id != other))
        self.assertFalse(changes.search([("run_id", "=", second.id)]))
        with self.assertRaises(AccessError):
            second.change_ids.with_user(user_b).read(["share_delta"])
        # a KAM user of the company reads them, but cannot change them
        own = second.change_ids.with_user(self.kam_user)
        self.assertEqual(len(own.read(["share_delta"])), len(second.change_ids))
        with self.assertRaises(AccessError):
            own.write({"share_delta": 0})
        with self.assertRaises(AccessError):
            own.unlink()
        # nor does a plain salesperson read them
        with self.assertRaises(AccessError):
            second.change_ids.with_user(self.sales_user).read(["share_delta"])
