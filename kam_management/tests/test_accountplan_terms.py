# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_accountplan import AccountPlanCommon


@tagged("post_install", "-at_install")
class TestKeyReasons(AccountPlanCommon):
    def test_six_reasons_shipped(self):
        reasons = self.env["kam.key.reason"].search([])
        self.assertEqual(len(reasons), 6)
        self.assertEqual(
            reasons[0], self.env.ref("kam_management.kam_key_reason_revenue")
        )
        self.assertEqual(
            reasons[-1], self.env.ref("kam_management.kam_key_reason_innovator")
        )

    def test_reasons_with_evidence_shown_on_contacts(self):
        account = self._key_account("Reasoned", kam=self.kam_user)
        contact = self.env["res.partner"].create(
            {"name": "Rita Reason", "parent_id": account.id}
        )
        reference = self.env.ref("kam_management.kam_key_reason_reference")
        innovator = self.env.ref("kam_management.kam_key_reason_innovator")
        # reasons are given by a KAM Manager (the KAM reads them)
        account.with_user(self.kam_manager).write(
            {
                "kam_reason_line_ids": [
                    Command.create(
                        {"reason_id": reference.id, "note": "Logo in our brochure"}
                    ),
                    Command.create({"reason_id": innovator.id}),
                ]
            }
        )
        self.assertEqual(account.kam_reason_ids, reference | innovator)
        self.assertEqual(contact.kam_reason_ids, reference | innovator)
        self.assertEqual(
            account.kam_reason_line_ids.filtered("note").note, "Logo in our brochure"
        )
        with self.assertRaises(ValidationError):
            self.env["kam.partner.key.reason"].create(
                {"partner_id": contact.id, "reason_id": reference.id}
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.partner.key.reason"].create(
                {"partner_id": account.id, "reason_id": reference.id}
            )

    def test_reasons_configured_by_managers_only(self):
        with self.assertRaises(AccessError):
            self.env["kam.key.reason"].with_user(self.kam_user).create({"name": "Mine"})
        reason = (
            self.env["kam.key.reason"]
            .with_user(self.kam_manager)
            .create({"name": "Long-standing customer"})
        )
        self.assertTrue(reason.with_user(self.kam_user).name)

    def test_kam_user_cannot_give_reasons_for_others_accounts(self):
        other = self._key_account("Not mine", kam=self.kam_user_other)
        with self.assertRaises(AccessError):
            self.env["kam.partner.key.reason"].with_user(self.kam_user).create(
                {
                    "partner_id": other.id,
                    "reason_id": self.env.ref(
                        "kam_management.kam_key_reason_revenue"
                    ).id,
                }
            )


