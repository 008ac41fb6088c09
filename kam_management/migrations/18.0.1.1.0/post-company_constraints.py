# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Up to 18.0.1.0.x, models/res_company.py assigned ``_sql_constraints`` three
times in one class body. Python kept the last list only, so the CHECK
constraints ``kam_tender_settings_positive``, ``kam_report_due_day_range``
and ``kam_attestation_months_positive`` were never created and the settings
took any value. From 18.0.1.1.0 on the lists are one and the upgrade adds the
missing constraints.

Odoo does not add a CHECK that existing rows break: during an upgrade the
failed attempt (when the module's tables are updated, before this script) is
queued and tried again once every module is loaded, after the
post-migrations (``Registry.finalize_constraints``); if it fails again, the
constraint stays missing with a warning only. So this script corrects the
company rows that break one of them, and the retry adds it.

The rows are corrected rather than only reported: these are settings, and
every out-of-range value has a value the code already gave it, or a closest
allowed one, so nobody has to decide anything for the upgrade to complete.
Each corrected company is named in the log with the old and the new value so
that an administrator can review the setting:

- monthly report due day: 0 or less becomes 3 (the code read 0 as 3, a
  negative day made the due date fail); above 28 becomes 28 (the code used
  the last day of the month, which is 28 in February);
- attestation interval: 0 or less becomes 6 months (the code read 0 as 6, a
  negative interval put the next attestation before the last one);
- tender due-soon days, re-tender months and guarantee notice days: a
  negative value becomes 0 (the closest allowed value).
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# column, condition of the rows the constraint refuses, corrected value
# (``old.value`` is the value before)
CORRECTIONS = [
    (
        "kam_report_due_day",
        "NOT (value BETWEEN 1 AND 28)",
        "CASE WHEN old.value > 28 THEN 28 ELSE 3 END",
    ),
    ("kam_attestation_months", "value <= 0", "6"),
    ("kam_tender_due_soon_days", "value < 0", "0"),
    ("kam_tender_retender_months", "value < 0", "0"),
    ("kam_tender_guarantee_notice_days", "value < 0", "0"),
]


def migrate(cr, version):
    if not version:  # a fresh install has no rows to correct
        return
    for column, refused, corrected in CORRECTIONS:
        cr.execute(
            SQL(
                """
                WITH old AS (
                    SELECT id, value
                      FROM (SELECT id, %(column)s AS value FROM res_company) c
                     WHERE %(refused)s
                )
                UPDATE res_company company
                   SET %(column)s = %(corrected)s
                  FROM old
                 WHERE company.id = old.id
             RETURNING company.id, company.name, old.value, company.%(column)s
                """,
                column=SQL.identifier(column),
                refused=SQL(refused),
                corrected=SQL(corrected),
            )
        )
        for company_id, name, old_value, new_value in cr.fetchall():
            _logger.warning(
                "kam_management %s -> 18.0.1.1.0: company %s (id %s): %s was "
                "%s, outside the allowed range; set to %s: review the setting",
                version,
                name,
                company_id,
                column,
                old_value,
                new_value,
            )
