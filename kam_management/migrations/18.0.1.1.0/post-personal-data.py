# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs after the 18.0.1.1.0 models and data are loaded.

The personal data of contacts moves from columns of ``res_partner`` to
``kam.partner.personal`` (one record per contact, opened by record rules to
the accounts the user serves): the values are copied there and the old
columns dropped. The relation types "is friends with" and "is in conflict
with" (loaded with ``noupdate="1"``) are flagged private.
"""

import logging

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
        # the names are the constants above, never input; a value already in
        # kam_partner_personal is kept
        columns = ", ".join(present)
        filled = " OR ".join(f"p.{name} IS NOT NULL" for name in present)
        keep = ", ".join(
            f"{name} = COALESCE(kam_partner_personal.{name}, EXCLUDED.{name})"
            for name in present
        )
        cr.execute(
            f"""
            INSERT INTO kam_partner_personal
                   (partner_id, {columns},
                    create_uid, create_date, write_uid, write_date)
            SELECT p.id, {", ".join(f"p.{name}" for name in present)},
                   1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
              FROM res_partner p
             WHERE {filled}
            ON CONFLICT (partner_id) DO UPDATE SET {keep}
            """  # noqa: S608
        )
        _logger.info("kam_management: personal data of %s contacts moved", cr.rowcount)
        for name in present:
            cr.execute(f"ALTER TABLE res_partner DROP COLUMN {name}")  # noqa: S608
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
