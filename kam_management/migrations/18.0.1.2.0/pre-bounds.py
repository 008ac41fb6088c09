# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs before the 18.0.1.2.0 models are loaded, on the old schema.

18.0.1.2.0 bounds some values in the database (CHECK constraints, see
docs/kpi.md, docs/account_plans.md and docs/service.md "Bounds"). Odoo does
not add a CHECK that existing rows break: the rows out of bounds are brought
to the nearest bound here and named in the log, so that their owner reviews
them.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

_logger = logging.getLogger(__name__)

# (table, column, "<" or ">", bound): values beyond the bound become it
BOUNDS = [
    ("kam_claim_severity", "response_days", "<", 1),
    ("kam_claim_severity", "response_days", ">", 365),
    ("kam_account_objective", "target", "<", 0),
    ("kam_account_plan", "wallet_amount", "<", 0),
    ("kam_account_plan_competitor", "share", "<", 0),
    ("kam_account_plan_competitor", "share", ">", 100),
    ("kam_kpi_rule", "target", "<", 0),
    ("kam_kpi_target", "target", "<", 0),
    ("res_company", "kam_referral_ask_delay_days", ">", 365),
]


def migrate(cr, version):
    if not version:
        return
    for table, column, operator, bound in BOUNDS:
        if not (table_exists(cr, table) and column_exists(cr, table, column)):
            continue
        cr.execute(
            SQL(
                "UPDATE %(table)s SET %(column)s = %(bound)s "
                "WHERE %(column)s %(operator)s %(bound)s RETURNING id",
                table=SQL.identifier(table),
                column=SQL.identifier(column),
                operator=SQL("<") if operator == "<" else SQL(">"),
                bound=bound,
            )
        )
        ids = sorted(row[0] for row in cr.fetchall())
        if ids:
            _logger.warning(
                "kam_management %s -> 18.0.1.2.0: %s.%s %s %s set to %s for the "
                "ids %s: review them",
                version,
                table,
                column,
                operator,
                bound,
                bound,
                ids,
            )
    # the former bound of the severities, replaced by response_days_range
    cr.execute(
        "ALTER TABLE IF EXISTS kam_claim_severity "
        "DROP CONSTRAINT IF EXISTS kam_claim_severity_response_days_positive"
    )
    cr.execute(
        "DELETE FROM ir_model_constraint WHERE name = %s",
        ["kam_claim_severity_response_days_positive"],
    )
