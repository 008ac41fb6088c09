# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs before the 18.0.1.1.0 models are loaded, on the old schema.

From 18.0.1.1.0 on, the multiplier of a commission step is at most 3 (a
database CHECK, docs/kpi.md "Commission"). Odoo does not add a CHECK that
existing rows break: steps above the bound are lowered to it here, and the
plans concerned are named in the log so that their owner reviews them.
Lines already computed keep their multiplier.
"""

import logging

from odoo.tools.sql import table_exists

_logger = logging.getLogger(__name__)

MULTIPLIER_MAX = 3.0  # models/kam_commission_plan_step.py


def migrate(cr, version):
    if not version or not table_exists(cr, "kam_commission_plan_step"):
        return
    cr.execute(
        """
        UPDATE kam_commission_plan_step
           SET multiplier = %s
         WHERE multiplier > %s
     RETURNING plan_id
        """,
        [MULTIPLIER_MAX, MULTIPLIER_MAX],
    )
    plan_ids = sorted({plan_id for (plan_id,) in cr.fetchall()})
    if plan_ids:
        _logger.warning(
            "kam_management %s -> 18.0.1.1.0: multiplier steps above %s lowered "
            "to %s in the commission plans %s: review them",
            version,
            MULTIPLIER_MAX,
            MULTIPLIER_MAX,
            plan_ids,
        )
