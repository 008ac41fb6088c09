# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Commission lines are the engine's: nobody writes their values by hand,
nobody confirms their own commission, the plans' rates and multipliers are
bounded, and the statement is printed for the readers of its lines only."""

from datetime import date

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .kpi_common import KpiCommon

ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestAccessCommission(KpiCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # kam_manager leads kam_user; head_manager leads kam_manager
        cls.head_manager = new_test_user(
            cls.env,
            login="kam_head_manager_test",
            name="KAM Head Manager",
            groups="kam_management.group_kam_manager",
        )
        cls.env["crm.team"].create(
            {
                "name": "Commission team",
                "user_id": cls.kam_manager.id,
                "member_ids": [Command.set(cls.kam_user.ids)],
            }
        )
        cls.env["crm.team"].create(
            {
                "name": "Commission managers",
                "user_id": cls.head_manager.id,
                "member_ids": [Command.set(cls.kam_manager.ids)],
            }
        )
        cls.plan = cls.env["kam.commission.plan"].create(
            {
                "name": "Access plan",
                "basis": "margin",
                "tier_ids": [Command.create({"from_amount": 0, "rate": 12})],
                "user_ids": [Command.set((cls.kam_user | cls.kam_manager).ids)],
            }
        )
        # 10 x 100 = 1,000, margin 400 -> 12 % = 48 for each of them
        cls._invoice(cls.kam_user, cls.customer, date(2026, 3, 5), quantity=10)
        cls._invoice(cls.kam_manager, cls.customer, date(2026, 3, 6), quantity=10)
        cls.plan._compute_lines(*cls.march)
        Line = cls.env["kam.commission.line"]
        cls.user_line = Line.search([("user_id", "=", cls.kam_user.id)])
        cls.manager_line = Line.search([("user_id", "=", cls.kam_manager.id)])

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _assert_rpc_refused(self, model, method, args):
        with self.assertRaises(JsonRpcException) as catcher:
            self._rpc(model, method, args)
        self.assertEqual(str(catcher.exception), ACCESS_ERROR)

    # --- values of the lines ------------------------------------------------
    def test_line_values_not_written_by_hand_orm(self):
        self.assertRecordValues(
            self.user_line,
            [{"base_amount": 400.0, "rate": 12.0, "multiplier": 1.0, "amount": 48.0}],
        )
        admin = new_test_user(
            self.env,
            login="commission_sales_admin",
            groups="sales_team.group_sale_manager",
        )
        values = {
            "amount": 1000.0,
            "user_id": self.kam_manager.id,
            "rate": 50.0,
            "multiplier": 2.0,
            "base_amount": 4000.0,
        }
        for user in (self.kam_manager, admin):
            for field_name, value in values.items():
                with self.subTest(user=user.login, field=field_name):
                    with self.assertRaises(AccessError):
                        self.user_line.with_user(user).write({field_name: value})
        # even with write access on the model, the fields stay the engine's
        self.env["ir.model.access"].create(
            {
                "name": "test: managers write commission lines",
                "model_id": self.env.ref("kam_management.model_kam_commission_line").id,
                "group_id": self.env.ref("kam_management.group_kam_manager").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
            }
        )
        for field_name, value in values.items():
            with self.subTest(field=field_name, access="write"):
                with self.assertRaisesRegex(AccessError, "cannot be written by hand"):
                    self.user_line.with_user(self.kam_manager).write(
                        {field_name: value}
                    )
        with self.assertRaisesRegex(AccessError, "state|Status|confirm"):
            self.user_line.with_user(self.kam_manager).write({"state": "confirmed"})
        with self.assertRaisesRegex(AccessError, "Compute Commissions only"):
            self.env["kam.commission.line"].with_user(self.kam_manager).create(
                {
                    "plan_id": self.plan.id,
                    "user_id": self.kam_manager.id,
                    "move_id": self.user_line.move_id.id,
                    "move_line_id": self.user_line.move_line_id.id,
                    "amount": 1000.0,
                }
            )
        self.assertRecordValues(
            self.user_line,
            [
                {
                    "user_id": self.kam_user.id,
                    "rate": 12.0,
                    "amount": 48.0,
                    "state": "draft",
                }
            ],
        )

    def test_line_values_not_written_by_hand_rpc(self):
        Line = "kam.commission.line"
        self.authenticate(self.kam_manager.login, self.kam_manager.login)
        for values in (
            {"amount": 1000.0},
            {"user_id": self.kam_manager.id},
            {"rate": 50.0},
            {"multiplier": 3.0},
            {"state": "confirmed"},
        ):
            with self.subTest(values=values):
                self._assert_rpc_refused(Line, "write", [self.user_line.ids, values])
        # nor through the lines of the plan (a manager writes plans)
        line_values = {
            "plan_id": self.plan.id,
            "user_id": self.kam_manager.id,
            "move_id": self.user_line.move_id.id,
            "move_line_id": self.user_line.move_line_id.id,
        }
        for command in (
            Command.update(self.user_line.id, {"amount": 1000.0}),
            Command.create(line_values),
        ):
            with self.subTest(command=command[0]):
                self._assert_rpc_refused(
                    "kam.commission.plan",
                    "write",
                    [self.plan.ids, {"line_ids": [command]}],
                )
        # a KAM User cannot make a line for himself either
        self.authenticate(self.kam_user.login, self.kam_user.login)
        self._assert_rpc_refused(
            Line,
            "create",
            [
                {
                    "plan_id": self.plan.id,
                    "user_id": self.kam_user.id,
                    "move_id": self.manager_line.move_id.id,
                    "move_line_id": self.manager_line.move_line_id.id,
                    "amount": 1000.0,
                }
            ],
        )
        self._assert_rpc_refused(Line, "write", [self.user_line.ids, {"amount": 1e6}])
        self.assertRecordValues(
            self.user_line, [{"user_id": self.kam_user.id, "amount": 48.0}]
        )
        self.assertEqual(
            self.env[Line].search_count([("plan_id", "=", self.plan.id)]), 2
        )

    def test_amount_is_base_times_rate_times_multiplier(self):
        # the engine changes the base: the amount follows, nobody sets it
        self.user_line.sudo().write({"base_amount": 1000.0, "multiplier": 1.5})
        self.assertEqual(self.user_line.amount, 1000.0 * 0.12 * 1.5)

    # --- confirmation -------------------------------------------------------
    def test_nobody_confirms_their_own_commission(self):
        with self.assertRaisesRegex(AccessError, "cannot confirm their own"):
            self.manager_line.with_user(self.kam_manager).action_confirm()
        # a statement mixing the manager's line with a member's: nothing confirmed
        with self.assertRaisesRegex(AccessError, "cannot confirm their own"):
            (self.user_line | self.manager_line).with_user(
                self.kam_manager
            ).action_confirm()
        self.assertEqual(
            (self.user_line | self.manager_line).mapped("state"), ["draft", "draft"]
        )
        # through JSON-RPC too
        self.authenticate(self.kam_manager.login, self.kam_manager.login)
        self._assert_rpc_refused(
            "kam.commission.line", "action_confirm", [self.manager_line.ids]
        )
        self.assertEqual(self.manager_line.state, "draft")
        # the leader of the manager's team confirms it; who and when are kept
        # (and tracked: the test classes switch tracking off, switch it on)
        self.manager_line.with_user(self.head_manager).with_context(
            tracking_disable=False, mail_notrack=False
        ).action_confirm()
        self.assertRecordValues(
            self.manager_line,
            [{"state": "confirmed", "confirm_user_id": self.head_manager.id}],
        )
        self.assertTrue(self.manager_line.confirm_date)
        # and the manager confirms the line of his team member
        self.user_line.with_user(self.kam_manager).action_confirm()
        self.assertRecordValues(
            self.user_line,
            [{"state": "confirmed", "confirm_user_id": self.kam_manager.id}],
        )
        # the confirmation is tracked in the chatter of the line (at commit)
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.manager_line.message_ids.tracking_value_ids.mapped(
            "field_id.name"
        )
        self.assertIn("state", tracked)
        self.assertIn("confirm_user_id", tracked)
        self.assertEqual(
            self.manager_line.message_ids.filtered("tracking_value_ids").author_id,
            self.head_manager.partner_id,
        )
        # a KAM User confirms nothing, not even another's line he cannot read
        with self.assertRaises(AccessError):
            self.user_line.with_user(self.kam_user_other).action_confirm()

    # --- bounds of the plans ------------------------------------------------
    def test_multiplier_bounded(self):
        rule = self._rule("revenue", 2000, self.kam_user)
        self.plan.write({"use_multiplier": True, "multiplier_rule_id": rule.id})
        Step = self.env["kam.commission.plan.step"]
        step = Step.create(
            {"plan_id": self.plan.id, "from_attainment": 100, "multiplier": 3.0}
        )
        with self.assertRaisesText(ValidationError, "between 0 and 3"):
            step.with_user(self.kam_manager).multiplier = 3.5
        with self.assertRaisesText(ValidationError, "between 0 and 3"):
            step.multiplier = -0.5
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            step.from_attainment = -5.0
        self.env.flush_all()
        # the database refuses it too
        with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            with self.assertRaises(psycopg2.errors.CheckViolation):
                self.env.cr.execute(
                    "UPDATE kam_commission_plan_step SET multiplier = 3.5 "
                    "WHERE id = %s",
                    [step.id],
                )
        self.assertIn("3", Step._fields["multiplier"].help)

    def test_tier_rate_bounded(self):
        tier = self.plan.tier_ids
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            tier.rate = 120.0
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            tier.rate = -1.0
        with self.assertRaisesText(ValidationError, "negative deal size"):
            tier.from_amount = -10.0
        self.assertEqual(tier.rate, 12.0)
        # a new tier out of bounds: refused by the database constraint
        with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            with self.assertRaises(psycopg2.errors.CheckViolation):
                self.env["kam.commission.plan.tier"].create(
                    {"plan_id": self.plan.id, "from_amount": 500, "rate": 101}
                )

    # --- side doors ---------------------------------------------------------
    def test_compute_wizard(self):
        """Who computes for whom: KAM Managers, on the plans of their
        companies (a guard: this held before the lines became the engine's)."""
        Wizard = self.env["kam.commission.compute"]
        dates = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
        with self.assertRaises(AccessError):
            Wizard.with_user(self.kam_user).create(
                {"plan_ids": [Command.set(self.plan.ids)], **dates}
            )
        # a plan of a company the manager is not in
        other_company = self.env["res.company"].create({"name": "Commission B"})
        foreign = self.env["kam.commission.plan"].create(
            {
                "name": "Foreign plan",
                "company_id": other_company.id,
                "user_ids": [Command.set(self.kam_manager.ids)],
            }
        )
        # refused (creating the wizard reads the plan as the manager already;
        # action_compute checks the plans again before the engine runs)
        with self.assertRaises(AccessError):
            Wizard.with_user(self.kam_manager).create(
                {"plan_ids": [Command.set(foreign.ids)], **dates}
            ).action_compute()
        self.assertFalse(foreign.line_ids)
        # his own company's plan: computed, lines as the engine makes them
        wizard = Wizard.with_user(self.kam_manager).create(
            {"plan_ids": [Command.set(self.plan.ids)], **dates}
        )
        wizard.action_compute()
        lines = self.env["kam.commission.line"].search([("plan_id", "=", self.plan.id)])
        self.assertEqual(lines.mapped("amount"), [48.0, 48.0])

    def test_statement_pdf_for_readers_only(self):
        self.user_line.with_user(self.kam_manager).action_confirm()
        url = (
            "/report/pdf/kam_management.kam_commission_statement_document/"
            f"{self.user_line.id}"
        )
        self.authenticate(self.kam_user.login, self.kam_user.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.kam_user.name, response.text)
        # who confirmed the line is on the statement
        self.assertIn(self.kam_manager.name, response.text)
        # his own line with another's: nothing rendered
        with mute_logger("odoo.http"):
            response = self.url_open(f"{url},{self.manager_line.id}")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(self.kam_manager.name, response.text)
        # another KAM User: neither the PDF nor the HTML
        self.authenticate(self.kam_user_other.login, self.kam_user_other.login)
        for converter_url in (url, url.replace("/report/pdf/", "/report/html/")):
            with self.subTest(url=converter_url), mute_logger("odoo.http"):
                response = self.url_open(converter_url)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(self.kam_user.name, response.text)
