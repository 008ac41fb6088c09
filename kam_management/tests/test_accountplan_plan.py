# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_accountplan import AccountPlanCommon


@tagged("post_install", "-at_install")
class TestAccountPlan(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._key_account("Plan Rail", kam=cls.kam_user)
        cls.contact = cls.env["res.partner"].create(
            {"name": "Pia Plan", "parent_id": cls.account.id}
        )
        # 2025: 1000 + 2000 - 500 refund = 2500; 2024 and 2026 are outside
        cls._invoice(cls.account, 1000.0, date(2025, 3, 1))
        cls._invoice(cls.contact, 2000.0, date(2025, 12, 31))
        cls._invoice(cls.account, 500.0, date(2025, 7, 1), refund=True)
        cls._invoice(cls.account, 700.0, date(2024, 12, 31))
        cls._invoice(cls.account, 900.0, date(2026, 1, 1))
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "partner_id": cls.account.id,
                "year": 2025,
                "wallet_amount": 10000.0,
                "swot_strengths": "Installed base in every depot",
                "long_term_goals": "Sole supplier of sensors",
            }
        )

    def test_invoiced_amount_and_share_of_wallet(self):
        self.assertEqual(self.plan.name, "Plan Rail – 2025")
        self.assertAlmostEqual(self.plan.invoiced_amount, 2500.0)
        self.assertAlmostEqual(self.plan.our_share, 25.0)
        self.plan.wallet_amount = 0.0
        self.assertAlmostEqual(self.plan.our_share, 0.0)
        plan_2026 = self.env["kam.account.plan"].create(
            {"partner_id": self.account.id, "year": 2026, "wallet_amount": 1800.0}
        )
        self.assertAlmostEqual(plan_2026.invoiced_amount, 900.0)
        self.assertAlmostEqual(plan_2026.our_share, 50.0)

    def test_one_plan_per_account_and_year(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.account.plan"].create(
                {"partner_id": self.account.id, "year": 2025}
            )

    def test_plan_is_on_the_company_not_a_contact(self):
        with self.assertRaises(ValidationError):
            self.env["kam.account.plan"].create(
                {"partner_id": self.contact.id, "year": 2027}
            )

    def test_competitor_shares(self):
        self.plan.competitor_ids = [
            Command.create({"name": "Nordic", "share": 40.0}),
            Command.create({"name": "RailSoft", "share": 35.0}),
        ]
        self.assertAlmostEqual(self.plan.competitor_share, 75.0)
        with self.assertRaises(ValidationError):
            self.plan.competitor_ids = [
                Command.create({"name": "Third", "share": 30.0})
            ]
        # a share out of 0-100: refused by the database on create (CHECK),
        # with the competitor's name on write
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.account.plan.competitor"].create(
                {"plan_id": self.plan.id, "name": "Bad", "share": -1.0}
            )
        with self.assertRaises(ValidationError):
            self.plan.competitor_ids[0].share = -1.0

    def test_objective_progress_and_on_track(self):
        objective = self.env["kam.account.objective"].create(
            {
                "plan_id": self.plan.id,
                "name": "Raise share",
                "measure": "Share of wallet %",
                "target": 40.0,
                "actual": 30.0,
                "state": "on_track",
                "date_deadline": date(2025, 6, 30),
            }
        )
        self.assertAlmostEqual(objective.progress, 75.0)
        self.assertEqual(objective.partner_id, self.account)
        self.assertTrue(objective._kam_on_track(date(2025, 6, 30)))
        self.assertFalse(objective._kam_on_track(date(2025, 7, 1)))
        objective.state = "done"
        self.assertTrue(objective._kam_on_track(date(2025, 7, 1)))
        objective.state = "at_risk"
        self.assertFalse(objective._kam_on_track(date(2025, 1, 1)))
        # actions are ordinary activities on the objective
        activity = objective.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Call the CFO",
            user_id=self.kam_user.id,
        )
        self.assertEqual(objective.activity_ids, activity)

    def test_plan_form_flow(self):
        with Form(self.env["kam.account.plan"]) as form:
            form.partner_id = self.account
            form.year = 2024
            form.wallet_amount = 1400.0
        plan = form.record
        self.assertAlmostEqual(plan.invoiced_amount, 700.0)
        self.assertAlmostEqual(plan.our_share, 50.0)
        self.assertEqual(plan.kam_user_id, self.kam_user)

    def test_report_renders_one_page_html(self):
        self.plan.objective_ids = [
            Command.create({"name": "Renew the framework contract", "target": 1.0})
        ]
        self.plan.competitor_ids = [Command.create({"name": "Nordic", "share": 40.0})]
        html, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "kam_management.kam_account_plan_report", self.plan.ids
        )
        self.assertEqual(report_type, "html")
        content = html.decode()
        self.assertIn("Plan Rail", content)
        self.assertIn("Installed base in every depot", content)
        self.assertIn("Renew the framework contract", content)
        self.assertIn("Nordic", content)
        self.assertIn("<span>25.0</span> %", content)


