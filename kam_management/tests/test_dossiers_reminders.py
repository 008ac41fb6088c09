# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .dossiers_common import DossiersCommon


@tagged("post_install", "-at_install")
class TestDossiersReminders(DossiersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.greeting = cls.env.ref("kam_management.mail_activity_type_greeting")
        # greetings go to users of the personal-data group only
        personal_data = cls.env.ref("kam_management.group_kam_personal_data")
        (cls.kam_user | cls.kam_user_other).groups_id = [Command.link(personal_data.id)]
        cls.ceo.kam_birthdate = date(1970, 5, 4)
        cls.cfo.kam_birthdate = date(1975, 5, 5)
        cls.engineer.kam_birthdate = date(1992, 2, 29)

    def _run(self, day):
        with freeze_time(day):
            self.env["kam.dossier"]._cron_kam_greeting_reminders()

    def _greetings(self, dossier=None):
        dossier = dossier or self.dossier
        # the greeting is on the person's personal data record
        activities = self._activities(dossier).filtered(
            lambda a: a.activity_type_id == self.greeting
        )
        return sorted(
            (a.summary, str(a.date_deadline), a.user_id.login) for a in activities
        )

    def _activities(self, dossier):
        personal = self.env["kam.partner.personal"].search(
            [("partner_id", "in", dossier.member_ids.partner_id.ids)]
        )
        return self.env["mail.activity"].search(
            [("res_model", "=", "kam.partner.personal"), ("res_id", "in", personal.ids)]
        )

    def test_window_of_three_days(self):
        self._run("2027-05-01")
        self.assertEqual(
            self._greetings(),
            [("Birthday: greet Anna Ceo", "2027-05-04", "kam_user_test")],
        )
        # Boris's birthday enters the window the next day
        self._run("2027-05-02")
        self.assertEqual(
            self._greetings(),
            [
                ("Birthday: greet Anna Ceo", "2027-05-04", "kam_user_test"),
                ("Birthday: greet Boris Cfo", "2027-05-05", "kam_user_test"),
            ],
        )

    def test_window_is_configurable(self):
        self.env["ir.config_parameter"].set_param(
            "kam_management.dossier_greeting_days", 0
        )
        self._run("2027-05-01")
        self.assertEqual(self._greetings(), [])
        self.env["ir.config_parameter"].set_param(
            "kam_management.dossier_greeting_days", 5
        )
        self._run("2027-05-01")
        self.assertEqual(
            [g[0] for g in self._greetings()],
            ["Birthday: greet Anna Ceo", "Birthday: greet Boris Cfo"],
        )

    def test_once_per_occasion(self):
        self._run("2027-05-01")
        self._run("2027-05-01")
        self._run("2027-05-03")
        self.assertEqual(len(self._greetings()), 2)  # Anna once, Boris once
        # done activities are not created again either
        self._activities(self.dossier).action_feedback(feedback="Flowers sent")
        self._run("2027-05-03")
        self.assertEqual(self._greetings(), [])
        # next year is another occasion
        self._run("2028-05-02")
        self.assertEqual(
            [g[:2] for g in self._greetings()],
            [
                ("Birthday: greet Anna Ceo", "2028-05-04"),
                ("Birthday: greet Boris Cfo", "2028-05-05"),
            ],
        )

    def test_deputy_when_kam_absent(self):
        self.account.kam_deputy_user_id = self.kam_user_other
        self.kam_user.write(
            {"kam_absent_from": date(2027, 5, 3), "kam_absent_until": date(2027, 5, 10)}
        )
        self._run("2027-05-01")
        self.assertEqual(
            self._greetings(),
            [("Birthday: greet Anna Ceo", "2027-05-04", "kam_user_other_test")],
        )

    def test_leap_day_birthday(self):
        # 2027 is not a leap year: the birthday is greeted on 28 February
        self._run("2027-02-25")
        self.assertEqual(
            self._greetings(),
            [("Birthday: greet Carl Engineer", "2027-02-28", "kam_user_test")],
        )
        # 2028 is: on 29 February, not on the 28th
        self._run("2028-02-25")
        self.assertEqual([g[1] for g in self._greetings()], ["2027-02-28"])
        self._run("2028-02-26")
        self.assertEqual(
            [g[1] for g in self._greetings()], ["2027-02-28", "2028-02-29"]
        )

    def test_archived_contact_skipped(self):
        self.ceo.active = False
        self._run("2027-05-02")
        self.assertEqual(
            [g[0] for g in self._greetings()], ["Birthday: greet Boris Cfo"]
        )

    def test_professional_holidays_by_role_and_industry(self):
        industry = self.env["res.partner.industry"].create({"name": "Logistics"})
        self.account.industry_id = industry
        Holiday = self.env["kam.professional.holiday"]
        Holiday.create(
            {
                "name": "Economists' Day",
                "month": 11,
                "day": 10,
                "role_id": self.role_eb.id,
            }
        )
        Holiday.create(
            {
                "name": "Logistics Day",
                "month": 11,
                "day": 12,
                "industry_id": industry.id,
            }
        )
        self._run("2027-11-09")
        self.assertEqual(
            [g[:2] for g in self._greetings()],
            [
                ("Economists' Day: greet Boris Cfo", "2027-11-10"),
                ("Logistics Day: greet Anna Ceo", "2027-11-12"),
                ("Logistics Day: greet Boris Cfo", "2027-11-12"),
                ("Logistics Day: greet Carl Engineer", "2027-11-12"),
            ],
        )
        # the other account is in no industry and has no economic buyer
        self.assertEqual(self._greetings(self.other_dossier), [])
