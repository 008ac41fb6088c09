# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestKeyAccountsTour(HttpCase):
    def test_kam_runs_classification_and_sees_pareto(self):
        policy = self.env.ref("kam_management.demo_classification_policy_revenue")
        # the tour runs the policy today: a run of the day (the demo run of
        # a database installed today) moves to yesterday, one run per day
        today = fields.Date.context_today(policy)
        policy.run_ids.filtered(lambda run: run.date == today).write(
            {"date": today - relativedelta(days=1)}
        )
        runs_before = policy.run_count
        self.start_tour("/odoo", "kam_classification_tour", login="admin")
        policy.invalidate_recordset()
        self.assertEqual(policy.run_count, runs_before + 1)
        self.assertGreaterEqual(policy.last_run_id.customer_count, 20)
