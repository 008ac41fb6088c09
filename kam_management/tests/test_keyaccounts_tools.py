# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fast tests of the pure arithmetic of the classification (no database)."""

import unittest

from odoo.addons.kam_management.tools.classification import (
    concentration,
    dependence_level,
    is_key_account,
    rank_customers,
)

THRESHOLDS = {
    "a_threshold": 80.0,
    "b_threshold": 95.0,
    "key": 10.0,
    "critical": 20.0,
    "mono": 70.0,
}


class TestClassificationArithmetic(unittest.TestCase):
    def test_ranking_ties_by_id_and_abc_on_share_before(self):
        # shares 50 / 30 / 10 / 10 ; partners 7 and 3 tie: 3 first
        ranked = rank_customers({9: 5000, 4: 3000, 7: 1000, 3: 1000}, **THRESHOLDS)
        self.assertEqual([c.partner_id for c in ranked], [9, 4, 3, 7])
        self.assertEqual([c.rank for c in ranked], [1, 2, 3, 4])
        self.assertEqual([round(c.share, 6) for c in ranked], [50, 30, 10, 10])
        self.assertEqual(
            [round(c.cumulative_share, 6) for c in ranked], [50, 80, 90, 100]
        )
        # A: before 0 and 50 (< 80); 3: before exactly 80 -> B; 7: before 90 -> B
        self.assertEqual([c.abc_class for c in ranked], ["A", "A", "B", "B"])
        self.assertEqual(
            [c.dependence_level for c in ranked],
            ["critical", "critical", "none", "none"],
        )

    def test_largest_customer_always_a(self):
        ranked = rank_customers({1: 99, 2: 1}, **THRESHOLDS)
        self.assertEqual([c.abc_class for c in ranked], ["A", "C"])
        self.assertEqual(ranked[0].dependence_level, "mono")

    def test_non_positive_amounts_not_ranked(self):
        ranked = rank_customers({1: 100, 2: 0, 3: -50}, **THRESHOLDS)
        self.assertEqual([c.partner_id for c in ranked], [1])
        self.assertEqual(ranked[0].share, 100.0)
        self.assertEqual(rank_customers({2: 0}, **THRESHOLDS), [])

    def test_c_tail(self):
        amounts = {1: 600, 2: 200, 3: 100, 4: 50, 5: 30, 6: 20}
        ranked = rank_customers(amounts, **THRESHOLDS)
        # before: 0, 60, 80, 90, 95, 98
        self.assertEqual([c.abc_class for c in ranked], ["A", "A", "B", "B", "C", "C"])

    def test_dependence_levels_strict(self):
        self.assertEqual(dependence_level(10.0, 10, 20, 70), "none")
        self.assertEqual(dependence_level(10.01, 10, 20, 70), "key")
        self.assertEqual(dependence_level(20.0, 10, 20, 70), "key")
        self.assertEqual(dependence_level(20.5, 10, 20, 70), "critical")
        self.assertEqual(dependence_level(70.0, 10, 20, 70), "critical")
        self.assertEqual(dependence_level(70.1, 10, 20, 70), "mono")

    def test_key_account_by_share_or_revenue(self):
        self.assertFalse(is_key_account(10.0, 5000, key=10))
        self.assertTrue(is_key_account(10.5, 5000, key=10))
        self.assertTrue(is_key_account(2.0, 5000, key=10, absolute=5000))
        self.assertFalse(is_key_account(2.0, 4999.99, key=10, absolute=5000))
        self.assertFalse(is_key_account(2.0, 0, key=10, absolute=0))

    def test_concentration(self):
        ranked = rank_customers(
            {1: 40, 2: 20, 3: 10, 4: 10, 5: 10, 6: 5, 7: 5}, **THRESHOLDS
        )
        stats = concentration(ranked)
        self.assertEqual(stats.total, 100)
        self.assertEqual(stats.count, 7)
        self.assertAlmostEqual(stats.top1_share, 40.0)
        self.assertAlmostEqual(stats.top5_share, 90.0)
        # 1600 + 400 + 3 * 100 + 2 * 25
        self.assertAlmostEqual(stats.hhi, 2350.0)

    def test_concentration_single_and_empty(self):
        stats = concentration(rank_customers({5: 12.5}, **THRESHOLDS))
        self.assertAlmostEqual(stats.hhi, 10000.0)
        self.assertAlmostEqual(stats.top5_share, 100.0)
        empty = concentration([])
        self.assertEqual((empty.count, empty.top1_share, empty.hhi), (0, 0.0, 0.0))
