# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.1.0 models and data are loaded.

The personal data of contacts moves from columns of ``res_partner`` to
``kam.partner.personal`` (one record per contact, opened by record rules to
the accounts the user serves): the values are copied there and the old
columns dropped. The relation types "is friends with" and "is in conflict
with" (loaded with ``noupdate="1"``) are flagged private.

Greeting reminders were activities on the dossier, which everyone reading
the dossier reads: the open ones are removed, with the logs of the coming
occasions, so that the next run of the cron schedules them again on the
person's personal record, for a user of the personal-data group.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

COLUMNS = (
    "kam_birthdate",
    "kam_hobbies",
    "kam_family",
    "kam_values",
    "kam_character_traits",
    "kam_preferred_channel",
    "kam_preferred_time",
    "kam_personal_notes",
)


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'res_partner' AND column_name = ANY(%s)
        """,
        [list(COLUMNS)],
    )
    found = {row[0] for row in cr.fetchall()}
    present = [name for name in COLUMNS if name in found]
    if present:
        # a value already in kam_partner_personal is kept
        columns = SQL(", ").join(SQL.identifier(name) for name in present)
        values = SQL(", ").join(SQL.identifier("p", name) for name in present)
        filled = SQL(" OR ").join(
            SQL("%s IS NOT NULL", SQL.identifier("p", name)) for name in present
        )
        keep = SQL(", ").join(
            SQL(
                "%s = COALESCE(%s, %s)",
                SQL.identifier(name),
                SQL.identifier("kam_partner_personal", name),
                SQL.identifier("excluded", name),
            )
            for name in present
        )
        cr.execute(
            SQL(
                """
                INSERT INTO kam_partner_personal
                       (partner_id, %s, create_uid, create_date, write_uid, write_date)
                SELECT p.id, %s,
                       1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
                  FROM res_partner p
                 WHERE %s
                ON CONFLICT (partner_id) DO UPDATE SET %s
                """,
                columns,
                values,
                filled,
                keep,
            )
        )
        _logger.info("kam_management: personal data of %s contacts moved", cr.rowcount)
        for name in present:
            cr.execute(
                SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(name))
            )
    cr.execute(
        """
        UPDATE res_partner_relation_type t
           SET kam_private = TRUE
          FROM ir_model_data d
         WHERE d.module = 'kam_management'
           AND d.model = 'res.partner.relation.type'
           AND d.name IN ('kam_relation_type_friends', 'kam_relation_type_conflict')
           AND d.res_id = t.id
        """
    )
    cr.execute(
        """
        DELETE FROM mail_activity a
         USING ir_model_data d
         WHERE d.module = 'kam_management'
           AND d.name = 'mail_activity_type_greeting'
           AND a.activity_type_id = d.res_id
           AND a.res_model = 'kam.dossier'
        """
    )
    _logger.info(
        "kam_management: %s greeting activities removed from dossiers", cr.rowcount
    )
    cr.execute("DELETE FROM kam_greeting_log WHERE occasion_date >= CURRENT_DATE")
