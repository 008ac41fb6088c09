# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, time, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .dossiers_common import DossiersCommon

# reading the list of dossiers (see _read_list), whatever the members; the
# personal data of the members is read from its own table (kam.partner.personal)
QUERIES = 13


@tagged("post_install", "-at_install")
class TestDossiersDossier(DossiersCommon):
    def _contact(self, partner, days_ago):
        """A note logged on ``partner`` ``days_ago`` days ago in the user's
        time zone (at noon UTC, a time of that day in any zone within 11
        hours of UTC), whatever the hour and the summer time."""
        message = partner.message_post(body="Called", message_type="comment")
        day = fields.Date.context_today(partner) - timedelta(days=days_ago)
        message.date = datetime.combine(day, time(12))

    def _fill_personal_data(self, partner):
        partner.write({"kam_birthdate": "1970-05-04", "kam_hobbies": "Chess"})

    # completeness and gaps ----------------------------------------------------

    def test_completeness_and_gaps_partial(self):
        # decision maker 20 + economic buyer 20 + opponent identified 15 = 55;
        # no coach; the only high-influence member (Anna) has neither personal
        # data nor any recorded contact
        self.assertEqual(self.dossier.completeness, 55)
        self.assertEqual(
            self.dossier.coaching_gaps.split("\n"),
            [
                "No coach",
                "Personal data missing for Anna Ceo",
                "No contact with Anna Ceo recorded",
            ],
        )
        self.assertTrue(self.dossier.has_stale_contact)

    def test_completeness_full(self):
        self.dossier.member_ids.filtered(
            lambda m: m.partner_id == self.engineer
        ).role_id = self.role_coach
        self._fill_personal_data(self.ceo)
        self._contact(self.ceo, 10)
        self.dossier.invalidate_recordset()
        self.dossier.member_ids.invalidate_recordset(["last_contact_date"])
        self.assertEqual(self.dossier.completeness, 100)
        self.assertFalse(self.dossier.coaching_gaps)
        self.assertFalse(self.dossier.has_stale_contact)

    def test_stale_contact_in_words(self):
        self._fill_personal_data(self.ceo)
        self._contact(self.ceo, 200)
        self._contact(self.ceo, 120)
        # 55 + personal data 15 = 70; contact 120 days ago > 90
        self.assertEqual(self.dossier.completeness, 70)
        self.assertIn(
            "No contact with Anna Ceo for 120 days", self.dossier.coaching_gaps
        )
        self.assertEqual(
            self.env["kam.dossier"].search(
                [("id", "in", self.dossier.ids), ("has_stale_contact", "=", True)]
            ),
            self.dossier,
        )
        # with a 150 days staleness period the contact is recent
        self.env["ir.config_parameter"].set_param(
            "kam_management.dossier_stale_days", 150
        )
        self.dossier.invalidate_recordset()
        self.assertEqual(self.dossier.completeness, 85)
        self.assertFalse(self.dossier.has_stale_contact)

    @freeze_time("2026-11-24 00:20:00")
    def test_stale_contact_in_the_users_days(self):
        # UTC-5 all year: 23 November, 19:20
        self.env.user.tz = "America/Bogota"
        message = self.ceo.message_post(body="Called", message_type="comment")
        # 26 July, 22:00 local time: 120 of the user's days ago
        message.date = datetime(2026, 7, 27, 3, 0)
        self.assertEqual(
            self.dossier.member_ids.filtered(
                lambda m: m.partner_id == self.ceo
            ).last_contact_date,
            date(2026, 7, 26),
        )
        self.assertIn(
            "No contact with Anna Ceo for 120 days", self.dossier.coaching_gaps
        )

    @freeze_time("2026-11-23 23:40:00")
    def test_contact_today_in_the_users_days(self):
        # UTC+2 all year: 24 November, 01:40
        self.env.user.tz = "Africa/Johannesburg"
        message = self.ceo.message_post(body="Called", message_type="comment")
        # 24 November, 00:30 local time
        message.date = datetime(2026, 11, 23, 22, 30)
        self.assertEqual(
            self.dossier.member_ids.filtered(
                lambda m: m.partner_id == self.ceo
            ).last_contact_date,
            date(2026, 11, 24),
        )
        self.assertNotIn("No contact with Anna Ceo", self.dossier.coaching_gaps)

    def test_meeting_counts_as_contact(self):
        start = fields.Datetime.now() - timedelta(days=3)
        self.env["calendar.event"].create(
            {
                "name": "Lunch",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [Command.link(self.ceo.id)],
            }
        )
        member = self.dossier.member_ids.filtered(lambda m: m.partner_id == self.ceo)
        # the day of the meeting in the user's time zone
        self.assertEqual(
            member.last_contact_date,
            fields.Datetime.context_timestamp(member, start).date(),
        )
        # a future meeting is no contact yet
        other = self.dossier.member_ids.filtered(lambda m: m.partner_id == self.cfo)
        self.env["calendar.event"].create(
            {
                "name": "Next week",
                "start": fields.Datetime.now() + timedelta(days=7),
                "stop": fields.Datetime.now() + timedelta(days=7, hours=1),
                "partner_ids": [Command.link(self.cfo.id)],
            }
        )
        self.assertFalse(other.last_contact_date)

    def test_no_opponent_known_and_weights(self):
        self.dossier.member_ids.filtered(
            lambda m: m.partner_id == self.cfo
        ).attitude = "neutral"
        self.assertEqual(self.dossier.completeness, 40)
        self.assertIn("Opponents unknown", self.dossier.coaching_gaps)
        self.dossier.no_opponent_known = True
        self.assertEqual(self.dossier.completeness, 55)
        self.assertNotIn("Opponents unknown", self.dossier.coaching_gaps)
        # weights: only the decision maker counts
        set_param = self.env["ir.config_parameter"].set_param
        for key in (
            "economic_buyer",
            "coach",
            "non_supporter",
            "personal_data",
            "recent_contact",
        ):
            set_param(f"kam_management.dossier_weight_{key}", 0)
        set_param("kam_management.dossier_weight_decision_maker", 5)
        self.dossier.invalidate_recordset()
        self.assertEqual(self.dossier.completeness, 100)

    def test_empty_dossier_gaps(self):
        account = self.env["res.partner"].create({"name": "Empty", "is_company": True})
        dossier = self.env["kam.dossier"].create({"partner_id": account.id})
        self.assertEqual(dossier.completeness, 0)
        self.assertEqual(
            dossier.coaching_gaps.split("\n"),
            [
                "No decision maker identified",
                "No economic buyer identified",
                "No coach",
                "Opponents unknown",
                "No high-influence member identified",
            ],
        )
        self.assertFalse(dossier.has_decision_maker)
        found = self.env["kam.dossier"].search(
            [("has_decision_maker", "=", False), ("completeness", "<", 100)]
        )
        self.assertIn(dossier, found)
        self.assertNotIn(self.dossier, found)

    def test_health_dossier_coverage(self):
        person = self.ceo
        coverage = (
            self.env["res.partner"]
            .browse([self.account.id, person.id, self.partner.id])
            ._kam_health_dossier_coverage()
        )
        self.assertEqual(
            coverage, {self.account.id: 55.0, person.id: 55.0, self.partner.id: 0.0}
        )

    def test_members_in_form_and_uniqueness(self):
        account = self.env["res.partner"].create(
            {"name": "Form Co", "is_company": True, "kam_user_id": self.kam_user.id}
        )
        person = self.env["res.partner"].create(
            {"name": "Eva Form", "parent_id": account.id}
        )
        with Form(self.env["kam.dossier"].with_user(self.kam_user)) as dossier_form:
            dossier_form.partner_id = account
            with dossier_form.member_ids.new() as member:
                member.partner_id = person
                member.role_id = self.role_coach
                member.influence = "high"
        dossier = dossier_form.record
        self.assertEqual(dossier.member_count, 1)
        self.assertEqual(
            dossier.member_ids.argument_hint, self.role_coach.argument_hint
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            dossier.member_ids = [Command.create({"partner_id": person.id})]
            self.env.flush_all()

    def test_one_dossier_per_account(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.dossier"].create({"partner_id": self.account.id})
            self.env.flush_all()

    def test_professional_holiday_validation(self):
        Holiday = self.env["kam.professional.holiday"]
        with self.assertRaisesRegex(ValidationError, "Bad Day: day 30 of month 2"):
            Holiday.create(
                {"name": "Bad Day", "month": 2, "day": 30, "role_id": self.role_fin.id}
            )
        with self.assertRaisesRegex(ValidationError, "No Target: set the Role"):
            Holiday.create({"name": "No Target", "month": 3, "day": 1})
        holiday = Holiday.create(
            {"name": "Leap", "month": 2, "day": 29, "role_id": self.role_fin.id}
        )
        self.assertEqual(holiday.day, 29)

    # relations and org chart --------------------------------------------------

    def test_relation_inverse_names(self):
        reports_to = self.env.ref("kam_management.kam_relation_type_reports_to")
        influences = self.env.ref("kam_management.kam_relation_type_influences")
        self.env["res.partner.relation"].create(
            [
                {
                    "left_partner_id": self.cfo.id,
                    "type_id": reports_to.id,
                    "right_partner_id": self.ceo.id,
                },
                {
                    "left_partner_id": self.engineer.id,
                    "type_id": influences.id,
                    "right_partner_id": self.cfo.id,
                },
            ]
        )
        seen_from = {
            partner: sorted(
                (rel.type_selection_id.name, rel.other_partner_id.name)
                for rel in partner.relation_all_ids
            )
            for partner in (self.ceo, self.cfo, self.engineer)
        }
        self.assertEqual(
            seen_from,
            {
                self.ceo: [("is manager of", "Boris Cfo")],
                self.cfo: [
                    ("is influenced by", "Carl Engineer"),
                    ("reports to", "Anna Ceo"),
                ],
                self.engineer: [("influences", "Boris Cfo")],
            },
        )
        self.assertEqual(len(self.dossier.relation_ids), 2)

    # access -------------------------------------------------------------------

    def test_record_rules_kam_user_manager_other(self):
        Dossier = self.env["kam.dossier"]
        both = self.dossier | self.other_dossier
        self.assertEqual(
            Dossier.with_user(self.kam_user).search([("id", "in", both.ids)]),
            self.dossier,
        )
        self.assertEqual(
            Dossier.with_user(self.kam_user_other).search([("id", "in", both.ids)]),
            self.other_dossier,
        )
        self.assertEqual(
            Dossier.with_user(self.kam_manager).search([("id", "in", both.ids)]), both
        )
        with self.assertRaises(AccessError):
            self.other_dossier.with_user(self.kam_user).read(["name"])
        with self.assertRaises(AccessError):
            self.other_dossier.with_user(self.kam_user).write(
                {"no_opponent_known": True}
            )
        with self.assertRaises(AccessError):
            self.other_dossier.member_ids.with_user(self.kam_user).write(
                {"attitude": "opponent"}
            )
        with self.assertRaises(AccessError):
            self.env["kam.dossier"].with_user(self.kam_user).create(
                {
                    "partner_id": self.env["res.partner"]
                    .create({"name": "X", "is_company": True})
                    .id
                }
            )
        with self.assertRaises(AccessError):
            self.dossier.with_user(self.sales_user).read(["name"])
        # deputy and team member see the account's dossier
        self.other_account.kam_deputy_user_id = self.kam_user
        self.assertTrue(self.other_dossier.with_user(self.kam_user).read(["name"]))
        self.other_account.kam_deputy_user_id = False
        self.other_account.kam_team_user_ids = [Command.link(self.kam_user.id)]
        self.assertEqual(
            self.other_dossier.member_ids.with_user(self.kam_user).read(["attitude"])[
                0
            ]["attitude"],
            "neutral",
        )
        # the KAM user cannot delete a dossier, the manager can
        with self.assertRaises(AccessError):
            self.dossier.with_user(self.kam_user).unlink()
        self.dossier.with_user(self.kam_manager).unlink()

    def test_multi_company_rule(self):
        company_b = self.env["res.company"].create({"name": "KAM Company B"})
        account = self.env["res.partner"].create(
            {
                "name": "B Account",
                "is_company": True,
                "kam_user_id": self.kam_manager.id,
            }
        )
        dossier_b = self.env["kam.dossier"].create(
            {"partner_id": account.id, "company_id": company_b.id}
        )
        self.assertFalse(
            self.env["kam.dossier"]
            .with_user(self.kam_manager)
            .search([("id", "=", dossier_b.id)])
        )
        self.kam_manager.company_ids = [Command.link(company_b.id)]
        self.assertTrue(
            self.env["kam.dossier"]
            .with_user(self.kam_manager)
            .with_context(allowed_company_ids=[company_b.id])
            .search([("id", "=", dossier_b.id)])
        )

    # performance --------------------------------------------------------------

    def _make_dossiers(self, count, members):
        Partner = self.env["res.partner"]
        dossiers = self.env["kam.dossier"]
        for index in range(count):
            account = Partner.create(
                {"name": f"Perf {members}-{index}", "is_company": True}
            )
            people = Partner.create(
                [
                    {"name": f"Person {members}-{index}-{i}", "parent_id": account.id}
                    for i in range(members)
                ]
            )
            dossiers |= self.env["kam.dossier"].create(
                {
                    "partner_id": account.id,
                    "member_ids": [
                        Command.create(
                            {
                                "partner_id": person.id,
                                "role_id": self.role_dm.id,
                                "influence": "high",
                            }
                        )
                        for person in people
                    ],
                }
            )
        for person in dossiers.member_ids.partner_id:
            person.message_post(body="Met", message_type="comment")
        return dossiers

    def _read_list(self, dossiers):
        self.env.invalidate_all()
        dossiers.with_user(self.kam_manager).read(
            [
                "partner_id",
                "kam_user_id",
                "member_count",
                "completeness",
                "has_stale_contact",
                "coaching_gaps",
            ]
        )

    def _count_queries(self, dossiers):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self._read_list(dossiers)
        return self.cr.sql_log_count - before

    def test_dossier_list_query_count_independent_of_members(self):
        small = self._make_dossiers(2, 1)
        large = self._make_dossiers(6, 7)
        self.env.flush_all()
        self._read_list(small)  # warm the caches of settings and groups
        self.assertEqual(self._count_queries(small), self._count_queries(large))
        with self.assertQueryCount(__system__=QUERIES):
            self._read_list(small)
        with self.assertQueryCount(__system__=QUERIES):
            self._read_list(large)
