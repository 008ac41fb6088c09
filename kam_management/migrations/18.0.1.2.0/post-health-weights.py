# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.2.0 models and data are loaded.

From 18.0.1.2.0 on, a health score keeps the weight of each factor it was
computed with (shown beside the factor on the score's form). The scores of
earlier releases did not record them: they get the weights in use in their
company at the upgrade, the best estimate there is (docs/account_plans.md).
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CODES = ("overdue", "payment_delay", "contact", "objectives", "dossier", "claims")


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Factor = env["kam.health.factor"]
    count = 0
    for company in env["res.company"].search([]):
        factors = Factor._kam_factors(company)
        assignments = [
            SQL(
                "%s = %s",
                SQL.identifier(f"{code}_weight"),
                factors[code].weight if code in factors else 0.0,
            )
            for code in CODES
        ]
        cr.execute(
            SQL(
                "UPDATE kam_health_score SET %s WHERE company_id = %s "
                "AND overdue_weight IS NULL",
                SQL(", ").join(assignments),
                company.id,
            )
        )
        count += cr.rowcount
    _logger.info(
        "kam_management post-migration health weights: %s earlier scores given "
        "the current weights",
        count,
    )
