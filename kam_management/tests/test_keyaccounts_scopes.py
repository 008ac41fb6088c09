# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Status per policy, per company and per scope; loss-makers; the combined
key-account share; one run per policy and day."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_keyaccounts_classification import KeyAccountCommon


def _results(partner, policy):
    return partner.kam_classification_result_ids.filtered(
        lambda result: result.policy_id == policy
    )


@tagged("post_install", "-at_install")
class TestScopes(KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {"name": "Scope team", "member_ids": [(4, cls.kam_user.id)]}
        )
        # the team sells to C only (C is 100 % of the team), the KAM user as
        # salesperson sells to D and E
        cls._invoice(cls.cust_c, 400, team=cls.team)
        cls._invoice(cls.cust_d, 300, user=cls.kam_user)
        cls._invoice(cls.cust_e, 100, user=cls.kam_user)

    def test_salesperson_scope_leaves_company_flag_alone(self):
        company_policy = self._policy()
        seller_policy = self._policy(scope="salesperson", user_id=self.kam_user.id)
        company_policy._run_classification(self.today)
        self.assertTrue(company_policy.is_decider)
        self.assertFalse(seller_policy.is_decider)
        # A 5000, B 3000, C 1400, D 1300 (of 10700): D is 12.1 %, key
        self.assertTrue(self.cust_d.kam_is_key_account)
        company_d = _results(self.cust_d, company_policy)
        self.assertTrue(company_d.is_key)
        before = (company_d.amount, company_d.share, company_d.date)
        # the salesperson's own customers: D 300 (75 %), E 100 (25 %; E's
        # company-wide amount is negative, not its amount for the seller)
        run = seller_policy._run_classification(self.today)
        self.assertEqual(run.customer_count, 2)
        seller_e = _results(self.cust_e, seller_policy)
        self.assertTrue(seller_e.is_key)
        self.assertAlmostEqual(seller_e.share, 25.0)
        self.assertEqual(seller_e.scope, "salesperson")
        self.assertEqual(seller_e.user_id, self.kam_user)
        # nothing of the company level changed
        self.assertFalse(self.cust_e.kam_is_key_account)
        self.assertTrue(self.cust_e.kam_is_loss_making)
        self.assertAlmostEqual(self.cust_d.kam_revenue_share, 1300 / 10700 * 100)
        self.assertEqual((company_d.amount, company_d.share, company_d.date), before)
        # the account shows one result per policy
        self.assertEqual(
            self.cust_d.kam_classification_result_ids.policy_id,
            company_policy | seller_policy,
        )
        # key for me: the salesperson policy of the current user
        partner = self.env["res.partner"].with_user(self.kam_user)
        mine = partner.search([("kam_key_for_me", "=", True)])
        self.assertIn(self.cust_e, mine)
        self.assertIn(self.cust_d, mine)
        self.assertNotIn(self.cust_a, mine)
        self.assertTrue(self.cust_e.with_user(self.kam_user).kam_key_for_me)
        self.assertFalse(self.cust_e.with_user(self.kam_user_other).kam_key_for_me)
        self.assertFalse(
            partner.with_user(self.kam_user_other).search(
                [("kam_key_for_me", "=", True)]
            )
        )

    def test_kam_user_reads_the_status_per_policy(self):
        """The Key Account tab as a KAM user (no right on the policies)."""
        self._policy()._run_classification(self.today)
        views = (
            self.env["res.partner"]
            .with_user(self.kam_user)
            .get_views([(False, "form")])
        )
        self.assertIn("kam_classification_result_ids", views["views"]["form"]["arch"])
        data = self.cust_a.with_user(self.kam_user).web_read(
            {
                "kam_classification_result_ids": {
                    "fields": {
                        "policy_name": {},
                        "share": {},
                        "run_id": {"fields": {"display_name": {}}},
                        "is_decider": {},
                    }
                }
            }
        )
        (row,) = data[0]["kam_classification_result_ids"]
        self.assertEqual(row["policy_name"], "Test policy")
        self.assertAlmostEqual(row["share"], 5000 / 10700 * 100)
        self.assertTrue(row["is_decider"])

    def test_team_scope_and_key_for_my_team(self):
        team_policy = self._policy(scope="team", team_id=self.team.id)
        team_policy._run_classification(self.today)
        self.assertFalse(self.cust_c.kam_is_key_account, "no company run yet")
        # the team's invoices: C 400, and D 300 and E 100 of its member
        result = _results(self.cust_c, team_policy)
        self.assertTrue(result.is_key)
        self.assertAlmostEqual(result.share, 50.0)
        self.assertEqual(result.dependence_level, "critical")
        self.assertEqual(result.team_id, self.team)
        self.assertAlmostEqual(_results(self.cust_e, team_policy).share, 12.5)
        partner = self.env["res.partner"]
        self.assertEqual(
            partner.with_user(self.kam_user).search(
                [("kam_key_for_my_team", "=", True), ("is_company", "=", True)]
            ),
            self.cust_c | self.cust_d | self.cust_e,
        )
        self.assertFalse(
            partner.with_user(self.kam_user_other).search(
                [("kam_key_for_my_team", "=", True)]
            )
        )
        self.assertNotIn(
            self.cust_c,
            partner.with_user(self.kam_user).search(
                [("kam_key_for_my_team", "!=", True)]
            ),
        )

    def test_one_policy_never_changes_another(self):
        first = self._policy()
        second = self._policy(key_threshold=40.0, critical_threshold=50.0, sequence=20)
        first._run_classification(self.today)
        first_results = {
            result.partner_id: (result.is_key, result.share)
            for result in first.env["kam.classification.result"].search(
                [("policy_id", "=", first.id)]
            )
        }
        second._run_classification(self.today)
        self.assertEqual(
            {
                result.partner_id: (result.is_key, result.share)
                for result in first.env["kam.classification.result"].search(
                    [("policy_id", "=", first.id)]
                )
            },
            first_results,
        )
        # only the first company policy (by sequence) decides the flag: B is
        # 28 % (key for the first policy, not above 40 % for the second)
        self.assertFalse(second.is_decider)
        self.assertTrue(self.cust_b.kam_is_key_account)
        self.assertFalse(_results(self.cust_b, second).is_key)
        second.sequence = 1
        self.assertTrue(second.is_decider)
        second._run_classification(self.today)
        self.assertFalse(self.cust_b.kam_is_key_account)

    def test_results_dropped_when_scope_changes(self):
        policy = self._policy(scope="team", team_id=self.team.id)
        policy._run_classification(self.today)
        self.assertTrue(_results(self.cust_c, policy))
        policy.write({"scope": "salesperson", "user_id": self.kam_user.id})
        self.assertFalse(_results(self.cust_c, policy))


