# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import BaseCase, tagged

from ..tools import kpi_periods as kp


@tagged("post_install", "-at_install")
class TestKpiTools(BaseCase):
    def test_period_bounds(self):
        day = date(2026, 5, 14)  # a Thursday
        self.assertEqual(kp.period_bounds("day", day), (day, day))
        self.assertEqual(
            kp.period_bounds("week", day), (date(2026, 5, 11), date(2026, 5, 17))
        )
        self.assertEqual(
            kp.period_bounds("month", day), (date(2026, 5, 1), date(2026, 5, 31))
        )
        self.assertEqual(
            kp.period_bounds("quarter", day), (date(2026, 4, 1), date(2026, 6, 30))
        )
        self.assertEqual(
            kp.period_bounds("half_year", day), (date(2026, 1, 1), date(2026, 6, 30))
        )
        self.assertEqual(
            kp.period_bounds("month", date(2028, 2, 29)),
            (date(2028, 2, 1), date(2028, 2, 29)),
        )
        with self.assertRaises(ValueError):
            kp.period_bounds("year", day)

    def test_previous_period_and_starts(self):
        self.assertEqual(
            kp.previous_period_start("month", date(2026, 1, 15)), date(2025, 12, 1)
        )
        self.assertEqual(
            kp.previous_period_start("half_year", date(2026, 7, 1)), date(2026, 1, 1)
        )
        self.assertEqual(
            kp.previous_period_start("day", date(2026, 3, 1)), date(2026, 2, 28)
        )
        self.assertEqual(
            kp.period_starts("quarter", date(2026, 2, 10), date(2026, 7, 1)),
            [date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)],
        )

    def test_same_period_year_before(self):
        self.assertEqual(
            kp.same_period_year_before(date(2028, 2, 1), date(2028, 2, 29)),
            (date(2027, 2, 1), date(2027, 2, 28)),
        )

    def test_working_days(self):
        # Mon 2026-05-11 .. Sun 2026-05-17, Mon-Fri, Wednesday is a holiday
        days = kp.working_days(
            date(2026, 5, 11), date(2026, 5, 17), {0, 1, 2, 3, 4}, {date(2026, 5, 13)}
        )
        self.assertEqual(
            days,
            [
                date(2026, 5, 11),
                date(2026, 5, 12),
                date(2026, 5, 14),
                date(2026, 5, 15),
            ],
        )
        self.assertEqual(kp.working_days(date(2026, 5, 16), date(2026, 5, 17), {0}), [])

    def test_attainment_and_status(self):
        self.assertEqual(kp.attainment(15, 30, "at_least"), 50.0)
        self.assertEqual(kp.attainment(45, 30, "at_least"), 150.0)
        self.assertEqual(kp.attainment(3, 0, "at_least"), 100.0)
        self.assertEqual(kp.attainment(5, 10, "at_most"), 100.0)
        self.assertEqual(kp.attainment(20, 10, "at_most"), 50.0)
        self.assertEqual(kp.result_status(29, 30, "at_least", False), "in_progress")
        self.assertEqual(kp.result_status(30, 30, "at_least", False), "met")
        self.assertEqual(kp.result_status(29, 30, "at_least", True), "missed")
        self.assertEqual(kp.result_status(11, 10, "at_most", False), "missed")
        self.assertEqual(kp.result_status(10, 10, "at_most", False), "in_progress")
        self.assertEqual(kp.result_status(10, 10, "at_most", True), "met")

    def test_rag(self):
        self.assertEqual(kp.rag(120, "met"), "green")
        self.assertEqual(kp.rag(10, "missed"), "red")
        # half of the month elapsed: 50 % attained is on pace
        self.assertEqual(kp.rag(50, "in_progress", 0.5), "green")
        self.assertEqual(kp.rag(41, "in_progress", 0.5), "amber")
        self.assertEqual(kp.rag(39, "in_progress", 0.5), "red")
        self.assertEqual(kp.rag(0, "in_progress", 0.5, "at_most"), "green")
        self.assertEqual(
            kp.elapsed_share(date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 15)),
            0.5,
        )

    def test_report_due_date(self):
        self.assertEqual(kp.report_due_date(date(2026, 10, 1), 3), date(2026, 11, 3))
        self.assertEqual(kp.report_due_date(date(2026, 12, 1), 3), date(2027, 1, 3))
        self.assertEqual(kp.report_due_date(date(2026, 1, 1), 28), date(2026, 2, 28))
        self.assertEqual(
            kp.next_attestation_date(date(2026, 8, 31), 6), date(2027, 2, 28)
        )

    def test_tiers_and_multiplier(self):
        tiers = [(0.0, 12.0), (100000.0, 5.0)]
        self.assertEqual(kp.tier_rate(50000, tiers), 12.0)
        self.assertEqual(kp.tier_rate(100000, tiers), 5.0)
        self.assertEqual(kp.tier_rate(-150000, tiers), 5.0)
        self.assertEqual(kp.tier_rate(500, [(1000.0, 10.0)]), 0.0)
        steps = [(0.0, 0.5), (80.0, 1.0), (120.0, 1.5)]
        self.assertEqual(kp.multiplier_for(79.9, steps), 0.5)
        self.assertEqual(kp.multiplier_for(100, steps), 1.0)
        self.assertEqual(kp.multiplier_for(130, steps), 1.5)
        self.assertEqual(kp.multiplier_for(50, []), 1.0)
