# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .service_common import KamServiceCommon

MONDAY = date(2026, 3, 2)

RAW_CLAIM = """Return-Path: <ann.buyer@nordic-freight.example.com>
From: Ann Buyer <ann.buyer@nordic-freight.example.com>
To: claims@claims-test.example.com
Subject: Broken seals on the last delivery
Message-ID: <claim-test-0001@nordic-freight.example.com>
Date: Mon, 02 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Three pallets arrived with broken seals.
"""


@tagged("post_install", "-at_install")
class TestServiceClaim(KamServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id = cls.env.ref("resource.resource_calendar_std")
        cls.critical = cls.env.ref("kam_management.kam_claim_severity_critical")
        cls.high = cls.env.ref("kam_management.kam_claim_severity_high")
        cls.normal = cls.env.ref("kam_management.kam_claim_severity_normal")
        cls.stage_new = cls.env.ref("kam_management.kam_claim_stage_new")
        cls.stage_analysis = cls.env.ref("kam_management.kam_claim_stage_analysis")
        cls.stage_resolved = cls.env.ref("kam_management.kam_claim_stage_resolved")
        cls.stage_rejected = cls.env.ref("kam_management.kam_claim_stage_rejected")

    def _claim(self, **vals):
        return self.env["kam.claim"].create(
            {"name": "Late delivery", "partner_id": self.account.id, **vals}
        )

    def test_due_date_per_severity_in_working_days(self):
        friday = date(2026, 3, 6)
        critical = self._claim(severity_id=self.critical.id, date_received=MONDAY)
        high = self._claim(severity_id=self.high.id, date_received=MONDAY)
        normal = self._claim(severity_id=self.normal.id, date_received=friday)
        self.assertEqual(critical.date_due, date(2026, 3, 3))
        self.assertEqual(high.date_due, date(2026, 3, 4))
        # Friday + 5 working days: next Friday
        self.assertEqual(normal.date_due, date(2026, 3, 13))
        # a new response time applies to claims recomputed from it
        self.high.response_days = 4
        self.assertEqual(high.date_due, date(2026, 3, 6))

    @freeze_time(MONDAY)
    def test_form_defaults(self):
        with Form(self.env["kam.claim"]) as form:
            form.name = "Invoice with wrong prices"
            form.partner_id = self.account
            form.severity_id = self.high
        claim = form.record
        self.assertEqual(claim.stage_id, self.stage_new)
        self.assertEqual(claim.user_id, self.kam_user)
        self.assertEqual(claim.date_received, MONDAY)
        self.assertEqual(claim.date_due, date(2026, 3, 4))
        self.assertTrue(claim.reference.startswith("CLM/"))

    def test_contact_given_as_customer_moves_to_company(self):
        claim = self._claim(partner_id=self.contact.id)
        self.assertEqual(claim.partner_id, self.account)
        self.assertEqual(claim.contact_id, self.contact)

    @freeze_time(MONDAY)
    def test_stages_resolution_date(self):
        stages = self.env["kam.claim.stage"].search([])
        self.assertEqual(
            stages.mapped("name")[:5],
            ["New", "Analysis", "Action", "Resolved", "Rejected"],
        )
        claim = self._claim(date_received=MONDAY - timedelta(days=3))
        claim.stage_id = self.stage_analysis
        self.assertFalse(claim.date_resolved)
        claim.write({"stage_id": self.stage_resolved.id, "satisfied": "yes"})
        self.assertEqual(claim.date_resolved, MONDAY)
        self.assertTrue(claim.is_closed)
        claim.stage_id = self.stage_analysis
        self.assertFalse(claim.date_resolved)
        claim.stage_id = self.stage_rejected
        self.assertTrue(claim.is_closed)

    def test_due_date_before_received_is_refused(self):
        claim = self._claim(date_received=MONDAY)
        with self.assertRaisesRegex(ValidationError, "Response Due"):
            claim.date_due = MONDAY - timedelta(days=1)

    @freeze_time(MONDAY)
    def test_health_open_and_overdue_counts(self):
        last_week = MONDAY - timedelta(days=7)
        self._claim(severity_id=self.critical.id, date_received=last_week)  # overdue
        self._claim(severity_id=self.normal.id, date_received=MONDAY)  # open
        closed = self._claim(severity_id=self.critical.id, date_received=last_week)
        closed.stage_id = self.stage_resolved
        self._claim(partner_id=self.other_account.id, date_received=MONDAY)
        Partner = self.env["res.partner"]
        counts = Partner._kam_health_claims([self.account.id, self.other_account.id])
        self.assertEqual(
            counts, {self.account.id: (2, 1), self.other_account.id: (1, 0)}
        )
        self.assertEqual(self.account.kam_claim_count, 2)
        overdue = self.env["kam.claim"].search(
            [("is_overdue", "=", True), ("partner_id", "=", self.account.id)]
        )
        self.assertEqual(len(overdue), 1)

    def test_health_counts_in_one_query(self):
        accounts = self.account | self.other_account
        for account in accounts:
            self._claim(partner_id=account.id)
        Partner = self.env["res.partner"]
        self.env.invalidate_all()
        with self.assertQueryCount(2):
            Partner._kam_health_claims(accounts.ids)
        many = Partner.create(
            [{"name": f"Account {i}", "is_company": True} for i in range(6)]
        )
        for account in many:
            self._claim(partner_id=account.id)
        self.env.invalidate_all()
        with self.assertQueryCount(2):
            Partner._kam_health_claims((accounts | many).ids)

    def test_claim_from_incoming_email(self):
        domain = self.env["mail.alias.domain"].create(
            {"name": "claims-test.example.com"}
        )
        alias = self.env.ref("kam_management.mail_alias_kam_claim")
        alias.alias_domain_id = domain
        self.assertEqual(alias.alias_model_id.model, "kam.claim")
        claim_id = self.env["mail.thread"].message_process(None, RAW_CLAIM)
        claim = self.env["kam.claim"].browse(claim_id)
        self.assertEqual(claim.name, "Broken seals on the last delivery")
        self.assertEqual(claim.partner_id, self.account)
        self.assertEqual(claim.contact_id, self.contact)
        self.assertEqual(claim.user_id, self.kam_user)
        self.assertIn("broken seals", claim.description)
        self.assertEqual(claim.stage_id, self.stage_new)

    def test_access_own_key_accounts_only(self):
        claim = self._claim()
        other = self._claim(partner_id=self.other_account.id)
        own = self.env["kam.claim"].with_user(self.kam_user)
        self.assertEqual(own.search([("id", "in", (claim | other).ids)]), claim)
        claim.with_user(self.kam_user).write({"root_cause": "Packaging"})
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).read(["name"])
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).write({"root_cause": "x"})
        with self.assertRaises(AccessError):
            claim.with_user(self.kam_user).unlink()
        with self.assertRaises(AccessError):
            claim.with_user(self.sales_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["kam.claim.severity"].with_user(self.kam_user).create(
                {"name": "Urgent", "response_days": 0}
            )
        manager = self.env["kam.claim"].with_user(self.kam_manager)
        self.assertEqual(
            manager.search([("id", "in", (claim | other).ids)]), claim | other
        )

    def test_team_member_and_deputy_see_the_account_claims(self):
        claim = self._claim()
        member = new_test_user(
            self.env,
            login="kam_team_member_test",
            groups="kam_management.group_kam_user",
        )
        with self.assertRaises(AccessError):
            claim.with_user(member).read(["name"])
        self.account.kam_team_user_ids = member
        self.assertEqual(claim.with_user(member).read(["name"])[0]["name"], claim.name)
        # kam_user_other is the deputy of the account
        self.assertTrue(claim.with_user(self.kam_user_other).read(["name"]))

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "KAM Service B"})
        claim_b = self.env["kam.claim"].create(
            {"name": "Other company", "company_id": company_b.id}
        )
        self.kam_manager.write({"company_ids": [(4, company_b.id)]})
        manager = self.env["kam.claim"].with_user(self.kam_manager)
        self.assertFalse(
            manager.with_context(allowed_company_ids=[self.company.id]).search(
                [("id", "=", claim_b.id)]
            )
        )
        self.assertTrue(
            manager.with_context(allowed_company_ids=[company_b.id]).search(
                [("id", "=", claim_b.id)]
            )
        )
