# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The users who serve an account: one stored definition, used by every rule."""

import re

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestServedUsers(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = new_test_user(
            cls.env,
            login="kam_served_member",
            groups="kam_management.group_kam_user",
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Served Account",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.kam_user.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Served Contact", "parent_id": cls.account.id}
        )

    def test_kam_deputy_and_team_serve_the_account_and_its_contacts(self):
        self.assertEqual(self.account.kam_served_user_ids, self.kam_user)
        self.account.write(
            {
                "kam_deputy_user_id": self.kam_user_other.id,
                "kam_team_user_ids": [(6, 0, self.member.ids)],
            }
        )
        served = self.kam_user | self.kam_user_other | self.member
        self.assertEqual(self.account.kam_served_user_ids, served)
        self.assertEqual(self.contact.kam_served_user_ids, served)
        self.assertTrue(self.account._kam_is_served_by(self.member))
        self.assertFalse(self.account._kam_is_served_by(self.sales_user))
        # without a deputy, the former deputy no longer serves the account
        self.account.kam_deputy_user_id = False
        self.assertEqual(self.contact.kam_served_user_ids, self.kam_user | self.member)

    def test_a_contact_moved_to_another_account_is_served_by_its_users(self):
        other = self.env["res.partner"].create(
            {"name": "Other Account", "is_company": True, "kam_user_id": self.member.id}
        )
        self.contact.parent_id = other
        self.assertEqual(self.contact.kam_served_user_ids, self.member)

    def test_record_rules_see_a_team_change_at_once(self):
        """Odoo's domain SQL for a many2many does not flush pending computes:
        the stored field is written as soon as the team changes, so a rule
        checked right after the write already grants access."""
        dossier = self.env["kam.dossier"].create({"partner_id": self.account.id})
        with self.assertRaises(AccessError):
            dossier.with_user(self.member).read(["partner_id"])
        self.account.kam_team_user_ids = self.member
        self.assertTrue(dossier.with_user(self.member).read(["partner_id"]))
        self.account.kam_team_user_ids = False
        with self.assertRaises(AccessError):
            dossier.with_user(self.member).read(["partner_id"])

    def test_no_record_rule_repeats_the_three_field_domain(self):
        """Every rule of the addon that limits records to the accounts a user
        serves goes through ``kam_served_user_ids``."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "kam_management"), ("model", "=", "ir.rule")]
        )
        rules = self.env["ir.rule"].browse(data.mapped("res_id"))
        self.assertTrue(rules)
        copied = re.compile(r"kam_(deputy_user_id|team_user_ids)|\.kam_user_id'")
        offending = rules.filtered(lambda r: copied.search(r.domain_force or ""))
        self.assertFalse(offending.mapped("name"))
        served = rules.filtered(lambda r: "kam_served_user_ids" in r.domain_force)
        self.assertGreaterEqual(len(served), 16)

    def test_served_by_is_never_written_directly(self):
        """A computed stored field given a value keeps it: nobody but the
        superuser may give one, not even a KAM Manager, on an account or on a
        new contact (the ownership checks let a contact receive its company's
        values)."""
        for user in (self.sales_user, self.kam_user_other, self.kam_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.account.with_user(user).write(
                        {"kam_served_user_ids": [(4, user.id)]}
                    )
                with self.assertRaises(AccessError):
                    self.env["res.partner"].with_user(user).create(
                        {
                            "name": "Sneaky Contact",
                            "parent_id": self.account.id,
                            "kam_served_user_ids": [(6, 0, user.ids)],
                        }
                    )
        self.assertEqual(self.account.kam_served_user_ids, self.kam_user)
