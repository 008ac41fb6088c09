# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_accountplan import AccountPlanCommon

DAY = date(2025, 6, 30)


@tagged("post_install", "-at_install")
class TestHealthScore(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {"kam_health_red_below": 40.0, "kam_health_green_from": 70.0}
        )
        # weights and scales of the shipped factors, set here so that the
        # hand computation below does not depend on a changed configuration
        scales = {
            "overdue": (25, 0, 60),
            "payment_delay": (15, 0, 30),
            "contact": (20, 7, 60),
            "objectives": (20, 100, 0),
            "dossier": (10, 100, 0),
            "claims": (10, 0, 3),
        }
        factors = cls.env["kam.health.factor"]._kam_factors(cls.env.company)
        for code, (weight, good, bad) in scales.items():
            factors[code].write(
                {"weight": weight, "good_value": good, "bad_value": bad}
            )
        cls.account = cls._key_account("Health Rail", kam=cls.kam_user)
        cls.contact = cls.env["res.partner"].create(
            {"name": "Hanna Health", "parent_id": cls.account.id}
        )
        # overdue on DAY: 1000 due 40 days ago, 3000 due 10 days ago
        cls._invoice(cls.account, 1000.0, date(2025, 5, 11), date(2025, 5, 21))
        cls._invoice(cls.contact, 3000.0, date(2025, 6, 10), date(2025, 6, 20))
        # not yet due on DAY
        cls._invoice(cls.account, 2000.0, date(2025, 6, 25), date(2025, 7, 10))
        # paid 10 days late and 5 days early: mean delay (10 + 0) / 2 = 5
        late = cls._invoice(cls.account, 500.0, date(2025, 3, 22), date(2025, 4, 1))
        cls._pay(late, date(2025, 4, 11))
        early = cls._invoice(cls.account, 500.0, date(2025, 4, 21), date(2025, 5, 1))
        cls._pay(early, date(2025, 4, 26))
        # last contact 20 days before DAY, a note on a contact; a later
        # tracking notification is no contact
        message = cls.contact.message_post(
            body="Called Hanna about the renewal",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        message.date = datetime(2025, 6, 10, 9, 0)
        notification = cls.account.message_post(
            body="Automatic notification", message_type="notification"
        )
        notification.date = datetime(2025, 6, 29, 9, 0)
        # objectives of the 2025 plan: done, on track, on track but overdue,
        # at risk (2 of 4 on track = 50 %); cancelled ones do not count
        plan = cls.env["kam.account.plan"].create(
            {"partner_id": cls.account.id, "year": 2025}
        )
        Objective = cls.env["kam.account.objective"]
        for name, state, deadline in [
            ("Done", "done", date(2025, 3, 1)),
            ("On track", "on_track", date(2025, 9, 1)),
            ("Overdue", "on_track", date(2025, 6, 29)),
            ("At risk", "at_risk", date(2025, 9, 1)),
            ("Cancelled", "cancelled", date(2025, 9, 1)),
        ]:
            Objective.create(
                {
                    "plan_id": plan.id,
                    "name": name,
                    "state": state,
                    "date_deadline": deadline,
                }
            )

    def test_score_on_hand_computed_data(self):
        score = self.env["kam.health.score"]._kam_compute(self.account, DAY)
        self.assertEqual(len(score), 1)
        self.assertEqual(score.date, DAY)
        self.assertAlmostEqual(score.overdue_amount, 4000.0)
        # (1000 × 40 + 3000 × 10) / 4000
        self.assertAlmostEqual(score.overdue_days, 17.5)
        self.assertAlmostEqual(score.overdue_score, 70.8, places=1)
        self.assertAlmostEqual(score.payment_delay_days, 5.0)
        self.assertAlmostEqual(score.payment_delay_score, 83.3, places=1)
        self.assertEqual(score.contact_date, date(2025, 6, 10))
        self.assertEqual(score.contact_days, 20)
        # (60 - 20) / (60 - 7)
        self.assertAlmostEqual(score.contact_score, 75.5, places=1)
        self.assertAlmostEqual(score.objectives_on_track, 50.0)
        self.assertAlmostEqual(score.objectives_score, 50.0)
        self.assertAlmostEqual(score.dossier_coverage, 0.0)
        self.assertAlmostEqual(score.dossier_score, 0.0)
        self.assertAlmostEqual(score.claims_score, 100.0)
        # (70.833×25 + 83.333×15 + 75.472×20 + 50×20 + 0×10 + 100×10) / 100
        self.assertAlmostEqual(score.score, 65.3)
        self.assertEqual(score.colour, "amber")
        self.assertEqual(self.account.kam_health_last_id, score)
        self.assertAlmostEqual(self.account.kam_health_score, 65.3)
        self.assertEqual(self.account.kam_health_colour, "amber")

    def test_weights_and_thresholds(self):
        factors = self.env["kam.health.factor"]._kam_factors(self.env.company)
        for factor in factors.values():
            factor.weight = 0.0
        factors["objectives"].weight = 1.0
        score = self.env["kam.health.score"]._kam_compute(self.account, DAY)
        self.assertAlmostEqual(score.score, 50.0)
        self.assertEqual(score.colour, "amber")
        self.env.company.kam_health_green_from = 50.0
        score = self.env["kam.health.score"]._kam_compute(self.account, DAY)
        self.assertEqual(score.colour, "green")
        self.env.company.write(
            {"kam_health_red_below": 50.5, "kam_health_green_from": 60.0}
        )
        score = self.env["kam.health.score"]._kam_compute(self.account, DAY)
        self.assertEqual(score.colour, "red")
        with self.assertRaises(ValidationError):
            self.env.company.kam_health_red_below = 80.0
        with self.assertRaises(ValidationError):
            factors["contact"].bad_value = factors["contact"].good_value
        with self.assertRaises(ValidationError):
            factors["contact"].weight = -1.0

    def test_company_factor_replaces_shared_one(self):
        shared = self.env.ref("kam_management.kam_health_factor_contact")
        own = shared.copy({"company_id": self.env.company.id, "bad_value": 27.0})
        factors = self.env["kam.health.factor"]._kam_factors(self.env.company)
        self.assertEqual(factors["contact"], own)
        score = self.env["kam.health.score"]._kam_compute(self.account, DAY)
        # (27 - 20) / (27 - 7)
        self.assertAlmostEqual(score.contact_score, 35.0)

    def test_trend_kept_one_score_per_day(self):
        Score = self.env["kam.health.score"]
        first = Score._kam_compute(self.account, date(2025, 6, 1))
        Score._kam_compute(self.account, DAY)
        again = Score._kam_compute(self.account, DAY)
        scores = Score.search([("partner_id", "=", self.account.id)])
        self.assertEqual(len(scores), 2)
        self.assertIn(first, scores)
        self.assertEqual(self.account.kam_health_last_id, again)
        # on 1 June: only the 1000 is overdue (11 days), the note is later
        self.assertAlmostEqual(first.overdue_days, 11.0)
        self.assertAlmostEqual(first.overdue_amount, 1000.0)

    def test_no_contact_scores_worst(self):
        # a new account is not a freshly contacted one: no contact, score 0
        other = self._key_account("Silent Account", kam=self.kam_user)
        score = self.env["kam.health.score"]._kam_compute(other)
        self.assertFalse(score.contact_date)
        self.assertFalse(score.contact_days)
        self.assertEqual(score.contact_score, 0.0)
        self.assertAlmostEqual(score.overdue_score, 100.0)
        self.assertAlmostEqual(score.objectives_on_track, 0.0)

    def test_dossier_and_claims_feed_the_score(self):
        other = self._key_account("Other", kam=self.kam_user)
        partners = self.account | other
        self.assertEqual(
            partners._kam_health_dossier_coverage(), dict.fromkeys(partners.ids, 0.0)
        )
        self.env["kam.claim"].create(
            {"name": "Late delivery", "partner_id": self.account.id}
        )
        scores = self.env["kam.health.score"]._kam_compute(partners)
        by_partner = {score.partner_id: score for score in scores}
        self.assertEqual(by_partner[self.account].claims_count, 1)
        self.assertEqual(by_partner[other].claims_count, 0)
        self.assertEqual(by_partner[self.account].dossier_coverage, 0.0)

    def test_cron_scores_key_accounts_only(self):
        plain = self.env["res.partner"].create({"name": "Not Key", "is_company": True})
        Score = self.env["kam.health.score"]
        Score._cron_compute_health()
        # the cron scores today in the time zone of the user it runs as
        today = Score.search(
            [
                ("date", "=", fields.Date.context_today(Score)),
                ("partner_id", "in", (self.account | plain).ids),
            ]
        )
        self.assertEqual(today.partner_id, self.account)

    def test_button_scores_today(self):
        account = self.account.with_user(self.kam_manager)
        account.action_kam_compute_health()
        self.assertEqual(account.kam_health_date, fields.Date.context_today(account))

    def test_query_count_independent_of_accounts(self):
        Score = self.env["kam.health.score"]

        def accounts(count, prefix):
            partners = self.env["res.partner"]
            for index in range(count):
                partner = self._key_account(f"{prefix} {index}", kam=self.kam_user)
                self._invoice(
                    partner, 100.0 + index, date(2025, 5, 1), date(2025, 5, 31)
                )
                partner.message_post(body="Visit", message_type="comment")
                partners |= partner
            return partners

        small, large = accounts(2, "Small"), accounts(6, "Large")
        Score._kam_compute(accounts(1, "Warm-up"), DAY)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        Score._kam_compute(small, DAY)
        self.env.flush_all()
        queries = self.cr.sql_log_count - before
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            scores = Score._kam_compute(large, DAY)
            self.env.flush_all()
        self.assertEqual(len(scores), 6)


@tagged("post_install", "-at_install")
class TestHealthScoreTimeZone(AccountPlanCommon):
    """Near midnight UTC the day of the user is not the UTC day: the days
    since the last contact count in the user's days only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._key_account("Zone Rail", kam=cls.kam_user)

    def _note(self, when):
        message = self.account.message_post(body="Called", message_type="comment")
        message.date = when

    def _score(self):
        account = self.account.with_user(self.kam_manager)
        account.action_kam_compute_health()
        return account.kam_health_last_id

    @freeze_time("2026-11-23 23:40:00")
    def test_east_of_utc_before_midnight_utc(self):
        # UTC+2 all year: 24 November, 01:40
        self.kam_manager.tz = "Africa/Johannesburg"
        # created at 00:10 local time today (22:10 UTC the day before): the
        # creation is no contact
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = %s",
            (datetime(2026, 11, 23, 22, 10), self.account.id),
        )
        self.account.invalidate_recordset(["create_date"])
        score = self._score()
        self.assertEqual(score.date, date(2026, 11, 24))
        self.assertFalse(score.contact_date)
        self.assertFalse(score.contact_days)
        # 14 November, 01:00 local time
        self._note(datetime(2026, 11, 13, 23, 0))
        score = self._score()
        self.assertEqual(score.contact_date, date(2026, 11, 14))
        self.assertEqual(score.contact_days, 10)

    @freeze_time("2026-11-24 00:20:00")
    def test_west_of_utc_after_midnight_utc(self):
        # UTC-5 all year: 23 November, 19:20
        self.kam_manager.tz = "America/Bogota"
        # 13 November, 21:00 local time
        self._note(datetime(2026, 11, 14, 2, 0))
        score = self._score()
        self.assertEqual(score.date, date(2026, 11, 23))
        self.assertEqual(score.contact_date, date(2026, 11, 13))
        self.assertEqual(score.contact_days, 10)
        # today at 19:10 local time (after midnight UTC) counts for today
        self._note(datetime(2026, 11, 24, 0, 10))
        score = self._score()
        self.assertEqual(score.contact_date, date(2026, 11, 23))
        self.assertEqual(score.contact_days, 0)
