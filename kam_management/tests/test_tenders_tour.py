# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTenderTour(HttpCase):
    def test_tender_manager_creates_plans_and_submits_a_tender(self):
        manager = new_test_user(
            self.env,
            login="tender_manager_tour",
            name="Tender Manager Tour",
            groups="kam_management.group_kam_manager,base.group_user",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Port Authority",
                "is_company": True,
                "kam_user_id": manager.id,
                "kam_buys_through_tenders": True,
            }
        )
        action = self.env.ref("kam_management.kam_account_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{customer.id}",
            "kam_tender_tour",
            login="tender_manager_tour",
        )
        tender = self.env["kam.tender"].search([("partner_id", "=", customer.id)])
        self.assertEqual(tender.name, "Tour crane maintenance")
        self.assertEqual(
            tender.stage_id, self.env.ref("kam_management.kam_tender_stage_submitted")
        )
        self.assertEqual(tender.date_submission, date(2030, 12, 31))
        self.assertEqual(len(tender.milestone_ids), 8)
        self.assertEqual(len(tender.activity_ids), 8)
        self.assertEqual(tender.user_id, manager)