@tagged("post_install", "-at_install")
class TestSpecialTerms(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pricelist = cls.env["product.pricelist"].create({"name": "Key Accounts"})
        cls.term = cls.env["account.payment.term"].create({"name": "60 days special"})
        cls.usual_term = cls.env.ref("account.account_payment_term_30days")
        cls.account = cls._key_account(
            "Special Terms Co",
            kam=cls.kam_user,
            kam_pricelist_id=cls.pricelist.id,
            kam_payment_term_id=cls.term.id,
            kam_service_level_note="Delivery within 24 hours",
            property_payment_term_id=cls.usual_term.id,
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Sam Special", "parent_id": cls.account.id}
        )
        cls.plain = cls.env["res.partner"].create(
            {
                "name": "Plain Customer",
                "is_company": True,
                "property_payment_term_id": cls.usual_term.id,
            }
        )

    def test_new_quotation_gets_special_terms(self):
        for partner in (self.account, self.contact):
            with Form(self.env["sale.order"].with_user(self.sales_user)) as form:
                form.partner_id = partner
            order = form.record
            self.assertEqual(order.pricelist_id, self.pricelist)
            self.assertEqual(order.payment_term_id, self.term)
            self.assertEqual(order.kam_service_level_note, "Delivery within 24 hours")

    def test_other_customers_keep_odoo_defaults(self):
        order = self.env["sale.order"].create({"partner_id": self.plain.id})
        self.assertEqual(order.payment_term_id, self.usual_term)
        self.assertEqual(order.pricelist_id, self.plain.property_product_pricelist)
        self.assertFalse(order.kam_service_level_note)

    def test_confirmed_order_is_not_changed(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.plain.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.env["product.product"]
                            .create({"name": "Widget"})
                            .id
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        pricelist = order.pricelist_id
        self.plain.kam_pricelist_id = self.pricelist
        order.invalidate_recordset()
        self.assertEqual(order.pricelist_id, pricelist)

    def test_pricelist_of_another_company_is_ignored(self):
        company_b = self.env["res.company"].create({"name": "Terms Company B"})
        self.pricelist.company_id = company_b
        order = self.env["sale.order"].create({"partner_id": self.account.id})
        self.assertNotEqual(order.pricelist_id, self.pricelist)
        self.assertEqual(order.payment_term_id, self.term)


@tagged("post_install", "-at_install")
class TestDeputyRouting(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._key_account(
            "Deputy Co", kam=cls.kam_user, deputy=cls.kam_user_other
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Dora Deputy", "parent_id": cls.account.id}
        )
        # the day activities are scheduled on by default: today in the time
        # zone of the user scheduling them (not the UTC day)
        cls.today = fields.Date.context_today(cls.env.user)

    def _absent(self, user, start, end):
        user.write({"kam_absent_from": start, "kam_absent_until": end})

    def test_activity_for_absent_kam_goes_to_deputy(self):
        self._absent(self.kam_user, self.today, self.today)
        activity = self.contact.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.kam_user.id
        )
        self.assertEqual(activity.user_id, self.kam_user_other)
        order = self.env["sale.order"].create({"partner_id": self.contact.id})
        activity = order.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.kam_user.id
        )
        self.assertEqual(activity.user_id, self.kam_user_other)

    def test_activity_after_the_absence_stays_with_kam(self):
        self._absent(self.kam_user, self.today, self.today)
        later = self.contact.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=date.fromordinal(self.today.toordinal() + 1),
            user_id=self.kam_user.id,
        )
        self.assertEqual(later.user_id, self.kam_user)

    def test_present_kam_and_other_users_unchanged(self):
        activity = self.account.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.kam_user.id
        )
        self.assertEqual(activity.user_id, self.kam_user)
        self._absent(self.kam_user, self.today, self.today)
        activity = self.account.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.kam_manager.id
        )
        self.assertEqual(activity.user_id, self.kam_manager)

    def test_manager_sets_absence(self):
        wizard = (
            self.env["kam.absence.wizard"]
            .with_user(self.kam_manager)
            .create(
                {
                    "user_id": self.kam_user.id,
                    "date_from": date(2025, 8, 1),
                    "date_until": date(2025, 8, 15),
                }
            )
        )
        wizard.action_apply()
        self.assertEqual(self.kam_user.kam_absent_from, date(2025, 8, 1))
        self.assertEqual(self.kam_user.kam_absent_until, date(2025, 8, 15))
        self.assertEqual(
            self.account._kam_responsible_user(date(2025, 8, 10)), self.kam_user_other
        )
        with self.assertRaises(ValidationError):
            self.env["kam.absence.wizard"].with_user(self.kam_manager).create(
                {
                    "user_id": self.kam_user.id,
                    "date_from": date(2025, 8, 15),
                    "date_until": date(2025, 8, 1),
                }
            )
        with self.assertRaises(AccessError):
            self.env["kam.absence.wizard"].with_user(self.kam_user).create(
                {"user_id": self.kam_user_other.id, "date_from": date(2025, 8, 1)}
            )


