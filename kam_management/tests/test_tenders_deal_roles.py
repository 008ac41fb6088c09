# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestTenderDealRoles(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Tendering Key Account",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.kam_user.id,
            }
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Head of Procurement", "parent_id": cls.account.id}
        )
        cls.role = cls.env["kam.decision.role"].search([], limit=1)
        cls.dossier = cls.env["kam.dossier"].create(
            {
                "partner_id": cls.account.id,
                "member_ids": [
                    (
                        0,
                        0,
                        {
                            "partner_id": cls.buyer.id,
                            "role_id": cls.role.id,
                            "attitude": "supporter",
                        },
                    )
                ],
            }
        )

    def test_tender_gets_the_buying_group_of_the_dossier(self):
        tender = self.env["kam.tender"].create(
            {"name": "Fleet 2027", "partner_id": self.account.id}
        )
        self.assertEqual(tender.kam_deal_role_ids.partner_id, self.buyer)
        self.assertEqual(tender.kam_deal_role_ids.attitude, "supporter")
        # a different attitude on this tender leaves the dossier unchanged
        tender.kam_deal_role_ids.attitude = "opponent"
        self.assertEqual(self.dossier.member_ids.attitude, "supporter")
        self.assertEqual(tender.kam_deal_role_ids.role_id, self.role)