@tagged("post_install", "-at_install")
class TestPerCompany(KeyAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="KAM Company B")["company"]
        cls.env.user.company_ids |= cls.company_b
        # B sells mostly to C: C 9000, A 1000 (shared customers)
        cls._invoice(cls.cust_c, 9000, company=cls.company_b)
        cls._invoice(cls.cust_a, 1000, company=cls.company_b)
        cls.user_b = new_test_user(
            cls.env,
            login="kam_company_b_user",
            groups="kam_management.group_kam_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    def test_each_company_reads_its_own_figures(self):
        policy_a = self._policy()
        policy_b = self._policy(company_id=self.company_b.id)
        policy_a._run_classification(self.today)
        policy_b._run_classification(self.today)
        self.assertTrue(policy_a.is_decider and policy_b.is_decider)
        in_a = self.cust_c.with_company(self.company)
        in_b = self.cust_c.with_company(self.company_b)
        self.assertAlmostEqual(in_a.kam_revenue, 1000.0)
        self.assertAlmostEqual(in_a.kam_revenue_share, 10.0)
        self.assertEqual(in_a.kam_abc_class, "B")
        self.assertFalse(in_a.kam_is_key_account)
        self.assertAlmostEqual(in_b.kam_revenue, 9000.0)
        self.assertAlmostEqual(in_b.kam_revenue_share, 90.0)
        self.assertEqual(in_b.kam_dependence_level, "mono")
        self.assertTrue(in_b.kam_is_key_account)
        self.assertEqual(in_b.kam_tier, "strategic")
        # B's run did not change A's figures of A
        self.assertAlmostEqual(
            self.cust_a.with_company(self.company).kam_revenue_share, 50.0
        )
        self.assertAlmostEqual(
            self.cust_a.with_company(self.company_b).kam_revenue_share, 10.0
        )
        # contacts carry the values of each company
        self.assertAlmostEqual(
            self.contact_a.with_company(self.company_b).kam_revenue, 1000.0
        )
        new_contact = self.env["res.partner"].create(
            {"name": "Carl of C", "parent_id": self.cust_c.id}
        )
        self.assertTrue(new_contact.with_company(self.company_b).kam_is_key_account)
        self.assertFalse(new_contact.with_company(self.company).kam_is_key_account)
        # searching and grouping use the current company's values
        partner = self.env["res.partner"]
        self.assertIn(
            self.cust_c,
            partner.with_company(self.company_b).search(
                [("kam_dependence_level", "=", "mono")]
            ),
        )
        self.assertNotIn(
            self.cust_c,
            partner.with_company(self.company).search(
                [("kam_dependence_level", "=", "mono")]
            ),
        )

    def test_user_of_b_never_reads_figures_of_a(self):
        self._policy()._run_classification(self.today)
        self._policy(company_id=self.company_b.id)._run_classification(self.today)
        partner = self.cust_a.with_user(self.user_b)
        self.assertAlmostEqual(partner.kam_revenue, 1000.0)
        self.assertAlmostEqual(partner.kam_revenue_share, 10.0)
        rows = partner.search_read(
            [("id", "=", self.cust_a.id)], ["kam_revenue", "kam_revenue_share"]
        )
        self.assertAlmostEqual(rows[0]["kam_revenue"], 1000.0)
        # the results of A's policy are not readable by B's user
        self.assertEqual(
            partner.kam_classification_result_ids.company_id, self.company_b
        )
        self.assertFalse(
            self.env["kam.classification.result"]
            .with_user(self.user_b)
            .search([("company_id", "=", self.company.id)])
        )
        # asking for A's context is refused (A is not one of the user's companies)
        with self.assertRaises(AccessError):
            self.cust_a.with_user(self.user_b).with_context(
                allowed_company_ids=self.company.ids
            ).read(["kam_revenue"])
        groups = (
            self.env["res.partner"]
            .with_user(self.user_b)
            ._read_group(
                [("id", "=", self.cust_a.id)], ["kam_abc_class"], ["kam_revenue:sum"]
            )
        )
        self.assertAlmostEqual(groups[0][1], 1000.0)

    def test_partner_groups_by_dependence_in_increasing_danger(self):
        self._policy()._run_classification(self.today)
        groups = self.env["res.partner"]._read_group(
            [("id", "in", (self.cust_a | self.cust_b | self.cust_c).ids)],
            ["kam_dependence_level"],
            ["__count"],
        )
        # A 50 %: critical, B 30 %: critical, C 10 %: none
        self.assertEqual([level for level, __ in groups], ["none", "critical"])

    def test_pins_are_per_company(self):
        self.cust_c.with_company(self.company_b).with_user(
            self.kam_manager
        ).sudo().write({"kam_pin": "not_key", "kam_pin_reason": "A reseller for B"})
        self._policy()._run_classification(self.today)
        self._policy(company_id=self.company_b.id)._run_classification(self.today)
        in_b = self.cust_c.with_company(self.company_b)
        self.assertEqual(in_b.kam_pin, "not_key")
        self.assertFalse(in_b.kam_is_key_account, "pinned in B")
        self.assertEqual(in_b.kam_dependence_level, "mono", "figures still written")
        self.assertFalse(self.cust_c.with_company(self.company).kam_pin)

    def test_health_scores_per_company(self):
        health = self.env["kam.health.score"]
        self.cust_a.kam_is_key_account = True
        self.cust_a.with_company(self.company_b).kam_is_key_account = True
        score_a = health.with_company(self.company)._kam_compute(
            self.cust_a, self.today
        )
        score_b = health.with_company(self.company_b)._kam_compute(
            self.cust_a, self.today
        )
        self.assertEqual(score_a.company_id, self.company)
        self.assertEqual(score_b.company_id, self.company_b)
        self.assertEqual(
            self.cust_a.with_company(self.company).kam_health_last_id, score_a
        )
        self.assertEqual(
            self.cust_a.with_company(self.company_b).kam_health_last_id, score_b
        )
        self.assertEqual(
            self.cust_a.with_company(self.company_b).kam_health_score, score_b.score
        )
        score_b.unlink()
        self.assertFalse(self.cust_a.with_company(self.company_b).kam_health_last_id)
        self.assertEqual(
            self.cust_a.with_company(self.company).kam_health_last_id, score_a
        )


@tagged("post_install", "-at_install")
class TestLossMakersAndKeyShare(KeyAccountCommon):
    def _alerts(self, partner):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    def test_loss_maker_on_margin(self):
        product = self.env["product.product"].create(
            {"name": "Dumped", "type": "consu", "lst_price": 10.0}
        )
        product.with_company(self.company).standard_price = 50.0
        # F buys 10 at 10 with a cost of 50: revenue 100, margin -400
        cust_f = self.env["res.partner"].create({"name": "Cust F", "is_company": True})
        cust_f.kam_user_id = self.kam_user
        self._invoice(cust_f, 10, product=product, quantity=10)
        policy = self._policy(basis="margin", alert_user_id=self.kam_manager.id)
        run = policy._run_classification(self.today)
        line = run.line_ids.filtered(lambda line: line.partner_id == cust_f)
        self.assertTrue(line.is_loss_making)
        self.assertAlmostEqual(line.amount, -400.0)
        self.assertAlmostEqual(line.revenue, 100.0)
        self.assertFalse(line.rank)
        # the others: A 5000, B 3000, C 1000, D 1000 as before (E is -300)
        self.assertAlmostEqual(run.total, 10000.0)
        self.assertEqual(run.customer_count, 4)
        self.assertEqual(run.loss_count, 2)
        self.assertAlmostEqual(run.loss_amount, -700.0)
        self.assertAlmostEqual(self.cust_a.kam_revenue_share, 50.0)
        self.assertTrue(cust_f.kam_is_loss_making)
        self.assertAlmostEqual(cust_f.kam_margin, -400.0)
        self.assertFalse(cust_f.kam_is_key_account)
        self.assertFalse(self.cust_a.kam_is_loss_making)
        alert = self._alerts(cust_f)
        self.assertEqual(len(alert), 1)
        self.assertEqual(alert.user_id, self.kam_user)
        self.assertNotIn("400", alert.note, "no figure on the account")
        self.assertIn("Loss-making", "\n".join(run.message_ids.mapped("body")))
        # the Pareto chart leaves the loss-makers out; their own list has them
        pareto = run.action_view_pareto()
        self.assertNotIn(
            cust_f,
            self.env["kam.classification.line"].search(pareto["domain"]).partner_id,
        )
        losses = run.action_view_losses()
        self.assertEqual(
            self.env["kam.classification.line"].search(losses["domain"]).partner_id,
            cust_f | self.cust_e,
        )
        # again: no second alert; once profitable, the flag goes
        policy._run_classification(self.today)
        self.assertEqual(len(self._alerts(cust_f)), 1)
        self._invoice(cust_f, 1000)
        policy._run_classification(self.today)
        self.assertFalse(cust_f.kam_is_loss_making)
        self.assertFalse(
            self.env["kam.classification.line"]
            .search([("run_id", "=", run.id), ("partner_id", "=", cust_f.id)])
            .is_loss_making
        )

    def test_combined_key_share_and_alert(self):
        policy = self._policy(alert_user_id=self.kam_manager.id)
        run = policy._run_classification(self.today)
        # key: A 50 % and B 30 % (above 10 %): 80 % together, mono-dependent
        self.assertAlmostEqual(run.key_share, 80.0)
        self.assertEqual(run.key_share_reading, "mono")
        activities = run.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.kam_manager)
        self.assertIn("80.0", "\n".join(run.message_ids.mapped("body")))
        # a re-run the same day: the same run, no second alert
        again = policy._run_classification(self.today)
        self.assertEqual(again, run)
        self.assertEqual(len(run.activity_ids), 1)
        # thresholds: 80 % is "high" when mono-dependence starts at 85 %
        policy.key_share_mono = 85.0
        self.assertEqual(policy._kam_key_share_reading(80.0), "high")
        self.assertEqual(policy._kam_key_share_reading(40.0), "normal")
        self.assertEqual(policy._kam_key_share_reading(20.0), "low")

    def test_rerun_same_day_replaces_the_run(self):
        policy = self._policy()
        run = policy._run_classification(self.today)
        run.message_post(body="Checked by the director")
        line_ids = run.line_ids.ids
        self._invoice(self.cust_d, 4000)
        again = policy._run_classification(self.today)
        self.assertEqual(again, run)
        self.assertEqual(policy.run_count, 1)
        self.assertTrue(run.is_last)
        self.assertFalse(set(line_ids) & set(run.line_ids.ids), "lines replaced")
        self.assertEqual(
            run.line_ids.filtered("rank").sorted("rank")[0].partner_id, self.cust_a
        )
        self.assertAlmostEqual(run.total, 14000.0)
        self.assertIn(
            "Checked by the director", "\n".join(run.message_ids.mapped("body"))
        )
        # an earlier day is history only: it does not change the results
        earlier = policy._run_classification(self.day)
        self.assertFalse(earlier.is_last)
        self.assertTrue(run.is_last)
        self.assertAlmostEqual(self.cust_d.kam_revenue, 5000.0)

    def test_query_count_of_company_run(self):
        """The deciding policy (results, partner figures, alerts) runs with
        the same number of queries for 4 or 34 customers."""
        policy = self._policy()
        policy._run_classification(self.today)  # baseline
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        policy.action_run()
        self.env.flush_all()
        count = self.env.cr.sql_log_count - start
        small = self.env["res.partner"].create(
            [{"name": f"Tiny {i}", "is_company": True} for i in range(30)]
        )
        for partner in small:
            self._invoice(partner, 1)
        policy.action_run()  # the new customers enter (class C, none)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(count):
            policy.action_run()
        self.assertEqual(policy.last_run_id.customer_count, 34)
