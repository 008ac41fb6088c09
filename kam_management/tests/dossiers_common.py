# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command

from .common import KamCommon


class DossiersCommon(KamCommon):
    """Two key accounts with hand-built buying groups."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.role_dm = ref("kam_management.kam_decision_role_decision_maker")
        cls.role_eb = ref("kam_management.kam_decision_role_economic_buyer")
        cls.role_coach = ref("kam_management.kam_decision_role_coach")
        cls.role_tech = ref("kam_management.kam_decision_role_technical_expert")
        cls.role_fin = ref("kam_management.kam_decision_role_financier")
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Amber Cargo",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.kam_user.id,
            }
        )
        cls.other_account = cls.env["res.partner"].create(
            {
                "name": "Vistula Mills",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.kam_user_other.id,
            }
        )
        cls.ceo, cls.cfo, cls.engineer = cls.env["res.partner"].create(
            [
                {"name": "Anna Ceo", "parent_id": cls.account.id},
                {"name": "Boris Cfo", "parent_id": cls.account.id},
                {"name": "Carl Engineer", "parent_id": cls.account.id},
            ]
        )
        cls.dossier = cls.env["kam.dossier"].create(
            {
                "partner_id": cls.account.id,
                "member_ids": [
                    Command.create(
                        {
                            "partner_id": cls.ceo.id,
                            "role_id": cls.role_dm.id,
                            "influence": "high",
                            "attitude": "supporter",
                        }
                    ),
                    Command.create(
                        {
                            "partner_id": cls.cfo.id,
                            "role_id": cls.role_eb.id,
                            "influence": "medium",
                            "attitude": "opponent",
                        }
                    ),
                    Command.create(
                        {
                            "partner_id": cls.engineer.id,
                            "role_id": cls.role_tech.id,
                            "influence": "low",
                            "attitude": "neutral",
                        }
                    ),
                ],
            }
        )
        cls.other_person = cls.env["res.partner"].create(
            {"name": "Dora Other", "parent_id": cls.other_account.id}
        )
        cls.other_dossier = cls.env["kam.dossier"].create(
            {
                "partner_id": cls.other_account.id,
                "member_ids": [
                    Command.create(
                        {"partner_id": cls.other_person.id, "role_id": cls.role_dm.id}
                    )
                ],
            }
        )
