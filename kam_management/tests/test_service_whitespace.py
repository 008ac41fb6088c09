# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .service_common import KamServiceCommon


@tagged("post_install", "-at_install")
class TestServiceWhitespace(KamServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env.user)
        Partner = cls.env["res.partner"]
        cls.terminals = Partner.create(
            {
                "name": "Nordic Terminals",
                "is_company": True,
                "parent_id": cls.account.id,
            }
        )
        cls.workshop = Partner.create(
            {
                "name": "Workshop",
                "type": "other",
                "parent_id": cls.account.id,
                "kam_buying_unit": True,
            }
        )
        cls.clerk = Partner.create(
            {"name": "Workshop clerk", "parent_id": cls.workshop.id}
        )
        cls.categ_hw = cls.env["product.category"].create({"name": "Svc Test Hardware"})
        cls.categ_hw_parts = cls.env["product.category"].create(
            {"name": "Svc Test Parts", "parent_id": cls.categ_hw.id}
        )
        cls.part = cls.env["product.product"].create(
            {
                "name": "Svc Test Spare part",
                "type": "consu",
                "categ_id": cls.categ_hw_parts.id,
                "taxes_id": [Command.clear()],
            }
        )
        # hand-built invoices (untaxed)
        cls._invoice(cls.clerk, cls.product, 1000.0, today - relativedelta(days=30))
        cls._invoice(cls.contact, cls.part, 500.0, today - relativedelta(days=60))
        cls._invoice(
            cls.account, cls.part, 200.0, today - relativedelta(days=10), "out_refund"
        )
        cls._invoice(cls.terminals, cls.product, 50.0, today)
        # outside the 12 months, a draft, another account: not counted
        cls._invoice(cls.account, cls.product, 9999.0, today - relativedelta(months=13))
        cls._invoice(cls.workshop, cls.product, 777.0, today, post=False)
        cls._invoice(cls.other_account, cls.product, 333.0, today)
        cls.cells = cls.env["kam.whitespace.cell"]._kam_generate(cls.account)

    def _cell(self, unit, categ):
        return self.cells.filtered(lambda c: c.unit_id == unit and c.categ_id == categ)

    def test_matrix_rows_and_columns(self):
        self.assertEqual(
            set(self.cells.unit_id.ids),
            {self.account.id, self.terminals.id, self.workshop.id},
        )
        self.assertIn(self.categ, self.cells.categ_id)
        self.assertIn(self.categ_hw_parts, self.cells.categ_id)
        # one cell per unit and category, generating again adds none
        self.assertEqual(len(self.cells), 3 * len(self.cells.categ_id))
        again = self.env["kam.whitespace.cell"]._kam_generate(self.account)
        self.assertEqual(again, self.cells)

    def test_revenue_of_last_12_months_per_unit_and_category(self):
        self.assertEqual(self._cell(self.workshop, self.categ).revenue, 1000.0)
        self.assertEqual(self._cell(self.account, self.categ_hw_parts).revenue, 300.0)
        self.assertEqual(self._cell(self.terminals, self.categ).revenue, 50.0)
        self.assertEqual(self._cell(self.account, self.categ).revenue, 0.0)
        self.assertEqual(self._cell(self.terminals, self.categ_hw_parts).revenue, 0.0)
        self.assertEqual(sum(self.cells.mapped("revenue")), 1350.0)

    def test_subcategory_without_column_rolls_up(self):
        # the parts category has its own column; a sub-subcategory without
        # products of its own counts in its nearest column
        sub = self.env["product.category"].create(
            {"name": "Svc Test Fasteners", "parent_id": self.categ_hw_parts.id}
        )
        bolt = self.env["product.product"].create(
            {"name": "Svc Test Bolt", "categ_id": sub.id, "sale_ok": False}
        )
        self._invoice(
            self.account, bolt, 40.0, fields.Date.context_today(self.env.user)
        )
        self.cells._kam_refresh_revenue()
        self.assertEqual(self._cell(self.account, self.categ_hw_parts).revenue, 340.0)

    def test_suggestions_on_account_and_quotation(self):
        competitor = self._cell(self.terminals, self.categ_hw_parts)
        competitor.status = "competitor"
        unknown_empty = self._cell(self.account, self.categ)
        unknown_sold = self._cell(self.workshop, self.categ)
        no_need = self._cell(self.account, self.categ_hw_parts)
        no_need.status = "no_need"
        self.assertTrue(competitor.is_suggestion)
        self.assertTrue(unknown_empty.is_suggestion)
        self.assertFalse(unknown_sold.is_suggestion)
        self.assertFalse(no_need.is_suggestion)
        suggestions = self.account.kam_crosssell_suggestion_ids
        self.assertIn(competitor, suggestions)
        self.assertIn(unknown_empty, suggestions)
        self.assertNotIn(unknown_sold, suggestions)
        competitor.status = "us"
        self.assertFalse(competitor.is_suggestion)
        order = self._order(self.contact)
        self.assertEqual(
            order.kam_crosssell_suggestion_ids, self.cells.filtered("is_suggestion")
        )
        order.action_confirm()
        self.assertFalse(order.kam_crosssell_suggestion_ids)
        plain = self._order(self.plain_customer)
        self.assertFalse(plain.kam_crosssell_suggestion_ids)

    def test_open_matrix_action(self):
        action = self.account.with_user(self.kam_user).action_kam_whitespace()
        self.assertEqual(action["domain"], [("partner_id", "=", self.account.id)])
        self.assertEqual(action["res_model"], "kam.whitespace.cell")

    def test_refresh_button_completes_the_matrix(self):
        """The Refresh button of the Whitespace tab adds the cells of a new
        buying unit, keeps the statuses set, and is refused on an account
        the KAM user does not serve."""
        cell = self._cell(self.account, self.categ)
        cell.status = "us"
        site = self.env["res.partner"].create(
            {
                "name": "Nordic Harbour Site",
                "type": "other",
                "parent_id": self.account.id,
                "kam_buying_unit": True,
            }
        )
        self.assertTrue(
            self.account.with_user(self.kam_user).action_kam_whitespace_refresh()
        )
        cells = self.account.kam_whitespace_cell_ids
        self.assertEqual(len(cells), 4 * len(self.cells.categ_id))
        self.assertEqual(
            cells.filtered(lambda c: c.unit_id == site).categ_id,
            self.cells.categ_id,
        )
        self.assertEqual(cell.status, "us")
        with self.assertRaises(AccessError):
            self.other_account.with_user(self.kam_user).action_kam_whitespace_refresh()

    def test_matrix_editable_only_by_the_account_team(self):
        accounts = self.account | self.other_account
        as_kam = accounts.with_user(self.kam_user)
        self.assertEqual(as_kam.mapped("kam_whitespace_editable"), [True, False])
        as_manager = accounts.with_user(self.kam_manager)
        self.assertEqual(as_manager.mapped("kam_whitespace_editable"), [True, True])

    def test_matrix_widget_on_the_partner_form(self):
        arch = self.env["res.partner"].get_view(
            self.env.ref("base.view_partner_form").id, "form"
        )["arch"]
        self.assertIn('widget="kam_whitespace_matrix"', arch)
        self.assertIn('name="action_kam_whitespace_refresh"', arch)
        self.assertIn('name="action_kam_whitespace"', arch)

    def test_access_own_key_accounts_only(self):
        cell = self._cell(self.account, self.categ)
        cell.with_user(self.kam_user).status = "competitor"
        self.assertEqual(cell.status, "competitor")
        other = self.env["kam.whitespace.cell"].create(
            {
                "partner_id": self.other_account.id,
                "unit_id": self.other_account.id,
                "categ_id": self.categ.id,
            }
        )
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).read(["status"])
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).write({"status": "no_need"})
        with self.assertRaises(AccessError):
            cell.with_user(self.sales_user).read(["status"])
        with self.assertRaises(AccessError):
            cell.with_user(self.kam_user).unlink()
        self.assertTrue(cell.with_user(self.kam_manager).read(["status"]))

    def _accounts_with_cells(self, count, categ_count):
        categs = self.env["product.category"].create(
            [{"name": f"Svc Test QC {count}-{i}"} for i in range(categ_count)]
        )
        accounts = self.env["res.partner"].create(
            [
                {
                    "name": f"QC {count}-{i}",
                    "is_company": True,
                    "kam_is_key_account": True,
                }
                for i in range(count)
            ]
        )
        cells = self.env["kam.whitespace.cell"].create(
            [
                {"partner_id": a.id, "unit_id": a.id, "categ_id": c.id}
                for a in accounts
                for c in categs
            ]
        )
        product = self.env["product.product"].create(
            {"name": f"Svc Test QC {count}", "categ_id": categs[0].id}
        )
        for account in accounts[:2]:
            self._invoice(
                account, product, 10.0, fields.Date.context_today(self.env.user)
            )
        self.env.invalidate_all()
        return cells

    def test_revenue_query_count_independent_of_size(self):
        # reading the cells and their partners, the partner tree, one
        # grouped query on the invoicing analysis and one UPDATE
        small = self._accounts_with_cells(2, 2)
        with self.assertQueryCount(9):
            small._kam_refresh_revenue()
        large = self._accounts_with_cells(8, 5)
        with self.assertQueryCount(9):
            large._kam_refresh_revenue()
        self.assertEqual(large.filtered("revenue").mapped("revenue"), [10.0, 10.0])
        self.assertEqual(len(large), 40)

    def test_nightly_refresh_in_batches(self):
        cell = self._cell(self.workshop, self.categ)
        cell.revenue_date = fields.Date.context_today(self.env.user) - relativedelta(
            days=1
        )
        cell.sudo().write({"revenue": 0.0})
        self.env["kam.whitespace.cell"]._cron_kam_refresh_revenue()
        self.assertEqual(cell.revenue, 1000.0)
        self.assertEqual(cell.revenue_date, fields.Date.context_today(self.env.user))
