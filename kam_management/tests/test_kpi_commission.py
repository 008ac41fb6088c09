# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestKpiCommission(KpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["kam.commission.plan"].create(
            {
                "name": "Margin by deal size",
                "basis": "margin",
                "tier_ids": [
                    Command.create({"from_amount": 0, "rate": 12}),
                    Command.create({"from_amount": 10000, "rate": 5}),
                ],
                "user_ids": [Command.set((cls.kam_user | cls.kam_user_other).ids)],
            }
        )

    def _lines(self, **domain):
        return self.env["kam.commission.line"].search(
            [("plan_id", "=", self.plan.id)]
            + [(key, "=", value) for key, value in domain.items()],
            order="id",
        )

    def test_tiers_and_refunds(self):
        # mid-size deal: 10 x 100 = 1,000, margin 400 -> 12 % = 48
        small = self._invoice(
            self.kam_user, self.customer, date(2026, 3, 5), quantity=10
        )
        # large deal: 200 x 100 = 20,000, margin 8,000 -> 5 % = 400
        large = self._invoice(
            self.kam_user, self.customer, date(2026, 3, 6), quantity=200
        )
        # refund of 2 units of the small deal: margin -80 at 12 % = -9.6
        refund = self._invoice(
            self.kam_user, self.customer, date(2026, 3, 7), quantity=2, refund=True
        )
        # outside the period, and a salesperson without plan
        self._invoice(self.kam_user, self.customer, date(2026, 4, 1), quantity=10)
        self._invoice(self.kam_manager, self.customer, date(2026, 3, 5), quantity=10)
        self.plan._compute_lines(*self.march)
        lines = self._lines()
        self.assertEqual(lines.move_id, small | large | refund)
        self.assertRecordValues(
            lines,
            [
                {
                    "base_amount": 400.0,
                    "rate": 12.0,
                    "amount": 48.0,
                    "deal_amount": 1000.0,
                },
                {
                    "base_amount": 8000.0,
                    "rate": 5.0,
                    "amount": 400.0,
                    "deal_amount": 20000.0,
                },
                {
                    "base_amount": -80.0,
                    "rate": 12.0,
                    "amount": -9.6,
                    "deal_amount": 200.0,
                },
            ],
        )
        self.assertEqual(set(lines.mapped("user_id")), {self.kam_user})
        # untaxed basis: 12 % of 1,000
        self.plan.basis = "untaxed"
        self.plan._compute_lines(*self.march)
        self.assertEqual(self._lines(move_id=small.id).amount, 120.0)

    def test_deal_size_from_sales_order(self):
        order = self._order(
            self.kam_user, self.customer, self.dt(2026, 3, 1), amount=15000
        )
        invoice = order._create_invoices()
        # invoice half of the order: the deal is still the large order
        invoice.invoice_line_ids.quantity = 0.5
        invoice.invoice_date = date(2026, 3, 2)
        invoice.action_post()
        self.plan._compute_lines(*self.march)
        line = self._lines(move_id=invoice.id)
        self.assertEqual(line.deal_amount, 15000.0)
        self.assertEqual(line.rate, 5.0)

    def test_recompute_keeps_confirmed_lines(self):
        first = self._invoice(
            self.kam_user, self.customer, date(2026, 3, 5), quantity=10
        )
        self.plan._compute_lines(*self.march)
        confirmed = self._lines(move_id=first.id)
        confirmed.action_confirm()
        # a rate change and a new invoice, then recompute
        self.plan.tier_ids.filtered(lambda t: t.from_amount == 0).rate = 20
        second = self._invoice(
            self.kam_user, self.customer, date(2026, 3, 9), quantity=10
        )
        self.plan._compute_lines(*self.march)
        self.plan._compute_lines(*self.march)
        lines = self._lines()
        self.assertEqual(len(lines), 2)
        self.assertIn(confirmed, lines)
        self.assertEqual(confirmed.amount, 48.0)  # untouched
        self.assertEqual(self._lines(move_id=second.id).amount, 80.0)
        with self.assertRaises(UserError):
            confirmed.write({"amount": 1.0})
        with self.assertRaises(UserError):
            confirmed.unlink()

    def test_attainment_multiplier(self):
        rule = self._rule("revenue", 2000, self.kam_user | self.kam_user_other)
        self.plan.write(
            {
                "use_multiplier": True,
                "multiplier_rule_id": rule.id,
                "step_ids": [
                    Command.create({"from_attainment": 0, "multiplier": 0.5}),
                    Command.create({"from_attainment": 100, "multiplier": 1.5}),
                ],
            }
        )
        self._invoice(self.kam_user, self.customer, date(2026, 3, 5), quantity=10)
        self._invoice(self.kam_user_other, self.customer, date(2026, 3, 5), quantity=30)
        rule._evaluate(today=date(2026, 4, 1))
        self.plan._compute_lines(*self.march)
        # kam_user: 1,000 / 2,000 = 50 % -> 0.5; other: 150 % -> 1.5
        self.assertEqual(self._lines(user_id=self.kam_user.id).amount, 48.0 * 0.5)
        self.assertEqual(
            self._lines(user_id=self.kam_user_other.id).amount, 1200 * 0.12 * 1.5
        )

    def test_plan_constraints_and_wizard(self):
        with self.assertRaisesText(ValidationError, "two active commission plans"):
            self.env["kam.commission.plan"].create(
                {"name": "Second", "user_ids": [Command.link(self.kam_user.id)]}
            )
        with self.assertRaisesText(ValidationError, "choose the KPI rule"):
            self.plan.use_multiplier = True
        self._invoice(self.kam_user, self.customer, date(2026, 3, 5), quantity=10)
        wizard = Form(
            self.env["kam.commission.compute"].with_context(
                active_model="kam.commission.plan", active_ids=self.plan.ids
            )
        )
        wizard.date_from = date(2026, 3, 1)
        wizard.date_to = date(2026, 3, 31)
        action = wizard.save().action_compute()
        self.assertEqual(
            self.env["kam.commission.line"].search(action["domain"]).amount, 48.0
        )

    def test_statement_access_and_pdf(self):
        self._invoice(self.kam_user, self.customer, date(2026, 3, 5), quantity=10)
        self._invoice(self.kam_user_other, self.customer, date(2026, 3, 5), quantity=10)
        self.plan._compute_lines(*self.march)
        Line = self.env["kam.commission.line"]
        own = Line.with_user(self.kam_user).search([])
        self.assertEqual(own.user_id, self.kam_user)
        with self.assertRaises(AccessError):
            own.with_user(self.kam_user).action_confirm()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "kam_management.kam_commission_statement_document", self._lines().ids
        )[0]
        self.assertIn(b"Commission statement", html)
        self.assertEqual(html.count(b"Commission statement:"), 2)
