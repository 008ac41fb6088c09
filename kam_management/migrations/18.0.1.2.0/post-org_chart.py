# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.2.0 models and data are loaded.

From 18.0.1.2.0 on, the org chart of a dossier is Odoo's hierarchy view on
the member's own Reports To (another member of the same dossier). Earlier
releases drew it from the current "reports to" relations between the
contacts: each member gets, as Reports To, the member of its dossier its
person reported to (the oldest relation when there are several), as the old
chart showed it (docs/dossiers.md).
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    reports_to = env.ref(
        "kam_management.kam_relation_type_reports_to", raise_if_not_found=False
    )
    if not reports_to:
        return
    rows = env.execute_query(
        SQL(
            """
            WITH managers AS (
                SELECT DISTINCT ON (member.id) member.id AS member_id,
                       manager.id AS manager_id
                  FROM kam_dossier_member member
                  JOIN res_partner_relation rel
                    ON rel.left_partner_id = member.partner_id
                   AND rel.type_id = %(type)s
                   AND (rel.date_start IS NULL OR rel.date_start <= CURRENT_DATE)
                   AND (rel.date_end IS NULL OR rel.date_end >= CURRENT_DATE)
                  JOIN kam_dossier_member manager
                    ON manager.dossier_id = member.dossier_id
                   AND manager.partner_id = rel.right_partner_id
                   AND manager.id != member.id
                 WHERE member.reports_to_id IS NULL
                 ORDER BY member.id, rel.id
            )
            UPDATE kam_dossier_member member
               SET reports_to_id = managers.manager_id
              FROM managers
             WHERE member.id = managers.member_id
            RETURNING member.dossier_id
            """,
            type=reports_to.id,
        )
    )
    dossier_ids = {row[0] for row in rows}
    # the relations allowed loops, Reports To does not: a dossier with one
    # keeps its members at the top of the chart
    looping = (
        env["kam.dossier"]
        .browse(dossier_ids)
        .member_ids.filtered(lambda member: member._has_cycle("reports_to_id"))
    )
    if looping:
        looping.write({"reports_to_id": False})
    _logger.info(
        "Reports To set from the reports-to relations for %s dossier members "
        "(%s cleared: loop)",
        len(rows),
        len(looping),
    )
