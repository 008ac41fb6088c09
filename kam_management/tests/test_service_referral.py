# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .service_common import KamServiceCommon

MONDAY = date(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestServiceReferral(KamServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id = cls.env.ref("resource.resource_calendar_std")
        cls.company.write(
            {
                "kam_referral_ask": True,
                "kam_referral_ask_delay_days": 5,
                "kam_referral_interval_days": 180,
            }
        )
        cls.ask_type = cls.env.ref("kam_management.mail_activity_type_kam_referral_ask")

    def _asks(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", self.ask_type.id),
            ]
        )

    @freeze_time(MONDAY)
    def test_confirmed_order_of_satisfied_account_asks_once(self):
        self._order(self.contact).action_confirm()
        ask = self._asks(self.account)
        self.assertEqual(len(ask), 1)
        self.assertEqual(ask.user_id, self.kam_user)
        # five working days after Monday: next Monday
        self.assertEqual(ask.date_deadline, date(2026, 3, 9))
        self._order(self.account).action_confirm()
        self.assertEqual(len(self._asks(self.account)), 1)

    @freeze_time(MONDAY)
    def test_no_ask_while_a_claim_is_open_or_after_an_unsatisfied_one(self):
        claim = self.env["kam.claim"].create(
            {"name": "Late", "partner_id": self.account.id, "date_received": MONDAY}
        )
        self._order(self.account).action_confirm()
        self.assertFalse(self._asks(self.account))
        claim.write(
            {
                "stage_id": self.env.ref("kam_management.kam_claim_stage_resolved").id,
                "satisfied": "no",
            }
        )
        self._order(self.account).action_confirm()
        self.assertFalse(self._asks(self.account))
        claim.satisfied = "yes"
        self._order(self.account).action_confirm()
        self.assertEqual(len(self._asks(self.account)), 1)

    @freeze_time(MONDAY)
    def test_no_ask_after_a_recent_referral_or_when_disabled(self):
        self.env["kam.referral"].create(
            {
                "partner_id": self.account.id,
                "kind": "letter",
                "date": MONDAY - timedelta(days=100),
            }
        )
        self._order(self.account).action_confirm()
        self.assertFalse(self._asks(self.account))
        self.company.kam_referral_interval_days = 90
        self.company.kam_referral_ask = False
        self._order(self.account).action_confirm()
        self.assertFalse(self._asks(self.account))
        self.company.kam_referral_ask = True
        self._order(self.account).action_confirm()
        self.assertEqual(len(self._asks(self.account)), 1)

    @freeze_time(MONDAY)
    def test_plain_customer_is_not_asked(self):
        self._order(self.plain_customer, user=self.sales_user).action_confirm()
        self.assertFalse(self._asks(self.plain_customer))

    @freeze_time(MONDAY)
    def test_won_opportunity_asks(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Fleet renewal",
                "type": "opportunity",
                "partner_id": self.contact.id,
                "user_id": self.kam_user.id,
            }
        )
        lead.action_set_won()
        self.assertEqual(len(self._asks(self.account)), 1)

    @freeze_time(MONDAY)
    def test_record_referral_and_opportunity(self):
        prospect = self.env["res.partner"].create(
            {"name": "Baltic Ports", "is_company": True}
        )
        with Form(self.env["kam.referral"].with_user(self.kam_user)) as form:
            form.partner_id = self.account
            form.contact_id = self.contact
            form.referred_partner_id = prospect
        referral = form.record
        self.assertEqual(referral.date, MONDAY)
        self.assertEqual(
            referral.name,
            "Referral to a prospect / Nordic Freight Group / Baltic Ports",
        )
        action = referral.with_user(self.kam_user).action_create_opportunity()
        self.assertEqual(referral.lead_id.id, action["res_id"])
        self.assertEqual(referral.lead_id.partner_id, prospect)
        self.assertIn(referral, self.account.kam_referral_ids)
        self.assertEqual(self.account.kam_referral_count, 1)
        with self.assertRaises(ValidationError):
            referral.date = MONDAY + timedelta(days=1)

    def test_access_own_key_accounts_only(self):
        referral = self.env["kam.referral"].create(
            {"partner_id": self.other_account.id, "kind": "letter"}
        )
        with self.assertRaises(AccessError):
            referral.with_user(self.kam_user).read(["name"])
        with self.assertRaises(AccessError):
            referral.with_user(self.sales_user).read(["name"])
        self.assertTrue(referral.with_user(self.kam_manager).read(["name"]))
        with self.assertRaises(AccessError):
            self.env["kam.referral"].with_user(self.kam_user).create(
                {"partner_id": self.other_account.id, "kind": "letter"}
            )


@tagged("post_install", "-at_install")
class TestServiceConfigurationAccess(KamServiceCommon):
    def test_only_managers_configure(self):
        for model, vals in (
            ("kam.followup.sequence", {"name": "Short"}),
            ("kam.claim.category", {"name": "Packaging"}),
            ("kam.claim.stage", {"name": "Waiting"}),
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.kam_user).create(vals)
            self.assertTrue(self.env[model].with_user(self.kam_manager).create(vals))
        sequence = self.env.ref("kam_management.kam_followup_sequence_default")
        self.assertTrue(sequence.with_user(self.sales_user).read(["name"]))

    def test_proposal_team_of_other_company_hidden(self):
        company_b = self.env["res.company"].create({"name": "KAM Service Team B"})
        order = self._order(
            self.plain_customer, company_id=company_b.id, user=self.env.user
        )
        self.env["kam.proposal.member"].create(
            {"order_id": order.id, "user_id": self.env.user.id, "role": "Pricing"}
        )
        members = self.env["kam.proposal.member"].with_user(self.kam_manager)
        self.assertFalse(members.search([("order_id", "=", order.id)]))

    def test_forms_open_for_each_role(self):
        for user in (self.sales_user, self.kam_user, self.kam_manager):
            Form(self._order(self.account, user=user).with_user(user))
        Form(self.account.with_user(self.kam_user))
        Form(self.account.with_user(self.sales_user))
        Form(self.env["kam.claim"].with_user(self.kam_user))
        Form(self.env["kam.followup.sequence"].with_user(self.kam_manager))
