# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.2.0 models are loaded (docs/kpi.md "History").

- KPI results get the snapshot of their rule (name, measure, direction),
  written by every evaluation from now on.
- The KPI snapshot of an attestation becomes copied lines: the links of the
  former many2many (kam_attestation_kam_kpi_result_rel) are copied into
  kam.attestation.line.
- Commission lines keep the number of their invoice and the basis of their
  plan.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import table_exists


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rules = env["kam.kpi.rule"].with_context(active_test=False).search([])
    for rule in rules:
        snapshot = rule._result_snapshot()
        cr.execute(
            """
            UPDATE kam_kpi_result
               SET rule_name = %s, measure = %s, measure_label = %s, direction = %s
             WHERE rule_id = %s AND rule_name IS NULL
            """,
            [
                snapshot["rule_name"],
                snapshot["measure"],
                snapshot["measure_label"],
                snapshot["direction"],
                rule.id,
            ],
        )
    if table_exists(cr, "kam_attestation_kam_kpi_result_rel"):
        cr.execute(
            """
            INSERT INTO kam_attestation_line (
                attestation_id, user_id, company_id, result_id, rule_name, measure,
                measure_label, period, date_from, date_to, value, target,
                attainment, status, create_uid, create_date, write_uid, write_date)
            SELECT a.id, a.user_id, a.company_id, r.id, r.rule_name, r.measure,
                   r.measure_label, r.period, r.date_from, r.date_to, r.value,
                   r.target, r.attainment, r.status, %(uid)s, NOW() AT TIME ZONE 'UTC',
                   %(uid)s, NOW() AT TIME ZONE 'UTC'
              FROM kam_attestation_kam_kpi_result_rel rel
              JOIN kam_attestation a ON a.id = rel.kam_attestation_id
              JOIN kam_kpi_result r ON r.id = rel.kam_kpi_result_id
             WHERE NOT EXISTS (
                   SELECT 1 FROM kam_attestation_line l
                    WHERE l.attestation_id = a.id AND l.result_id = r.id)
            """,
            {"uid": SUPERUSER_ID},
        )
    cr.execute(
        """
        UPDATE kam_commission_line l
           SET move_name = m.name
          FROM account_move m
         WHERE m.id = l.move_id AND l.move_name IS NULL
        """
    )
    # the basis of the existing lines: their plan's today (the best known)
    cr.execute(
        """
        UPDATE kam_commission_line l
           SET basis = p.basis
          FROM kam_commission_plan p
         WHERE p.id = l.plan_id AND l.basis IS NULL
        """
    )
