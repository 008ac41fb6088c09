# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.2.0 models and data are loaded.

The shipped activity quotas (calls, offers by e-mail, offers by phone) are
meant for salespeople who are not KAMs (docs/kpi.md). Their data records are
noupdate, so the new field ``applies_to`` is set here for existing databases;
a rule a director edited keeps its other settings.
"""

from odoo.tools import SQL

XMLIDS = (
    "kam_kpi_rule_calls",
    "kam_kpi_rule_offers_email",
    "kam_kpi_rule_offers_phone",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE kam_kpi_rule r
               SET applies_to = 'non_kam'
              FROM ir_model_data d
             WHERE d.model = 'kam.kpi.rule'
               AND d.module = 'kam_management'
               AND d.name = ANY(%(names)s)
               AND d.res_id = r.id
            """,
            names=list(XMLIDS),
        )
    )
