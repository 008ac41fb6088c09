# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestKeyAccountsTour(HttpCase):
    def test_kam_runs_classification_and_sees_pareto(self):
        policy = self.env.ref("kam_management.demo_classification_policy_revenue")
        runs_before = policy.run_count
        today = fields.Date.context_today(policy)
        # one run per policy and day: a run of today is replaced, not added
        ran_today = policy.last_run_id.date == today
        self.start_tour("/odoo", "kam_classification_tour", login="admin")
        policy.invalidate_recordset()
        self.assertEqual(policy.run_count, runs_before + (0 if ran_today else 1))
        self.assertEqual(policy.last_run_id.date, today)
        self.assertGreaterEqual(policy.last_run_id.customer_count, 20)
