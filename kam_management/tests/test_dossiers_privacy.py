# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .dossiers_common import DossiersCommon

PERSONAL_FIELDS = [
    "kam_birthdate",
    "kam_hobbies",
    "kam_family",
    "kam_values",
    "kam_character_traits",
    "kam_preferred_channel",
    "kam_preferred_time",
    "kam_personal_notes",
    "kam_personal_data_log_ids",
]


@tagged("post_install", "-at_install")
class TestDossiersPrivacy(DossiersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.confidant = new_test_user(
            cls.env,
            login="kam_confidant_test",
            name="KAM Confidant",
            groups="kam_management.group_kam_user,"
            "kam_management.group_kam_personal_data,base.group_allow_export",
        )
        cls.account.kam_team_user_ids = [Command.link(cls.confidant.id)]
        # the KAM manager may export, but has no personal-data group
        cls.kam_manager.groups_id = [
            Command.link(cls.env.ref("base.group_allow_export").id)
        ]
        cls.ceo.with_user(cls.confidant).write(
            {
                "kam_birthdate": "1971-03-14",
                "kam_hobbies": "Sailing",
                "kam_family": "Two daughters",
                "kam_values": "Loyalty",
                "kam_character_traits": "Patient",
                "kam_preferred_channel": "phone",
                "kam_preferred_time": "Mornings",
                "kam_personal_notes": "Allergic to nuts",
            }
        )

    def test_group_member_reads_and_writes(self):
        data = self.ceo.with_user(self.confidant).read(["kam_hobbies", "kam_birthdate"])
        self.assertEqual(data[0]["kam_hobbies"], "Sailing")
        self.assertEqual(str(data[0]["kam_birthdate"]), "1971-03-14")
        found = (
            self.env["res.partner"]
            .with_user(self.confidant)
            .search(
                [("kam_hobbies", "ilike", "sail"), ("parent_id", "=", self.account.id)]
            )
        )
        self.assertEqual(found, self.ceo)

    def test_no_read_without_group(self):
        for user in (self.kam_user, self.kam_manager, self.sales_user):
            partner = self.ceo.with_user(user)
            for fname in PERSONAL_FIELDS:
                with self.assertRaises(AccessError, msg=f"{user.login} read {fname}"):
                    partner.read([fname])
            # reading everything returns none of them
            values = partner.read()[0]
            self.assertFalse(set(PERSONAL_FIELDS) & set(values))
            self.assertNotIn("Sailing", str(values))
            rows = partner.search_read([("id", "=", self.ceo.id)])
            self.assertFalse(set(PERSONAL_FIELDS) & set(rows[0]))
            with self.assertRaises(AccessError):
                partner.search_read([("id", "=", self.ceo.id)], ["kam_hobbies"])
            # field description hidden too
            self.assertFalse(set(PERSONAL_FIELDS) & set(partner.fields_get()))

    def test_no_search_filter_group_by_without_group(self):
        Partner = self.env["res.partner"].with_user(self.kam_manager)
        for domain in (
            [("kam_hobbies", "ilike", "sail")],
            [("kam_birthdate", "=", "1971-03-14")],
            [("kam_preferred_channel", "=", "phone")],
        ):
            with self.assertRaises(AccessError):
                Partner.search(domain)
            with self.assertRaises(AccessError):
                Partner.search_count(domain)
        with self.assertRaises(AccessError):
            Partner.read_group([], ["kam_preferred_channel"], ["kam_preferred_channel"])
        with self.assertRaises(AccessError):
            Partner.read_group([], ["__count"], ["kam_birthdate:month"])
        with self.assertRaises(AccessError):
            Partner._read_group([], ["kam_family"], ["__count"])
        with self.assertRaises(AccessError):
            Partner.search([], order="kam_birthdate")

    def test_no_export_without_group(self):
        partner = self.ceo.with_user(self.kam_manager)
        with self.assertRaises(AccessError):
            partner.export_data(["name", "kam_hobbies"])
        with self.assertRaises(AccessError):
            self.account.with_user(self.kam_manager).export_data(
                ["name", "child_ids/kam_birthdate"]
            )
        rows = self.ceo.with_user(self.confidant).export_data(["name", "kam_hobbies"])
        self.assertEqual(rows["datas"], [["Anna Ceo", "Sailing"]])

    def test_no_field_in_views_without_group(self):
        Partner = self.env["res.partner"]
        for view_type in ("form", "list", "search"):
            arch = Partner.with_user(self.kam_manager).get_views([(False, view_type)])[
                "views"
            ][view_type]["arch"]
            for fname in PERSONAL_FIELDS:
                self.assertNotIn(fname, arch)
        arch = Partner.with_user(self.confidant).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("kam_hobbies", arch)

    def test_no_write_without_group(self):
        with self.assertRaises(AccessError):
            self.ceo.with_user(self.kam_manager).write({"kam_hobbies": "Golf"})
        self.assertEqual(self.ceo.kam_hobbies, "Sailing")

    def test_form_of_contact_without_group(self):
        with Form(self.ceo.with_user(self.kam_user)) as partner_form:
            partner_form.function = "Owner"
        self.assertEqual(self.ceo.function, "Owner")
        self.assertEqual(self.ceo.kam_hobbies, "Sailing")

    def test_changes_logged_without_values(self):
        Log = self.env["kam.personal.data.log"]
        logs = Log.search([("partner_id", "=", self.ceo.id)])
        self.assertEqual(len(logs), 1)
        self.assertEqual(logs.user_id, self.confidant)
        self.assertEqual(
            logs.field_names,
            "Date of Birth, Hobbies, Family Members, Values, Character Traits, "
            "Preferred Channel, Preferred Time, Personal Notes",
        )
        self.ceo.with_user(self.confidant).write(
            {"kam_values": "Honesty", "function": "CEO"}
        )
        logs = Log.search([("partner_id", "=", self.ceo.id)])
        self.assertEqual(len(logs), 2)
        self.assertEqual(logs[0].field_names, "Values")
        for value in ("Honesty", "Sailing", "1971", "Loyalty", "nuts"):
            self.assertNotIn(value, str(logs.read(["field_names"])))
        # other changes are not logged
        self.ceo.with_user(self.confidant).write({"function": "Chair"})
        self.assertEqual(Log.search_count([("partner_id", "=", self.ceo.id)]), 2)
        # the log is for the personal-data group only
        with self.assertRaises(AccessError):
            Log.with_user(self.kam_manager).search([])
        self.assertEqual(
            len(
                Log.with_user(self.confidant).search([("partner_id", "=", self.ceo.id)])
            ),
            2,
        )
        with self.assertRaises(AccessError):
            logs[0].with_user(self.confidant).write({"field_names": "x"})

    def test_completeness_without_group_reveals_no_value(self):
        """The completeness uses personal data (filled or not) for users
        without the group, never showing the values."""
        self.assertNotIn(
            "Personal data missing for Anna Ceo",
            self.dossier.with_user(self.kam_user).coaching_gaps,
        )
        values = self.dossier.with_user(self.kam_user).read(
            ["completeness", "coaching_gaps"]
        )[0]
        self.assertNotIn("Sailing", str(values))

    def test_copy_of_contact_carries_no_personal_data(self):
        copy = self.ceo.with_user(self.kam_user).copy()
        self.assertEqual(copy.name, "Anna Ceo (copy)")
        self.assertFalse(copy.sudo().kam_hobbies)
        self.assertFalse(copy.sudo().kam_birthdate)
        self.assertFalse(
            self.env["kam.partner.personal"].search([("partner_id", "=", copy.id)])
        )

    def test_dossier_form_for_kam_user_with_personal_data(self):
        """The personal-data group alone opens no dossier: access follows the
        account team."""
        self.assertTrue(self.dossier.with_user(self.confidant).read(["name"]))
        with self.assertRaises(AccessError):
            self.other_dossier.with_user(self.confidant).read(["name"])
