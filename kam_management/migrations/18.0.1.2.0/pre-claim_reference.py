# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs before the 18.0.1.2.0 models are loaded, on the old schema.

From 18.0.1.2.0 on, a claim reference is unique in its company (a database
UNIQUE, docs/service.md "Bounds"). Odoo does not add a constraint that
existing rows break: the second and later claims sharing a reference in a
company get the suffix "-<id>" here (the first keeps it), and are named in
the log.
"""

import logging

from odoo.tools.sql import table_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version or not table_exists(cr, "kam_claim"):
        return
    cr.execute(
        """
        WITH ranked AS (
            SELECT id,
                   ROW_NUMBER() OVER (
                       PARTITION BY company_id, reference ORDER BY id
                   ) AS rank
              FROM kam_claim
             WHERE reference IS NOT NULL
        )
        UPDATE kam_claim c
           SET reference = c.reference || '-' || c.id
          FROM ranked
         WHERE ranked.id = c.id AND ranked.rank > 1
     RETURNING c.id, c.reference
        """
    )
    renamed = cr.fetchall()
    if renamed:
        _logger.warning(
            "kam_management %s -> 18.0.1.2.0: duplicate claim references renamed "
            "(claim id, new reference): %s",
            version,
            sorted(renamed),
        )
