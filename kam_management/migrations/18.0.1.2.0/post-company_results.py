# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Per-policy results and per-company partner figures from the existing runs.

Each policy's last run becomes the policy's results (its lines, the tier
derived as the policy derives it). The deciding policy of each company
(its first active company-scope policy) writes its results on the partners
of that company; pins stay as they were. The latest health score of each
company is written on the partners. No new run is made.
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.kam_management.tools.classification import RankedCustomer


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    policy_model = env["kam.classification.policy"].with_context(active_test=False)
    for policy in policy_model.search([]):
        run = policy.last_run_id
        if not run:
            continue
        cr.execute(
            """
            SELECT line.partner_id, line.rank, line.customer_percent, line.revenue,
                   line.margin, line.amount, line.share, line.cumulative_share,
                   line.abc_class, line.dependence_level, line.is_key
              FROM kam_classification_line line
             WHERE line.run_id = %s
          ORDER BY line.rank
            """,
            (run.id,),
        )
        rows = []
        for (
            pid,
            rank,
            percent,
            revenue,
            margin,
            amount,
            share,
            cumulative,
            abc,
            level,
            is_key,
        ) in cr.fetchall():
            customer = RankedCustomer(
                partner_id=pid,
                amount=amount or 0.0,
                rank=rank or 0,
                customer_percent=percent or 0,
                share=share or 0.0,
                cumulative_share=cumulative or 0.0,
                abc_class=abc,
                dependence_level=level or "none",
            )
            rows.append(
                (
                    customer,
                    revenue or 0.0,
                    margin or 0.0,
                    bool(is_key),
                    policy._tier_of(level or "none", bool(is_key)),
                )
            )
        policy = policy.with_company(policy.company_id)
        policy._kam_store_results(run, rows)
        if policy.active and policy.is_decider:
            policy._write_partner_results(run, rows)
        cr.execute(
            "UPDATE kam_classification_run SET key_share = %s WHERE id = %s",
            (sum(row[0].share for row in rows if row[3]), run.id),
        )
    cr.execute("SELECT DISTINCT partner_id FROM kam_health_score")
    env["kam.health.score"]._kam_store_latest([pid for (pid,) in cr.fetchall()])
