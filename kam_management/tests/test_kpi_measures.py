# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestKpiMeasures(KpiCommon):
    def _values(self, rule, users, date_from, date_to):
        return rule._measure_values(users, date_from, date_to)

    def test_calls_in_user_time_zone(self):
        users = self.kam_user | self.kam_user_other
        rule = self._rule("calls", 30, users, period="day")
        # 2026-03-01 23:30 UTC: 2 March in Riga (UTC+2) and in Tokyo (UTC+9)
        self._done(self.kam_user, self.call_type, self.dt(2026, 3, 1, 23, 30))
        # 2026-03-01 21:30 UTC: 1 March in Riga, 2 March in Tokyo
        self._done(self.kam_user, self.call_type, self.dt(2026, 3, 1, 21, 30))
        self._done(self.kam_user_other, self.call_type, self.dt(2026, 3, 1, 21, 30))
        # 2026-03-01 14:59 UTC: 1 March in Tokyo (23:59)
        self._done(self.kam_user_other, self.call_type, self.dt(2026, 3, 1, 14, 59))
        # another activity type is not a call
        self._done(self.kam_user, self.phone_type, self.dt(2026, 3, 1, 10, 0))
        day1 = self._values(rule, users, date(2026, 3, 1), date(2026, 3, 1))
        day2 = self._values(rule, users, date(2026, 3, 2), date(2026, 3, 2))
        self.assertEqual(day1, {self.kam_user.id: 1.0, self.kam_user_other.id: 1.0})
        self.assertEqual(day2, {self.kam_user.id: 1.0, self.kam_user_other.id: 1.0})

    def test_calls_counted_from_odoo_activity_done(self):
        """The real flow: an activity marked done by the user counts."""
        activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.customer.id,
                "activity_type_id": self.call_type.id,
                "user_id": self.kam_user.id,
            }
        )
        rule = self._rule("calls", 30, self.kam_user, period="day")
        activity.with_user(self.kam_user).action_feedback(feedback="Reached")
        self.assertFalse(activity.exists())
        message = self.env["mail.message"].search(
            [("mail_activity_type_id", "=", self.call_type.id)],
            order="id desc",
            limit=1,
        )
        self.assertEqual(message.author_id, self.kam_user.partner_id)
        day = message.date.date()
        values = self._values(
            rule, self.kam_user, day - timedelta(days=1), day + timedelta(days=1)
        )
        self.assertEqual(values, {self.kam_user.id: 1.0})

    def test_offers_by_phone(self):
        rule = self._rule("offers_phone", 20, self.kam_user, period="day")
        self.assertEqual(rule.activity_type_id, self.phone_type)
        self._done(self.kam_user, self.phone_type, self.dt(2026, 3, 2, 9, 0))
        self._done(self.kam_user, self.phone_type, self.dt(2026, 3, 2, 10, 0))
        self._done(self.kam_user, self.call_type, self.dt(2026, 3, 2, 10, 0))
        self.assertEqual(
            self._values(rule, self.kam_user, date(2026, 3, 2), date(2026, 3, 2)),
            {self.kam_user.id: 2.0},
        )

    def test_offers_by_email_once_per_order_and_day(self):
        order = self._order(
            self.kam_user, self.customer, self.dt(2026, 3, 2), confirm=False
        )
        other = self._order(
            self.kam_user, self.customer_b, self.dt(2026, 3, 2), confirm=False
        )
        comment = self.env.ref("mail.mt_comment")
        note = self.env.ref("mail.mt_note")

        def post(record, when, subtype=comment):
            self.env["mail.message"].create(
                {
                    "model": "sale.order",
                    "res_id": record.id,
                    "message_type": "comment",
                    "subtype_id": subtype.id,
                    "author_id": self.kam_user.partner_id.id,
                    "date": when,
                    "body": "Your quotation",
                }
            )

        post(order, self.dt(2026, 3, 2, 8, 0))
        post(order, self.dt(2026, 3, 2, 15, 0))  # same order, same day: once
        post(order, self.dt(2026, 3, 3, 8, 0))  # next day: again
        post(other, self.dt(2026, 3, 2, 9, 0))
        post(other, self.dt(2026, 3, 2, 9, 30), subtype=note)  # internal note
        rule = self._rule("offers_email", 50, self.kam_user, period="day")
        self.assertEqual(
            self._values(rule, self.kam_user, date(2026, 3, 2), date(2026, 3, 2)),
            {self.kam_user.id: 2.0},
        )
        self.assertEqual(
            self._values(rule, self.kam_user, *self.march), {self.kam_user.id: 3.0}
        )

    def test_offers_by_email_from_send_flow(self):
        order = self._order(
            self.kam_user, self.customer, self.dt(2026, 3, 2), confirm=False
        )
        order.with_user(self.kam_user).with_context(mark_so_as_sent=True).message_post(
            body="Please find our offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        self.assertEqual(order.state, "sent")
        message = order.message_ids.filtered(lambda m: m.message_type == "comment")
        day = message.date.date()
        rule = self._rule("offers_email", 50, self.kam_user, period="day")
        values = self._values(
            rule, self.kam_user, day - timedelta(days=1), day + timedelta(days=1)
        )
        self.assertEqual(values, {self.kam_user.id: 1.0})

    def test_new_clients_first_confirmed_order(self):
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer_b.id}
        )
        fresh = self.env["res.partner"].create(
            {"name": "Fresh Ltd", "is_company": True}
        )
        # customer already bought in February: not new in March
        self._order(self.kam_user_other, self.customer, self.dt(2026, 2, 10, 10, 0))
        self._order(self.kam_user, self.customer, self.dt(2026, 3, 5, 10, 0))
        # customer_b: first order in March through a contact, a second one later
        self._order(self.kam_user, contact, self.dt(2026, 3, 6, 10, 0))
        self._order(self.kam_user, self.customer_b, self.dt(2026, 3, 20, 10, 0))
        # a quotation is not a contract
        self._order(self.kam_user, fresh, self.dt(2026, 3, 7, 10, 0), confirm=False)
        # first order at 31 March 23:30 UTC: 1 April in Riga
        late = self.env["res.partner"].create({"name": "Late Oy", "is_company": True})
        self._order(self.kam_user, late, self.dt(2026, 3, 31, 23, 30))
        rule = self._rule("new_clients", 4, self.kam_user)
        self.assertEqual(
            self._values(rule, self.kam_user, *self.march), {self.kam_user.id: 1.0}
        )
        self.assertEqual(
            self._values(rule, self.kam_user, date(2026, 4, 1), date(2026, 4, 30)),
            {self.kam_user.id: 1.0},
        )

    def test_revenue_and_margin_with_refund(self):
        self._invoice(self.kam_user, self.customer, date(2026, 3, 1), quantity=10)
        self._invoice(self.kam_user, self.customer, date(2026, 3, 31), quantity=5)
        self._invoice(
            self.kam_user, self.customer, date(2026, 3, 15), quantity=2, refund=True
        )
        self._invoice(self.kam_user, self.customer, date(2026, 4, 1), quantity=7)
        self._invoice(self.kam_user_other, self.customer, date(2026, 3, 10), quantity=1)
        users = self.kam_user | self.kam_user_other
        revenue = self._rule("revenue", 1000, users)
        margin = self._rule("margin", 400, users)
        # (10 + 5 - 2) x 100; margin (10 + 5 - 2) x (100 - 60)
        self.assertEqual(
            self._values(revenue, users, *self.march),
            {self.kam_user.id: 1300.0, self.kam_user_other.id: 100.0},
        )
        self.assertEqual(
            self._values(margin, users, *self.march),
            {self.kam_user.id: 520.0, self.kam_user_other.id: 40.0},
        )

    def _tender(self, user, partner, name, bid_amount, **vals):
        return (
            self.env["kam.tender"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "partner_id": partner.id,
                    "bid_amount": bid_amount,
                    "date_submission": date(2026, 2, 20),
                    "stage_id": self.env.ref(
                        "kam_management.kam_tender_stage_preparation"
                    ).id,
                    **vals,
                }
            )
        )

    def _on(self, day):
        """Today is ``day`` (the day a tender closes is today)."""
        return patch.object(fields.Date, "context_today", lambda *a, **k: day)

    def test_tenders_won_without_tenders(self):
        """No won tender: neither measure has a value, for no user."""
        users = self.kam_user | self.kam_user_other
        rule = self._rule("tenders_won", 1, users)
        value_rule = self._rule("tenders_won_value", 1, users)
        # an open tender of the user is not won
        self.customer.kam_user_id = self.kam_user
        self._tender(self.kam_user, self.customer, "Open tender", 1000.0)
        self.assertEqual(self._values(rule, users, *self.march), {})
        self.assertEqual(self._values(value_rule, users, *self.march), {})

    def test_tenders_won_counts_won_tenders(self):
        """Tenders of the KAMs' key accounts set won with the Won button: in
        the period (the day they closed), confirmed, of the user (the tender's
        KAM), counted once each; the value is the awarded amount (our bid)."""
        self.env.company.kam_tender_outcome_confirmation = True
        self.customer.write(
            {"kam_is_key_account": True, "kam_user_id": self.kam_user.id}
        )
        self.customer_b.write(
            {"kam_is_key_account": True, "kam_user_id": self.kam_user_other.id}
        )
        users = self.kam_user | self.kam_user_other
        count = self._rule("tenders_won", 1, users)
        value = self._rule("tenders_won_value", 100000, users)
        cranes = self._tender(self.kam_user, self.customer, "Cranes", 415000.0)
        quays = self._tender(self.kam_user, self.customer, "Quays", 85000.0)
        february = self._tender(self.kam_user, self.customer, "Fences", 9000.0)
        lost = self._tender(self.kam_user, self.customer, "Tugs", 50000.0)
        other = self._tender(self.kam_user_other, self.customer_b, "Silos", 7000.0)
        self.assertEqual((cranes | other).mapped("user_id"), users)
        with self._on(date(2026, 3, 12)):
            (cranes | quays).action_kam_mark_won()  # by the KAM User
            other.action_kam_mark_won()  # by the other KAM User
            lost.sudo().write(
                {
                    "stage_id": self.env.ref("kam_management.kam_tender_stage_lost").id,
                    "loss_reason_id": self.env.ref(
                        "kam_management.kam_tender_loss_reason_price"
                    ).id,
                }
            )
        with self._on(date(2026, 2, 27)):
            february.action_kam_mark_won()
        self.assertEqual(cranes.date_closed, date(2026, 3, 12))
        self.assertEqual(cranes.awarded_amount, 415000.0)
        # set by KAM Users: not counted before a KAM Manager confirms
        self.assertEqual(
            (cranes | quays | other).mapped("outcome_confirmed"), [False] * 3
        )
        self.assertEqual(self._values(count, users, *self.march), {})
        self.assertEqual(self._values(value, users, *self.march), {})
        tenders = cranes | quays | february | lost | other
        tenders.with_user(self.kam_manager).action_confirm_outcome()
        # cranes + quays for the user; February and the lost tender not
        self.assertEqual(
            self._values(count, users, *self.march),
            {self.kam_user.id: 2.0, self.kam_user_other.id: 1.0},
        )
        self.assertEqual(
            self._values(value, users, *self.march),
            {self.kam_user.id: 500000.0, self.kam_user_other.id: 7000.0},
        )
        self.assertEqual(
            self._values(count, self.kam_user, date(2026, 2, 1), date(2026, 2, 28)),
            {self.kam_user.id: 1.0},
        )
        # and the results of the month
        (count | value)._evaluate(today=date(2026, 4, 1))
        self.assertRecordValues(
            self._result(count, self.kam_user, date(2026, 3, 1))
            | self._result(value, self.kam_user, date(2026, 3, 1)),
            [
                {"value": 2.0, "status": "met"},
                {"value": 500000.0, "status": "met"},
            ],
        )

    def test_reconciliation_coverage(self):
        key_a = self.customer
        key_a.write({"kam_is_key_account": True, "kam_user_id": self.kam_user.id})
        self.customer_b.write(
            {"kam_is_key_account": True, "kam_user_id": self.kam_user.id}
        )
        contact = self.env["res.partner"].create(
            {"name": "Accountant", "parent_id": key_a.id}
        )
        # done on a contact of key_a: key_a is covered
        self._done(
            self.kam_user, self.reconciliation_type, self.dt(2026, 3, 10), contact
        )
        # done by somebody else on customer_b: not the KAM's reconciliation
        self._done(
            self.kam_user_other,
            self.reconciliation_type,
            self.dt(2026, 3, 10),
            self.customer_b,
        )
        users = self.kam_user | self.kam_user_other
        rule = self._rule("reconciliations", 100, users)
        self.assertEqual(
            self._values(rule, users, *self.march),
            {self.kam_user.id: 50.0, self.kam_user_other.id: 100.0},
        )

    def test_portfolio_growth(self):
        self.customer.write(
            {"kam_is_key_account": True, "kam_user_id": self.kam_user.id}
        )
        # the invoice's salesperson does not matter: the account's KAM does
        self._invoice(
            self.kam_user_other, self.customer, date(2025, 3, 10), quantity=10
        )
        self._invoice(self.kam_user, self.customer, date(2026, 3, 10), quantity=16)
        self._invoice(
            self.kam_user, self.customer, date(2026, 3, 11), quantity=1, refund=True
        )
        # not a key account
        self._invoice(self.kam_user, self.customer_b, date(2026, 3, 10), quantity=50)
        rule = self._rule("portfolio_growth", 5, self.kam_user)
        # (1500 - 1000) / 1000
        self.assertEqual(
            self._values(rule, self.kam_user, *self.march), {self.kam_user.id: 50.0}
        )

    def test_generic_count_and_sum(self):
        lead_model = self.env["ir.model"]._get("crm.lead")
        fields_ = self.env["ir.model.fields"]
        rule = self._rule(
            "generic",
            3,
            self.kam_user,
            model_id=lead_model.id,
            domain="[('type', '=', 'opportunity')]",
            date_field_id=fields_._get("crm.lead", "date_deadline").id,
            user_field_id=fields_._get("crm.lead", "user_id").id,
        )
        Lead = self.env["crm.lead"]
        for day, kind, revenue in (
            (date(2026, 3, 1), "opportunity", 10.0),
            (date(2026, 3, 31), "opportunity", 20.0),
            (date(2026, 4, 1), "opportunity", 40.0),
            (date(2026, 3, 5), "lead", 80.0),
        ):
            Lead.create(
                {
                    "name": "Deal",
                    "type": kind,
                    "user_id": self.kam_user.id,
                    "date_deadline": day,
                    "expected_revenue": revenue,
                }
            )
        self.assertEqual(
            self._values(rule, self.kam_user, *self.march), {self.kam_user.id: 2.0}
        )
        rule.write(
            {
                "aggregate": "sum",
                "sum_field_id": fields_._get("crm.lead", "expected_revenue").id,
            }
        )
        self.assertEqual(
            self._values(rule, self.kam_user, *self.march), {self.kam_user.id: 30.0}
        )

    def test_report_on_time(self):
        Report = self.env["kam.monthly.report"]
        reports = Report.create(
            [
                {
                    "user_id": user.id,
                    "date_from": date(2026, 2, 1),
                    "date_to": date(2026, 2, 28),
                }
                for user in (self.kam_user, self.kam_user_other)
            ]
        )
        self.assertEqual(set(reports.mapped("due_date")), {date(2026, 3, 3)})
        reports[0].write({"state": "submitted", "submitted_date": date(2026, 3, 3)})
        reports[1].write({"state": "submitted", "submitted_date": date(2026, 3, 4)})
        self.assertEqual(reports.mapped("is_late"), [False, True])
        users = self.kam_user | self.kam_user_other
        rule = self._rule("report_on_time", 1, users)
        self.assertEqual(self._values(rule, users, *self.march), {self.kam_user.id: 1})
        self.assertEqual(
            self._values(rule, users, date(2026, 2, 1), date(2026, 2, 28)), {}
        )

    def _claim(self, user, received, due, partner=None, closed=None, **vals):
        """A claim of ``user`` (responsible); ``closed``: (stage xml id,
        resolution date)."""
        claim = self.env["kam.claim"].create(
            {
                "name": "Claim",
                "partner_id": partner.id if partner else False,
                "user_id": user.id,
                "date_received": received,
                "date_due": due,
                **vals,
            }
        )
        self.assertEqual(claim.date_due, due)
        if closed:
            stage, day = closed
            claim.write(
                {
                    "stage_id": self.env.ref(f"kam_management.{stage}").id,
                    "date_resolved": day,
                }
            )
            self.assertEqual(claim.date_resolved, day)
        return claim

    def test_claims_received(self):
        users = self.kam_user | self.kam_user_other
        self.customer.write(
            {"kam_is_key_account": True, "kam_user_id": self.kam_user.id}
        )
        contact = self.env["res.partner"].create(
            {"name": "Complainer", "parent_id": self.customer.id}
        )
        company_b = self.env["res.company"].create({"name": "KPI Claims B"})
        other = self.kam_user_other
        # the account's KAM counts, whoever is responsible (here the deputy)
        self._claim(other, date(2026, 3, 1), date(2026, 3, 2), self.customer)
        self._claim(other, date(2026, 3, 31), date(2026, 4, 1), contact)
        # outside March
        self._claim(other, date(2026, 2, 28), date(2026, 3, 2), self.customer)
        self._claim(other, date(2026, 4, 1), date(2026, 4, 2), self.customer)
        # rejected as unfounded: not counted
        self._claim(
            other,
            date(2026, 3, 10),
            date(2026, 3, 11),
            self.customer,
            closed=("kam_claim_stage_rejected", date(2026, 3, 11)),
        )
        # resolved: still a received claim
        self._claim(
            other,
            date(2026, 3, 12),
            date(2026, 3, 13),
            self.customer,
            closed=("kam_claim_stage_resolved", date(2026, 3, 13)),
        )
        # customer without KAM, or no customer: the responsible
        self._claim(other, date(2026, 3, 10), date(2026, 3, 11), self.customer_b)
        self._claim(self.kam_user, date(2026, 3, 10), date(2026, 3, 11))
        # another company
        self._claim(
            self.kam_user,
            date(2026, 3, 10),
            date(2026, 3, 11),
            company_id=company_b.id,
        )
        rule = self._rule("claims_received", 5, users, direction="at_most")
        self.assertEqual(
            self._values(rule, users, *self.march),
            {self.kam_user.id: 4.0, other.id: 1.0},
        )
        self.assertEqual(
            self._values(rule, users, date(2026, 3, 31), date(2026, 3, 31)),
            {self.kam_user.id: 1.0},
        )

    def test_claims_overdue_at_period_end(self):
        users = self.kam_user | self.kam_user_other
        company_b = self.env["res.company"].create({"name": "KPI Claims B"})
        user = self.kam_user
        self._claim(user, date(2026, 3, 10), date(2026, 3, 20), self.customer)
        # due on the last day: not overdue yet that day
        self._claim(user, date(2026, 3, 10), date(2026, 3, 31), self.customer)
        # resolved on the last day: no longer open
        self._claim(
            user,
            date(2026, 3, 10),
            date(2026, 3, 20),
            self.customer,
            closed=("kam_claim_stage_resolved", date(2026, 3, 31)),
        )
        # resolved after the period: open and overdue on 31 March
        self._claim(
            user,
            date(2026, 3, 10),
            date(2026, 3, 20),
            self.customer,
            closed=("kam_claim_stage_resolved", date(2026, 4, 2)),
        )
        # received after the period
        self._claim(user, date(2026, 4, 1), date(2026, 4, 1), self.customer)
        # another company
        self._claim(
            user,
            date(2026, 3, 1),
            date(2026, 3, 2),
            company_id=company_b.id,
        )
        self._claim(self.kam_user_other, date(2026, 3, 2), date(2026, 3, 3))
        rule = self._rule("claims_overdue", 0, users, direction="at_most")
        closed = rule.with_context(kam_kpi_today=date(2026, 4, 15))
        self.assertEqual(
            self._values(closed, users, *self.march),
            {user.id: 2.0, self.kam_user_other.id: 1.0},
        )
        # a running period is read today, not at its future end
        running = rule.with_context(kam_kpi_today=date(2026, 3, 15))
        self.assertEqual(
            self._values(running, users, *self.march),
            {self.kam_user_other.id: 1.0},
        )
        # the evaluation passes its day on
        rule._evaluate(today=date(2026, 3, 25))
        result = self._result(rule, user, date(2026, 3, 1))
        # on 25 March the claim resolved on 31 March is still open and overdue
        self.assertEqual((result.value, result.status), (3.0, "missed"))
        february = self._result(rule, user, date(2026, 2, 1))
        self.assertEqual((february.value, february.status), (0.0, "met"))

    def test_claims_resolved_on_time(self):
        users = self.kam_user | self.kam_user_other
        company_b = self.env["res.company"].create({"name": "KPI Claims B"})
        user = self.kam_user
        resolved = "kam_claim_stage_resolved"
        # on the due date: on time (first day of the period)
        self._claim(
            user,
            date(2026, 2, 25),
            date(2026, 3, 1),
            self.customer,
            closed=(resolved, date(2026, 3, 1)),
        )
        # late, closed on the last day of the period
        self._claim(
            user,
            date(2026, 3, 10),
            date(2026, 3, 20),
            self.customer,
            closed=(resolved, date(2026, 3, 31)),
        )
        # a rejection is a response too
        self._claim(
            user,
            date(2026, 3, 4),
            date(2026, 3, 6),
            self.customer,
            closed=("kam_claim_stage_rejected", date(2026, 3, 5)),
        )
        # closed outside March (late), still open, another company
        self._claim(
            user,
            date(2026, 2, 1),
            date(2026, 2, 2),
            self.customer,
            closed=(resolved, date(2026, 2, 28)),
        )
        self._claim(
            user,
            date(2026, 3, 1),
            date(2026, 3, 2),
            self.customer,
            closed=(resolved, date(2026, 4, 1)),
        )
        self._claim(user, date(2026, 3, 1), date(2026, 3, 2), self.customer)
        self._claim(
            user,
            date(2026, 3, 1),
            date(2026, 3, 2),
            company_id=company_b.id,
            closed=(resolved, date(2026, 3, 30)),
        )
        rule = self._rule("claims_resolved_on_time", 90, users)
        values = self._values(rule, users, *self.march)
        self.assertAlmostEqual(values[user.id], 200.0 / 3)
        # nothing closed: nothing late
        self.assertEqual(values[self.kam_user_other.id], 100.0)
        self.assertEqual(
            self._values(rule, users, date(2026, 2, 1), date(2026, 2, 28)),
            {user.id: 0.0, self.kam_user_other.id: 100.0},
        )

    def test_measure_definitions_cover_catalog(self):
        rule = self.env["kam.kpi.rule"]
        measures = [code for code, _label in rule._fields["measure"].selection]
        definitions = rule._measure_definitions()
        self.assertEqual(set(measures), set(definitions))
        self.assertIn("once per order and per day", definitions["offers_email"])
        self.assertTrue(
            all(hasattr(rule, f"_measure_{code}") for code in measures),
        )
        self.assertEqual(len(measures), len(set(measures)))
