# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .service_common import KamServiceCommon

MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)


@tagged("post_install", "-at_install")
class TestServiceFollowup(KamServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sequence = cls.env.ref("kam_management.kam_followup_sequence_default")
        cls.sequence.company_id = False
        cls.sequence.scope = "key_account"
        cls.env["kam.followup.sequence"].search(
            [("id", "!=", cls.sequence.id)]
        ).active = False
        cls.company.resource_calendar_id = cls.env.ref("resource.resource_calendar_std")

    def _followups(self, order):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("kam_followup_step_id", "!=", False),
            ]
        )

    def test_default_sequence_of_the_seeds(self):
        self.assertEqual(
            [(s.offset_days, s.summary) for s in self.sequence.step_ids],
            [
                (1, "Call: did the proposal arrive?"),
                (3, "Ask about next steps"),
                (5, "Ask what drives the urgency"),
                (7, "Agree a date for a call or meeting on intermediate results"),
            ],
        )

    @freeze_time(MONDAY)
    def test_start_when_marked_sent(self):
        order = self._order(self.account)
        self.assertFalse(self._followups(order))
        order.action_quotation_sent()
        activity = self._followups(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Call: did the proposal arrive?")
        self.assertEqual(activity.date_deadline, MONDAY + timedelta(days=1))
        self.assertEqual(activity.user_id, self.kam_user)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(order.kam_followup_state, "running")

    @freeze_time(MONDAY)
    def test_start_when_tender_offer_submitted(self):
        """A tender's offer is its quotation: submitting the tender marks it
        as sent and starts the follow-up, once."""
        preparation = self.env.ref("kam_management.kam_tender_stage_preparation")
        tender = self.env["kam.tender"].create(
            {
                "name": "Rolling stock maintenance 2027",
                "date_submission": MONDAY + timedelta(days=10),
                "partner_id": self.account.id,
                "stage_id": preparation.id,
            }
        )
        order = self._order(self.account, kam_tender_id=tender.id)
        other = self._order(self.account)
        tender.stage_id = self.env.ref("kam_management.kam_tender_stage_submitted")
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.kam_followup_state, "running")
        self.assertEqual(
            self._followups(order).summary, "Call: did the proposal arrive?"
        )
        self.assertEqual(other.state, "draft")
        tender.stage_id = self.env.ref("kam_management.kam_tender_stage_evaluation")
        self.assertEqual(len(self._followups(order)), 1)

    @freeze_time(MONDAY)
    def test_start_when_sent_by_email(self):
        order = self._order(self.account)
        action = order.action_quotation_send()
        composer = (
            self.env["mail.compose.message"]
            .with_context(**action["context"])
            .create({})
        )
        composer.action_send_mail()
        self.assertEqual(order.state, "sent")
        self.assertEqual(len(self._followups(order)), 1)

    @freeze_time(MONDAY)
    def test_customer_email_reply_through_the_gateway_stops(self):
        order = self._order(self.account)
        action = order.action_quotation_send()
        self.env["mail.compose.message"].with_context(**action["context"]).create(
            {}
        ).action_send_mail()
        sent = order.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertTrue(sent.message_id)
        raw = (
            "From: Ann Buyer <ann.buyer@nordic-freight.example.com>\n"
            "To: sales@company.example.com\n"
            f"Subject: Re: {order.name}\n"
            "Message-ID: <reply-0001@nordic-freight.example.com>\n"
            f"In-Reply-To: {sent.message_id}\n"
            f"References: {sent.message_id}\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            "Thanks, we will come back to you next week.\n"
        )
        self.env["mail.thread"].message_process("sale.order", raw)
        self.assertIn("next week", order.message_ids[0].body)
        self.assertFalse(self._followups(order))
        self.assertEqual(order.kam_followup_state, "stopped")

    @freeze_time(MONDAY)
    def test_steps_follow_each_other_in_working_days(self):
        order = self._order(self.account)
        order.action_quotation_sent()
        deadlines = []
        summaries = []
        for _step in range(4):
            activity = self._followups(order)
            self.assertEqual(len(activity), 1)
            deadlines.append(activity.date_deadline)
            summaries.append(activity.summary)
            activity.action_feedback(feedback="done")
        # Monday + 1, 3, 5, 7 working days: Tuesday, Thursday, next Monday,
        # next Wednesday
        self.assertEqual(
            deadlines,
            [date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 9), date(2026, 3, 11)],
        )
        self.assertEqual(summaries[1], "Ask about next steps")
        self.assertFalse(self._followups(order))
        self.assertEqual(order.kam_followup_state, "done")

    @freeze_time(FRIDAY)
    def test_weekend_and_public_holiday_are_skipped(self):
        calendar = self.company.resource_calendar_id
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": calendar.id,
                "date_from": datetime(2026, 3, 9, 0, 0),
                "date_to": datetime(2026, 3, 9, 23, 0),
            }
        )
        order = self._order(self.account)
        order.action_quotation_sent()
        # Friday + 1 working day: Monday is a holiday, so Tuesday
        self.assertEqual(self._followups(order).date_deadline, date(2026, 3, 10))

    @freeze_time(MONDAY)
    def test_stop_on_confirm(self):
        order = self._order(self.account)
        order.action_quotation_sent()
        order.action_confirm()
        self.assertFalse(self._followups(order))
        self.assertEqual(order.kam_followup_state, "stopped")

    @freeze_time(MONDAY)
    def test_stop_on_cancel(self):
        order = self._order(self.account)
        order.action_quotation_sent()
        order._action_cancel()
        self.assertFalse(self._followups(order))
        self.assertEqual(order.kam_followup_state, "stopped")

    @freeze_time(MONDAY)
    def test_stop_on_customer_reply_and_restart_from_step_reached(self):
        order = self._order(self.account)
        order.action_quotation_sent()
        self._followups(order).action_feedback(feedback="arrived")
        self.assertEqual(self._followups(order).summary, "Ask about next steps")
        # an internal note does not stop the sequence
        order.message_post(body="Internal note", message_type="comment")
        self.assertTrue(self._followups(order))
        order.message_post(
            body="We need two more weeks.",
            message_type="email",
            author_id=self.contact.id,
        )
        self.assertFalse(self._followups(order))
        self.assertEqual(order.kam_followup_state, "stopped")
        self.assertEqual(order.kam_followup_step_id.summary, "Ask about next steps")
        with freeze_time(date(2026, 3, 4)):
            # sent again on Wednesday: the step reached restarts, spaced as
            # before (3 - 1 = 2 working days), and only once
            order.with_context(mark_so_as_sent=True).message_post(
                body="Revised offer", message_type="comment"
            )
            order.with_context(mark_so_as_sent=True).message_post(
                body="Revised offer again", message_type="comment"
            )
        activity = self._followups(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Ask about next steps")
        self.assertEqual(activity.date_deadline, date(2026, 3, 6))

    @freeze_time(MONDAY)
    def test_portal_message_of_customer_stops(self):
        order = self._order(self.account)
        order.action_quotation_sent()
        order.message_post(
            body="Can we talk?", message_type="comment", author_id=self.contact.id
        )
        self.assertFalse(self._followups(order))
        self.assertEqual(order.kam_followup_state, "stopped")

    @freeze_time(MONDAY)
    def test_sent_again_does_not_duplicate(self):
        order = self._order(self.account)
        order.action_quotation_sent()
        order.with_context(mark_so_as_sent=True).message_post(body="Sent again")
        order.write({"state": "sent"})
        self.assertEqual(len(self._followups(order)), 1)

    @freeze_time(MONDAY)
    def test_scope_key_accounts_only_by_default(self):
        order = self._order(self.plain_customer, user=self.sales_user)
        order.action_quotation_sent()
        self.assertFalse(self._followups(order))
        self.assertFalse(order.kam_followup_state)
        self.sequence.scope = "all"
        order2 = self._order(self.plain_customer, user=self.sales_user)
        order2.action_quotation_sent()
        self.assertEqual(self._followups(order2).user_id, self.sales_user)

    @freeze_time(MONDAY)
    def test_inactive_sequence_does_nothing(self):
        self.sequence.active = False
        order = self._order(self.account)
        order.action_quotation_sent()
        self.assertFalse(self._followups(order))

    @freeze_time(MONDAY)
    def test_deputy_gets_the_activity_while_kam_absent(self):
        self.kam_user.write(
            {"kam_absent_from": MONDAY, "kam_absent_until": MONDAY + timedelta(days=3)}
        )
        order = self._order(self.account)
        order.action_quotation_sent()
        self.assertEqual(self._followups(order).user_id, self.kam_user_other)

    @freeze_time(MONDAY)
    def test_assignee_marking_done_schedules_next_step(self):
        order = self._order(self.account)
        order.action_quotation_sent()
        activity = self._followups(order)
        activity.with_user(self.kam_user).action_feedback(feedback="ok")
        self.assertEqual(self._followups(order).summary, "Ask about next steps")


@tagged("post_install", "-at_install")
class TestServiceValidity(KamServiceCommon):
    @freeze_time(MONDAY)
    def test_key_account_validity_default(self):
        self.company.write(
            {"quotation_validity_days": 30, "kam_quotation_validity_days": 45}
        )
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.account
            with form.order_line.new() as line:
                line.product_id = self.product
        self.assertEqual(form.record.validity_date, MONDAY + timedelta(days=45))
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.plain_customer
            with form.order_line.new() as line:
                line.product_id = self.product
        self.assertEqual(form.record.validity_date, MONDAY + timedelta(days=30))
        # a quotation template's validity wins
        template = self.env["sale.order.template"].create(
            {"name": "Svc Test Template", "number_of_days": 10}
        )
        order = self._order(self.account, sale_order_template_id=template.id)
        self.assertEqual(order.validity_date, MONDAY + timedelta(days=10))
        # 0 keeps the default of Sales
        self.company.kam_quotation_validity_days = 0
        order = self._order(self.account)
        self.assertEqual(order.validity_date, MONDAY + timedelta(days=30))

    @freeze_time(MONDAY)
    def test_expiry_reminder_once(self):
        self.company.kam_quotation_expiry_notice_days = 3
        soon = self._order(self.account, validity_date=MONDAY + timedelta(days=2))
        later = self._order(self.account, validity_date=MONDAY + timedelta(days=10))
        plain = self._order(
            self.plain_customer, validity_date=MONDAY + timedelta(days=2)
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.env["sale.order"]._cron_kam_quotation_expiry()
        self.env["sale.order"]._cron_kam_quotation_expiry()
        reminders = soon.activity_ids.filtered(lambda a: a.activity_type_id == todo)
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.date_deadline, MONDAY + timedelta(days=1))
        self.assertEqual(reminders.user_id, self.kam_user)
        self.assertFalse(
            later.activity_ids.filtered(lambda a: a.activity_type_id == todo)
        )
        self.assertFalse(
            plain.activity_ids.filtered(lambda a: a.activity_type_id == todo)
        )

    def test_proposal_team_printed_on_quotation(self):
        self.kam_user.phone = "+371 2000 1234"
        order = self._order(self.account)
        order.kam_proposal_member_ids = [
            (0, 0, {"user_id": self.kam_user.id, "role": "Solution architect"})
        ]
        member = order.kam_proposal_member_ids
        self.assertEqual(member.phone, "+371 2000 1234")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sale.action_report_saleorder", order.ids)[0]
            .decode()
        )
        self.assertIn("Your proposal team", html)
        self.assertIn("Solution architect", html)
        self.assertIn("+371 2000 1234", html)
        plain = self._order(self.plain_customer)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sale.action_report_saleorder", plain.ids)[0]
            .decode()
        )
        self.assertNotIn("Your proposal team", html)
