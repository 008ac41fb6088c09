# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

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
class TestServiceReferralDelivered(KamServiceCommon):
    """The referral request after a fully delivered order (daily cron)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id = cls.env.ref("resource.resource_calendar_std")
        cls.company.write(
            {
                # the won-deal trigger is off: only deliveries ask here
                "kam_referral_ask": False,
                "kam_referral_ask_delivered": True,
                "kam_referral_ask_delay_days": 5,
                "kam_referral_interval_days": 180,
            }
        )
        cls.ask_type = cls.env.ref("kam_management.mail_activity_type_kam_referral_ask")
        cls.SaleOrder = cls.env["sale.order"]

    def _asks(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("activity_type_id", "=", self.ask_type.id),
            ]
        )

    def _confirmed(self, partner, qty=1.0):
        order = self._order(partner)
        order.order_line.product_uom_qty = qty
        order.action_confirm()
        return order

    def _deliver(self, order, qty=None):
        for line in order.order_line:
            line.qty_delivered = line.product_uom_qty if qty is None else qty

    @freeze_time(MONDAY)
    def test_delivered_order_asks_once(self):
        order = self._confirmed(self.contact, qty=2)
        self.env["sale.order.line"].create(
            {"order_id": order.id, "display_type": "line_note", "name": "Note"}
        )
        self.assertFalse(self._asks(self.account))  # the won trigger is off
        self.SaleOrder._cron_kam_referral_delivered()
        self.assertFalse(self._asks(self.account))
        self.assertFalse(order.kam_delivery_referral_done)
        self._deliver(order, qty=1)  # partly delivered
        self.assertFalse(order.kam_is_delivered)
        self.SaleOrder._cron_kam_referral_delivered()
        self.assertFalse(self._asks(self.account))
        self._deliver(order)  # manual delivered quantity (service)
        self.assertTrue(order.kam_is_delivered)
        self.SaleOrder._cron_kam_referral_delivered()
        ask = self._asks(self.account)
        self.assertEqual(len(ask), 1)
        self.assertEqual(ask.user_id, self.kam_user)
        self.assertEqual(ask.date_deadline, date(2026, 3, 9))
        self.assertIn(order.name, ask.note)
        self.assertTrue(order.kam_delivery_referral_done)
        # run twice: nothing new
        self.SaleOrder._cron_kam_referral_delivered()
        self.assertEqual(len(self._asks(self.account)), 1)
        # a cancelled order is no longer delivered
        order._action_cancel()
        self.assertFalse(order.kam_is_delivered)

    @freeze_time(MONDAY)
    def test_same_customer_not_asked_twice(self):
        first, second = self._confirmed(self.account), self._confirmed(self.contact)
        self._deliver(first)
        self._deliver(second)
        self.SaleOrder._cron_kam_referral_delivered()
        ask = self._asks(self.account)
        self.assertEqual(len(ask), 1)
        self.assertIn(first.name, ask.note)
        self.assertIn(second.name, ask.note)
        # the request marked done: no new one within the interval
        ask.with_user(self.kam_user).action_feedback(feedback="Asked")
        third = self._confirmed(self.account)
        self._deliver(third)
        self.SaleOrder._cron_kam_referral_delivered()
        self.assertFalse(self._asks(self.account))
        self.assertTrue(third.kam_delivery_referral_done)

    @freeze_time(MONDAY)
    def test_unsatisfied_customer_or_switch_off_not_asked(self):
        claim = self.env["kam.claim"].create(
            {"name": "Damaged", "partner_id": self.account.id, "date_received": MONDAY}
        )
        order = self._confirmed(self.account)
        self._deliver(order)
        self.SaleOrder._cron_kam_referral_delivered()
        self.assertFalse(self._asks(self.account))
        # handled once: the claim closing later does not ask for this order
        self.assertTrue(order.kam_delivery_referral_done)
        claim.write(
            {
                "stage_id": self.env.ref("kam_management.kam_claim_stage_resolved").id,
                "satisfied": "yes",
            }
        )
        self.SaleOrder._cron_kam_referral_delivered()
        self.assertFalse(self._asks(self.account))
        # switch off: nothing, even with the won-deal switch on
        self.company.write(
            {"kam_referral_ask_delivered": False, "kam_referral_ask": True}
        )
        other = self._confirmed(self.other_account)
        self.assertEqual(len(self._asks(self.other_account)), 1)  # won deal
        self._asks(self.other_account).unlink()
        self._deliver(other)
        self.SaleOrder._cron_kam_referral_delivered()
        self.assertFalse(self._asks(self.other_account))
        self.assertTrue(other.kam_delivery_referral_done)

    @freeze_time(MONDAY)
    def test_plain_customer_and_other_company(self):
        plain = self._order(self.plain_customer, user=self.sales_user)
        plain.action_confirm()
        self._deliver(plain)
        company_b = self.env["res.company"].create(
            {"name": "KAM Referral B", "kam_referral_ask_delivered": False}
        )
        account_b = self.env["res.partner"].create(
            {
                "name": "Account B",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": self.kam_user.id,
            }
        )
        order_b = self._order(account_b, company_id=company_b.id, user=self.env.user)
        order_b.action_confirm()
        self._deliver(order_b)
        self.SaleOrder._cron_kam_referral_delivered()
        # each order's company decides: company B has the trigger off
        self.assertFalse(self._asks(self.plain_customer | account_b))
        self.assertTrue(plain.kam_delivery_referral_done)
        self.assertTrue(order_b.kam_delivery_referral_done)

    def test_install_marks_confirmed_orders_handled(self):
        """Installing the column marks the orders confirmed by then as
        handled, so past deliveries do not ask (DDL is rolled back with the
        test)."""
        confirmed = self._confirmed(self.account)
        draft = self._order(self.account)
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE sale_order DROP COLUMN kam_delivery_referral_done"
        )
        self.SaleOrder._kam_init_delivery_referral_done()
        self.env.invalidate_all()
        self.assertTrue(confirmed.kam_delivery_referral_done)
        self.assertFalse(draft.kam_delivery_referral_done)
        draft.action_confirm()
        self._deliver(draft)
        self._deliver(confirmed)
        self.SaleOrder._cron_kam_referral_delivered()
        self.assertIn(draft.name, self._asks(self.account).note)
        self.assertNotIn(confirmed.name, self._asks(self.account).note)

    def _delivered_orders(self, count, prefix):
        Partner = self.env["res.partner"]
        orders = self.SaleOrder
        for index in range(count):
            account = Partner.create(
                {
                    "name": f"{prefix} {index}",
                    "is_company": True,
                    "kam_is_key_account": True,
                    "kam_user_id": self.kam_user.id,
                }
            )
            order = self._confirmed(account)
            self._deliver(order)
            orders |= order
        return orders

    @freeze_time(MONDAY)
    def test_cron_query_count_independent_of_orders(self):
        # warm Odoo's caches (xml ids, field metadata) once
        self._delivered_orders(1, "Warm")
        self.SaleOrder._cron_kam_referral_delivered()
        counts = {}
        for size in (2, 6):
            orders = self._delivered_orders(size, f"Size {size}")
            # what the setup left to write (bus notifications) is not the cron's
            self.env.flush_all()
            self.env.cr.precommit.run()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with self.assertQueryCount(26):
                self.SaleOrder._cron_kam_referral_delivered()
            counts[size] = self.env.cr.sql_log_count - before
            self.assertEqual(len(self._asks(orders.partner_id)), size)
            self.assertTrue(all(orders.mapped("kam_delivery_referral_done")))
        self.assertEqual(counts[2], counts[6])


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

    def _form_arch(self, model, user):
        views = self.env[model].with_user(user).get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    @freeze_time(MONDAY)
    def test_forms_show_each_role_its_fields(self):
        """The quotation, account, claim and follow-up sequence forms: the
        values each role reads there and the KAM parts shown per group."""
        self.account.kam_service_level_note = "Delivery within 24 hours"
        for user in (self.sales_user, self.kam_user, self.kam_manager):
            kam = user != self.sales_user
            form = Form(self._order(self.account, user=user).with_user(user))
            self.assertEqual(form.partner_id, self.account)
            self.assertTrue(form.kam_is_key_account, "Buying Group tab shown")
            arch = self._form_arch("sale.order", user)
            self.assertTrue(arch.xpath("//page[@name='kam_proposal']"))
            self.assertEqual(
                bool(arch.xpath("//field[@name='kam_service_level_note']")), kam
            )
            self.assertEqual(bool(arch.xpath("//group[@name='kam_tender']")), kam)
            if kam:
                self.assertEqual(
                    form.kam_service_level_note, "Delivery within 24 hours"
                )
        # the account: the Key Account tab for KAM Users only
        tab = "//page[@name='kam_key_account']"
        self.assertTrue(self._form_arch("res.partner", self.kam_user).xpath(tab))
        self.assertFalse(self._form_arch("res.partner", self.sales_user).xpath(tab))
        account = Form(self.account.with_user(self.kam_user))
        self.assertEqual(account.kam_user_id, self.kam_user)
        self.assertEqual(account.kam_deputy_user_id, self.kam_user_other)
        # a new claim: received today, first stage, the most severe level
        Stage = self.env["kam.claim.stage"]
        Severity = self.env["kam.claim.severity"]
        with Form(self.env["kam.claim"].with_user(self.kam_user)) as claim:
            self.assertEqual(claim.date_received, MONDAY)
            self.assertEqual(claim.stage_id, Stage.search([], limit=1))
            self.assertEqual(
                claim.severity_id, Severity.search([], order="sequence desc", limit=1)
            )
            claim.name = "Late delivery"
            claim.partner_id = self.account
        self.assertEqual(claim.record.partner_id, self.account)
        # a new follow-up sequence (KAM Managers): for key accounts, in every
        # company, by default
        with Form(self.env["kam.followup.sequence"].with_user(self.kam_manager)) as seq:
            self.assertEqual(seq.scope, "key_account")
            seq.name = "Short"
        self.assertFalse(seq.record.company_id)