@tagged("post_install", "-at_install")
class TestReconciliationCadence(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type = cls.env.ref("kam_management.mail_activity_type_reconciliation")
        cls.account = cls._key_account(
            "Cadence Co", kam=cls.kam_user, deputy=cls.kam_user_other
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Carl Cadence", "parent_id": cls.account.id}
        )
        cls.not_key = cls.env["res.partner"].create(
            {"name": "Cadence Prospect", "is_company": True, "user_id": cls.kam_user.id}
        )
        cls.env.company.kam_reconciliations_per_month = 1

    def _open(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", self.type.id),
            ]
        )

    def test_one_per_month_never_twice(self):
        day = date(2025, 3, 3)
        (self.account | self.not_key)._kam_schedule_reconciliations(day)
        activity = self._open(self.account)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.kam_user)
        self.assertEqual(activity.date_deadline, date(2025, 3, 31))
        self.assertFalse(self._open(self.not_key))
        self.account._kam_schedule_reconciliations(date(2025, 3, 20))
        self.assertEqual(self._open(self.account), activity)

    def test_done_in_month_schedules_nothing(self):
        activity = self.contact.activity_schedule(
            activity_type_id=self.type.id, user_id=self.kam_user.id
        )
        activity.action_feedback(feedback="Balances agree")
        message = self.env["mail.message"].search(
            [
                ("mail_activity_type_id", "=", self.type.id),
                ("res_id", "=", self.contact.id),
            ]
        )
        message.date = datetime(2025, 3, 2, 10, 0)
        self.account._kam_schedule_reconciliations(date(2025, 3, 3))
        self.assertFalse(self._open(self.account))
        # next month: one is missing again
        self.account._kam_schedule_reconciliations(date(2025, 4, 1))
        self.assertEqual(self._open(self.account).date_deadline, date(2025, 4, 30))

    def test_configurable_count_and_deputy(self):
        self.env.company.kam_reconciliations_per_month = 2
        self.kam_user.write(
            {
                "kam_absent_from": date(2025, 4, 10),
                "kam_absent_until": date(2025, 4, 20),
            }
        )
        self.account._kam_schedule_reconciliations(date(2025, 4, 1))
        activities = self._open(self.account).sorted("date_deadline")
        self.assertEqual(
            activities.mapped("date_deadline"), [date(2025, 4, 15), date(2025, 4, 30)]
        )
        # the KAM is away on the 15th: the deputy gets that one
        self.assertEqual(
            activities.user_id.ids, [self.kam_user_other.id, self.kam_user.id]
        )
        self.env.company.kam_reconciliations_per_month = 0
        self.account._kam_schedule_reconciliations(date(2025, 5, 1))
        self.assertEqual(len(self._open(self.account)), 2)


@tagged("post_install", "-at_install")
class TestKeyAccountTab(AccountPlanCommon):
    def test_kam_edits_terms_manager_reasons_in_partner_form(self):
        account = self._key_account("Tab Co", kam=self.kam_user)
        term = self.env.ref("account.account_payment_term_30days")
        reason = self.env.ref("kam_management.kam_key_reason_partner")
        # the KAM edits the special terms; the reasons are read only for them
        with Form(account.with_user(self.kam_user)) as form:
            form.kam_payment_term_id = term
            form.kam_service_level_note = "Named engineer"
            with self.assertRaises(AssertionError):
                form.kam_reason_line_ids.new()
        # a KAM Manager gives the reasons
        with Form(account.with_user(self.kam_manager)) as form:
            with form.kam_reason_line_ids.new() as line:
                line.reason_id = reason
                line.note = "Shares its five-year plan with us"
        self.assertEqual(account.kam_reason_ids, reason)
        self.assertEqual(
            account.kam_reason_line_ids.note, "Shares its five-year plan with us"
        )
        self.assertEqual(account.kam_payment_term_id, term)
        self.assertTrue(account.kam_has_special_terms)

    def test_partner_form_opens_for_sales_user(self):
        account = self._key_account("Sales View Co", kam=self.kam_user)
        with Form(account.with_user(self.sales_user)) as form:
            form.ref = "SV-1"
        self.assertEqual(account.ref, "SV-1")

    def test_cron_schedules_reconciliations(self):
        account = self._key_account("Cron Co", kam=self.kam_user)
        self.env.company.kam_reconciliations_per_month = 1
        activity_type = self.env.ref("kam_management.mail_activity_type_reconciliation")
        self.env["res.partner"]._cron_kam_reconciliation()
        self.env["res.partner"]._cron_kam_reconciliation()
        activities = account.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.kam_user)
