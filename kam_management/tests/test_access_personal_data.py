# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Personal data, greeting reminders and private relations reach the group
KAM: Personal Data only, and there only the accounts the user serves (a KAM
Manager of the group: the contacts of their companies)."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .dossiers_common import DossiersCommon

PERSONAL_GROUP = "kam_management.group_kam_personal_data"


@tagged("post_install", "-at_install")
class TestAccessPersonalData(DossiersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.confidant = new_test_user(
            cls.env,
            login="kam_ap_confidant",
            password="kam_ap_confidant",
            name="KAM AP Confidant",
            groups="kam_management.group_kam_user,"
            f"{PERSONAL_GROUP},base.group_allow_export",
        )
        # the confidant serves Amber Cargo (team), not Vistula Mills
        cls.account.kam_team_user_ids = [Command.link(cls.confidant.id)]
        cls.ceo.write({"kam_birthdate": "1971-03-14", "kam_hobbies": "Sailing"})
        cls.other_person.write({"kam_birthdate": "1965-09-09", "kam_hobbies": "Golf"})
        cls.friends = cls.env.ref("kam_management.kam_relation_type_friends")
        cls.reports_to = cls.env.ref("kam_management.kam_relation_type_reports_to")
        cls.Relation = cls.env["res.partner.relation"]

    # --- greeting logs and reminders ---------------------------------------

    def test_manager_without_group_reads_no_greeting_log(self):
        Log = self.env["kam.greeting.log"]
        log = Log.create(
            {
                "partner_id": self.ceo.id,
                "occasion": "birthday",
                "occasion_date": "2027-03-14",
            }
        )
        for user in (self.kam_manager, self.kam_user):
            with self.assertRaises(AccessError, msg=user.login):
                Log.with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                log.with_user(user).read(["occasion_date"])
        # the group reads the logs of the accounts its user serves only
        self.assertEqual(Log.with_user(self.confidant).search([]), log)
        other = Log.create(
            {
                "partner_id": self.other_person.id,
                "occasion": "birthday",
                "occasion_date": "2027-09-09",
            }
        )
        self.assertNotIn(other, Log.with_user(self.confidant).search([]))

    def _greetings(self):
        greeting = self.env.ref("kam_management.mail_activity_type_greeting")
        return self.env["mail.activity"].search(
            [("activity_type_id", "=", greeting.id)]
        )

    def test_reminder_not_for_user_without_group(self):
        """The KAM of Amber Cargo lacks the group: the birthday reminder goes
        to the confidant of the team, on a record the KAM cannot read."""
        with freeze_time("2027-03-12"):
            self.env["kam.dossier"]._cron_kam_greeting_reminders()
        activities = self._greetings().filtered(
            lambda a: "Anna Ceo" in (a.summary or "")
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.confidant)
        self.assertEqual(activities.res_model, "kam.partner.personal")
        self.assertEqual(activities.date_deadline, date(2027, 3, 14))
        for user in (self.kam_user, self.kam_manager):
            Activity = self.env["mail.activity"].with_user(user)
            self.assertFalse(
                Activity.search([("id", "in", activities.ids)]), user.login
            )
            with self.assertRaises(AccessError, msg=user.login):
                activities.with_user(user).read(["summary", "date_deadline"])
            # the dossier carries no trace of the birthday
            self.assertFalse(
                self.dossier.with_user(user).activity_ids.filtered(
                    lambda a: "Birthday" in (a.summary or "")
                )
            )
        self.assertEqual(
            activities.with_user(self.confidant).read(["summary"])[0]["summary"],
            "Birthday: greet Anna Ceo",
        )

    def test_reminder_nobody_with_group(self):
        """Without a user of the group serving the account, no reminder."""
        self.account.kam_team_user_ids = [Command.clear()]
        with freeze_time("2027-03-12"):
            self.env["kam.dossier"]._cron_kam_greeting_reminders()
        self.assertFalse(
            self._greetings().filtered(lambda a: "Anna Ceo" in (a.summary or ""))
        )
        self.assertFalse(
            self.env["kam.greeting.log"].search([("partner_id", "=", self.ceo.id)])
        )

    def test_demo_reminders_go_to_the_group_only(self):
        """The demo birthday of Baltic Rail's CEO: its reminder goes to a user
        of the group, never onto the dossier that the whole team reads."""
        contact = self.env.ref("kam_management.demo_contact_baltic_rail_1")
        birthdate = contact.kam_birthdate
        self.assertTrue(birthdate)
        day = birthdate.replace(year=2030) - timedelta(days=1)
        with freeze_time(day.isoformat()):
            self.env["kam.dossier"]._cron_kam_greeting_reminders()
        greetings = self._greetings().filtered(
            lambda a: contact.name in (a.summary or "")
        )
        self.assertTrue(greetings)
        group = self.env.ref(PERSONAL_GROUP)
        for activity in greetings:
            self.assertIn(group, activity.user_id.groups_id)
            self.assertNotEqual(activity.res_model, "kam.dossier")

    # --- personal data of the accounts served ------------------------------

    def test_reads_personal_data_of_served_accounts_only(self):
        Partner = self.env["res.partner"].with_user(self.confidant)
        rows = Partner.browse([self.ceo.id, self.other_person.id]).read(
            ["kam_birthdate", "kam_hobbies"]
        )
        by_id = {row["id"]: row for row in rows}
        self.assertEqual(str(by_id[self.ceo.id]["kam_birthdate"]), "1971-03-14")
        self.assertEqual(by_id[self.ceo.id]["kam_hobbies"], "Sailing")
        self.assertFalse(by_id[self.other_person.id]["kam_birthdate"])
        self.assertFalse(by_id[self.other_person.id]["kam_hobbies"])
        # search on the field
        people = [self.ceo.id, self.other_person.id]
        for domain, expected in (
            ([("kam_birthdate", "=", "1965-09-09")], []),
            ([("kam_hobbies", "ilike", "golf")], []),
            ([("kam_birthdate", "=", "1971-03-14")], [self.ceo.id]),
            ([("kam_birthdate", "!=", False)], [self.ceo.id]),
            ([("kam_birthdate", "=", False)], [self.other_person.id]),
        ):
            with self.subTest(domain=domain):
                found = Partner.search([("id", "in", people), *domain])
                self.assertEqual(found.ids, expected)
        # export
        exported = Partner.browse(people).export_data(["name", "kam_birthdate"])
        self.assertEqual(
            exported["datas"],
            [["Anna Ceo", date(1971, 3, 14)], ["Dora Other", ""]],
        )
        # the personal record itself
        Personal = self.env["kam.partner.personal"].with_user(self.confidant)
        self.assertEqual(Personal.search([]).partner_id, self.ceo)
        # which cannot be moved to another contact
        with self.assertRaises(UserError):
            Personal.search([]).write({"partner_id": self.cfo.id})

    def test_no_write_on_accounts_not_served(self):
        with self.assertRaises(AccessError):
            self.other_person.with_user(self.confidant).write({"kam_hobbies": "Chess"})
        self.assertEqual(self.other_person.kam_hobbies, "Golf")
        fresh = self.env["res.partner"].create(
            {"name": "Eve Other", "parent_id": self.other_account.id}
        )
        with self.assertRaises(AccessError):
            fresh.with_user(self.confidant).write({"kam_birthdate": "1990-01-01"})
        self.assertFalse(
            self.env["kam.partner.personal"].search([("partner_id", "=", fresh.id)])
        )
        # the served account: written, and logged without the value
        self.ceo.with_user(self.confidant).write({"kam_hobbies": "Chess"})
        self.assertEqual(self.ceo.kam_hobbies, "Chess")
        Log = self.env["kam.personal.data.log"].with_user(self.confidant)
        logs = Log.search([("partner_id", "=", self.ceo.id)])
        self.assertEqual(logs[0].field_names, "Hobbies")
        self.assertEqual(logs[0].user_id, self.confidant)
        self.assertNotIn("Chess", str(logs.read(["field_names"])))
        # the change log of the other account is not the confidant's to read
        self.assertFalse(Log.search([("partner_id", "=", self.other_person.id)]))

    def test_json_rpc_reads_served_accounts_only(self):
        self.authenticate("kam_ap_confidant", "kam_ap_confidant")
        ids = [self.ceo.id, self.other_person.id]
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/read",
            {
                "model": "res.partner",
                "method": "read",
                "args": [ids, ["kam_birthdate", "kam_hobbies"]],
                "kwargs": {},
            },
        )
        by_id = {row["id"]: row for row in rows}
        self.assertEqual(by_id[self.ceo.id]["kam_hobbies"], "Sailing")
        self.assertFalse(by_id[self.other_person.id]["kam_hobbies"])
        self.assertFalse(by_id[self.other_person.id]["kam_birthdate"])
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/kam.partner.personal/search_read",
            {
                "model": "kam.partner.personal",
                "method": "search_read",
                "args": [[], ["partner_id", "kam_hobbies"]],
                "kwargs": {},
            },
        )
        self.assertEqual([row["kam_hobbies"] for row in rows], ["Sailing"])
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/res.partner/write",
                {
                    "model": "res.partner",
                    "method": "write",
                    "args": [[self.other_person.id], {"kam_hobbies": "Chess"}],
                    "kwargs": {},
                },
            )
        self.assertEqual(self.other_person.kam_hobbies, "Golf")

    def test_manager_with_group_reads_contacts_of_his_companies(self):
        manager = new_test_user(
            self.env,
            login="kam_ap_manager",
            name="KAM AP Manager",
            groups=f"kam_management.group_kam_manager,{PERSONAL_GROUP}",
        )
        # Vistula Mills is not the manager's account: its contact shared by
        # all companies is not his to read, the one of his company is
        own = self.env["res.partner"].create(
            {
                "name": "Fay Company",
                "parent_id": self.other_account.id,
                "company_id": self.env.company.id,
                "kam_hobbies": "Opera",
            }
        )
        self.assertFalse(self.other_person.company_id)
        rows = (
            self.env["res.partner"]
            .with_user(manager)
            .browse([own.id, self.other_person.id])
            .read(["kam_hobbies"])
        )
        by_id = {row["id"]: row["kam_hobbies"] for row in rows}
        self.assertEqual(by_id, {own.id: "Opera", self.other_person.id: False})

    # --- private relations -------------------------------------------------

    def test_private_relations_for_the_group_serving_the_account(self):
        friends = self.Relation.create(
            {
                "left_partner_id": self.ceo.id,
                "type_id": self.friends.id,
                "right_partner_id": self.cfo.id,
            }
        )
        people = [self.ceo.id, self.cfo.id]
        # the KAM without the group: no read, no change, no new one
        Relation = self.Relation.with_user(self.kam_user)
        self.assertFalse(Relation.search([("id", "=", friends.id)]))
        with self.assertRaises(AccessError):
            friends.with_user(self.kam_user).read(["type_id"])
        with self.assertRaises(AccessError):
            friends.with_user(self.kam_user).write({"date_start": "2020-01-01"})
        with self.assertRaises(AccessError):
            Relation.create(
                {
                    "left_partner_id": self.cfo.id,
                    "type_id": self.friends.id,
                    "right_partner_id": self.engineer.id,
                }
            )
        view = self.env["res.partner.relation.all"]
        self.assertFalse(
            view.with_user(self.kam_user).search(
                [("this_partner_id", "in", people), ("type_id", "=", self.friends.id)]
            )
        )
        # the dossier's Relations tab (computed per user: not from the cache
        # of another user)
        self.assertIn(friends, self.dossier.relation_ids)
        self.assertNotIn(friends, self.dossier.with_user(self.kam_user).relation_ids)
        # nor the KAM Manager without the group
        as_manager = self.Relation.with_user(self.kam_manager)
        self.assertFalse(as_manager.search([("id", "=", friends.id)]))
        # the confidant of the account reads and edits it
        as_confidant = friends.with_user(self.confidant)
        self.assertEqual(
            as_confidant.read(["type_id"])[0]["type_id"][0], self.friends.id
        )
        as_confidant.write({"date_start": "2020-01-01"})
        self.assertEqual(str(friends.date_start), "2020-01-01")
        self.assertEqual(
            len(
                view.with_user(self.confidant).search(
                    [
                        ("this_partner_id", "in", people),
                        ("type_id", "=", self.friends.id),
                    ]
                )
            ),
            2,  # both sides
        )
        self.Relation.with_user(self.confidant).create(
            {
                "left_partner_id": self.cfo.id,
                "type_id": self.friends.id,
                "right_partner_id": self.engineer.id,
            }
        )
        # ... but not those of an account it does not serve
        other_friend = self.env["res.partner"].create(
            {"name": "Gil Other", "parent_id": self.other_account.id}
        )
        foreign = self.Relation.create(
            {
                "left_partner_id": self.other_person.id,
                "type_id": self.friends.id,
                "right_partner_id": other_friend.id,
            }
        )
        self.assertFalse(
            self.Relation.with_user(self.confidant).search([("id", "=", foreign.id)])
        )
        with self.assertRaises(AccessError):
            foreign.with_user(self.confidant).write({"date_start": "2020-01-01"})
        self.assertTrue(self.friends.kam_private)

    def test_professional_relations_edited_by_the_accounts_team(self):
        relation = self.Relation.create(
            {
                "left_partner_id": self.cfo.id,
                "type_id": self.reports_to.id,
                "right_partner_id": self.ceo.id,
            }
        )
        # readable by the KAM User of another account, not editable
        other = relation.with_user(self.kam_user_other)
        self.assertEqual(other.read(["type_id"])[0]["type_id"][0], self.reports_to.id)
        with self.assertRaises(AccessError):
            other.write({"date_start": "2020-01-01"})
        with self.assertRaises(AccessError):
            self.Relation.with_user(self.kam_user_other).create(
                {
                    "left_partner_id": self.engineer.id,
                    "type_id": self.reports_to.id,
                    "right_partner_id": self.ceo.id,
                }
            )
        with self.assertRaises(AccessError):
            other.unlink()
        self.assertTrue(relation.exists())
        # the KAM of the account edits it, but cannot make it private
        mine = relation.with_user(self.kam_user)
        mine.write({"date_start": "2020-01-01"})
        self.assertEqual(str(relation.date_start), "2020-01-01")
        with self.assertRaises(AccessError):
            mine.write({"type_id": self.friends.id})
        # nor can the KAM Manager without the group open the private types
        with self.assertRaises(AccessError):
            self.friends.with_user(self.kam_manager).write({"kam_private": False})
        self.assertTrue(self.friends.kam_private)
