# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestFoundation(KamCommon):
    def test_module_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "kam_management")])
        self.assertEqual(module.state, "installed")
        self.assertTrue(self.env.ref("kam_management.kam_menu_root").active)

    def test_groups_chain(self):
        user_group = self.env.ref("kam_management.group_kam_user")
        manager_group = self.env.ref("kam_management.group_kam_manager")
        personal = self.env.ref("kam_management.group_kam_personal_data")
        salesman = self.env.ref("sales_team.group_sale_salesman")
        sale_admin = self.env.ref("sales_team.group_sale_manager")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertIn(salesman, user_group.trans_implied_ids)
        self.assertIn(manager_group, sale_admin.trans_implied_ids)
        # personal data is granted on purpose, never through another group
        for group in (user_group, manager_group, sale_admin):
            self.assertNotIn(personal, group.trans_implied_ids)
        self.assertTrue(self.kam_manager.has_group("kam_management.group_kam_user"))
        self.assertFalse(self.kam_user.has_group("kam_management.group_kam_manager"))
        self.assertFalse(
            self.kam_manager.has_group("kam_management.group_kam_personal_data")
        )

    def test_kam_user_cannot_read_configuration(self):
        policy = self.env["kam.classification.policy"].create({"name": "Margin 12m"})
        with self.assertRaises(AccessError):
            policy.with_user(self.kam_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["kam.classification.policy"].with_user(self.kam_user).search([])
        with self.assertRaises(AccessError):
            self.env["kam.classification.policy"].with_user(self.kam_user).create(
                {"name": "Mine"}
            )
        self.assertEqual(policy.with_user(self.kam_manager).name, "Margin 12m")

    def test_root_menu_needs_kam_group(self):
        menus = self.env["ir.ui.menu"].with_user(self.sales_user)._visible_menu_ids()
        self.assertNotIn(self.env.ref("kam_management.kam_menu_root").id, menus)
        menus = self.env["ir.ui.menu"].with_user(self.kam_user)._visible_menu_ids()
        self.assertIn(self.env.ref("kam_management.kam_menu_root").id, menus)

    def test_demo_invoices_posted_in_last_twelve_months(self):
        demo_partners = self.env["res.partner"].search(
            [("id", "in", self._demo_company_ids())]
        )
        self.assertGreaterEqual(len(demo_partners), 30)
        invoices = self.env["account.move"].search(
            [
                ("partner_id", "in", demo_partners.ids),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        self.assertGreaterEqual(len(invoices), 100)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        today = fields.Date.context_today(self.env.user)
        self.assertGreaterEqual(
            min(invoices.mapped("invoice_date")), today - relativedelta(months=12)
        )
        self.assertLessEqual(max(invoices.mapped("invoice_date")), today)
        # very different sizes: the largest customer buys far more than the median
        totals = sorted(
            (
                sum(
                    invoices.filtered(lambda m, p=p: m.partner_id == p).mapped(
                        "amount_untaxed_signed"
                    )
                )
                for p in demo_partners
            ),
            reverse=True,
        )
        self.assertGreater(totals[0], 10 * totals[len(totals) // 2])

    def _demo_company_ids(self):
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "kam_management"),
                ("model", "=", "res.partner"),
                ("name", "=like", "demo_partner_%"),
            ]
        )
        return data.mapped("res_id")


@tagged("post_install", "-at_install")
class TestAccountTeam(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["res.partner"].create(
            {"name": "Acme Key Account", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Anna Acme", "parent_id": cls.account.id}
        )

    def test_team_of_at_most_three(self):
        users = self.kam_user | self.kam_user_other | self.kam_manager
        self.account.kam_team_user_ids = users
        with self.assertRaises(ValidationError):
            self.account.kam_team_user_ids = users | self.sales_user

    def test_flags_propagate_to_contacts(self):
        self.account.write(
            {
                "kam_is_key_account": True,
                "kam_tier": "strategic",
                "kam_user_id": self.kam_user.id,
            }
        )
        self.assertTrue(self.contact.kam_is_key_account)
        self.assertEqual(self.contact.kam_tier, "strategic")
        self.assertEqual(self.contact.kam_user_id, self.kam_user)

    def test_deputy_acts_while_kam_absent(self):
        self.account.write(
            {
                "kam_user_id": self.kam_user.id,
                "kam_deputy_user_id": self.kam_user_other.id,
            }
        )
        today = fields.Date.today()
        self.assertEqual(self.contact._kam_responsible_user(today), self.kam_user)
        # a user declares his own absence from today on (not in the past)
        self.kam_user.with_user(self.kam_user).write(
            {"kam_absent_from": today, "kam_absent_until": today}
        )
        self.assertEqual(self.contact._kam_responsible_user(today), self.kam_user_other)
        self.assertEqual(
            self.contact._kam_responsible_user(today + relativedelta(days=1)),
            self.kam_user,
        )