@tagged("post_install", "-at_install")
class TestAccountPlanAccess(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._key_account("Mine", kam=cls.kam_user)
        cls.deputised = cls._key_account(
            "Deputised", kam=cls.kam_user_other, deputy=cls.kam_user
        )
        cls.team = cls._key_account(
            "Team",
            kam=cls.kam_user_other,
            kam_team_user_ids=[Command.set(cls.kam_user.ids)],
        )
        cls.other = cls._key_account("Other", kam=cls.kam_user_other)
        Plan = cls.env["kam.account.plan"]
        cls.plans = {
            p.name: Plan.create({"partner_id": p.id, "year": 2025})
            for p in (cls.mine, cls.deputised, cls.team, cls.other)
        }
        cls.objective_other = cls.env["kam.account.objective"].create(
            {"plan_id": cls.plans["Other"].id, "name": "Other's objective"}
        )
        cls.score_other = cls.env["kam.health.score"].create(
            {
                "partner_id": cls.other.id,
                "date": date(2025, 1, 1),
                "score": 50.0,
                "colour": "amber",
            }
        )
        cls.score_mine = cls.env["kam.health.score"].create(
            {
                "partner_id": cls.mine.id,
                "date": date(2025, 1, 1),
                "score": 80.0,
                "colour": "green",
            }
        )

    def test_kam_user_sees_own_key_accounts_only(self):
        plans = self.env["kam.account.plan"].with_user(self.kam_user).search([])
        self.assertEqual(
            set(plans.mapped("partner_id.name")), {"Mine", "Deputised", "Team"}
        )
        other = self.plans["Other"].with_user(self.kam_user)
        with self.assertRaises(AccessError):
            other.read(["name"])
        with self.assertRaises(AccessError):
            other.write({"long_term_goals": "Not mine"})
        with self.assertRaises(AccessError):
            self.env["kam.account.plan"].with_user(self.kam_user).create(
                {"partner_id": self.other.id, "year": 2026}
            )
        with self.assertRaises(AccessError):
            self.objective_other.with_user(self.kam_user).write({"state": "done"})
        # owning the objective does not open another account's plan
        with self.assertRaises(AccessError):
            self.env["kam.account.objective"].with_user(self.kam_user).create(
                {
                    "plan_id": self.plans["Other"].id,
                    "name": "Slipped into someone else's plan",
                    "user_id": self.kam_user.id,
                }
            )
        scores = self.env["kam.health.score"].with_user(self.kam_user).search([])
        self.assertEqual(scores, self.score_mine)
        with self.assertRaises(AccessError):
            self.score_mine.with_user(self.kam_user).write({"score": 100.0})

    def test_kam_user_edits_own_plans(self):
        plan = self.plans["Team"].with_user(self.kam_user)
        plan.write({"swot_threats": "Cheaper competitor"})
        objective = (
            self.env["kam.account.objective"]
            .with_user(self.kam_user)
            .create({"plan_id": plan.id, "name": "Mine to do"})
        )
        self.assertEqual(objective.user_id, self.kam_user)
        with self.assertRaises(AccessError):
            plan.unlink()

    def test_assignee_updates_objective_of_other_account(self):
        """Someone assigned to an objective of another account reads and
        updates it, but cannot delete it."""
        self.objective_other.user_id = self.kam_user
        objective = self.objective_other.with_user(self.kam_user)
        objective.write({"state": "at_risk"})
        self.assertEqual(objective.state, "at_risk")
        with self.assertRaises(AccessError):
            objective.unlink()

    def test_kam_manager_sees_all(self):
        plans = (
            self.env["kam.account.plan"]
            .with_user(self.kam_manager)
            .search([("id", "in", [p.id for p in self.plans.values()])])
        )
        self.assertEqual(len(plans), 4)
        self.plans["Other"].with_user(self.kam_manager).write({"state": "active"})
        scores = (
            self.env["kam.health.score"]
            .with_user(self.kam_manager)
            .search([("id", "in", (self.score_mine | self.score_other).ids)])
        )
        self.assertEqual(len(scores), 2)

    def test_sales_user_has_no_access(self):
        with self.assertRaises(AccessError):
            self.env["kam.account.plan"].with_user(self.sales_user).search([])

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "KAM Company B"})
        plan_b = self.env["kam.account.plan"].create(
            {"partner_id": self.mine.id, "year": 2026, "company_id": company_b.id}
        )
        self.kam_manager.write({"company_ids": [Command.link(company_b.id)]})
        manager_env = self.env(user=self.kam_manager)
        visible = (
            manager_env["kam.account.plan"]
            .with_context(allowed_company_ids=self.env.company.ids)
            .search([("partner_id", "=", self.mine.id)])
        )
        self.assertNotIn(plan_b.id, visible.ids)
        visible = (
            manager_env["kam.account.plan"]
            .with_context(allowed_company_ids=[self.env.company.id, company_b.id])
            .search([("partner_id", "=", self.mine.id)])
        )
        self.assertIn(plan_b.id, visible.ids)


@tagged("post_install", "-at_install")
class TestAccountPlanDemo(AccountPlanCommon):
    def test_demo_plans_for_two_key_accounts(self):
        plans = self.env.ref("kam_management.demo_account_plan_baltic_rail") | (
            self.env.ref("kam_management.demo_account_plan_dnipro_steel")
        )
        self.assertTrue(all(plans.partner_id.mapped("kam_is_key_account")))
        self.assertTrue(all(plans.mapped("objective_ids")))
        self.assertTrue(all(plans.mapped("competitor_ids")))
        for partner in plans.partner_id:
            self.assertTrue(partner.kam_health_score_ids)
