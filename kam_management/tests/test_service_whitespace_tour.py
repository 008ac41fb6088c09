# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWhitespaceMatrixTour(HttpCase):
    def test_kam_edits_a_status_in_the_matrix(self):
        """A KAM user of the demo account opens its whitespace matrix,
        completes it and changes the status of a cell; the form saves it."""
        user = new_test_user(
            self.env,
            login="whitespace_kam_tour",
            name="Whitespace KAM Tour",
            groups="kam_management.group_kam_user,sales_team.group_sale_salesman",
        )
        account = self.env.ref("kam_management.demo_partner_baltic_rail")
        account.kam_team_user_ids = [Command.link(user.id)]
        cell = self.env.ref("kam_management.demo_whitespace_depot_software")
        self.assertEqual(cell.status, "no_need")
        # only the demo cells: the matrix has holes until it is refreshed
        Cell = self.env["kam.whitespace.cell"]
        cells = Cell.search([("partner_id", "=", account.id)])
        xmlids = cells.get_external_id()
        cells.filtered(lambda c: not xmlids[c.id]).unlink()
        count_before = Cell.search_count([("partner_id", "=", account.id)])
        action = self.env.ref("kam_management.kam_account_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{account.id}",
            "kam_whitespace_tour",
            login="whitespace_kam_tour",
        )
        cell.invalidate_recordset()
        self.assertEqual(cell.status, "us")
        self.assertGreater(
            Cell.search_count([("partner_id", "=", account.id)]), count_before
        )
