# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs before the 18.0.1.2.0 models are loaded, on the old schema.

From 18.0.1.2.0 on, the amounts of a tender, of its bids and of its bid
guarantees cannot be negative and the scores of a bid are between 0 and 100
(database CHECKs, docs/tenders.md "Bounds"). Odoo does not add a CHECK that
existing rows break: values out of bounds are brought to the nearest bound
here, and the tenders concerned are named in the log so that their owner
reviews them.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

_logger = logging.getLogger(__name__)

#: (table, column, lowest, highest or None, SQL of the tender id)
BOUNDS = [
    ("kam_tender", "estimated_value", 0, None, "id"),
    ("kam_tender", "bid_amount", 0, None, "id"),
    ("kam_tender", "bid_cost", 0, None, "id"),
    ("kam_tender", "awarded_amount", 0, None, "id"),
    ("kam_tender_bid", "amount", 0, None, "tender_id"),
    ("kam_tender_bid", "technical_score", 0, 100, "tender_id"),
    ("kam_tender_bid", "price_score", 0, 100, "tender_id"),
    ("kam_tender_guarantee", "amount", 0, None, "tender_id"),
]


def migrate(cr, version):
    if not version:
        return
    tender_ids = set()
    for table, column, low, high, tender in BOUNDS:
        if not table_exists(cr, table) or not column_exists(cr, table, column):
            continue
        value = SQL("GREATEST(%s, %s)", SQL.identifier(column), low)
        where = SQL("%s < %s", SQL.identifier(column), low)
        if high is not None:
            value = SQL("LEAST(%s, %s)", value, high)
            where = SQL("(%s OR %s > %s)", where, SQL.identifier(column), high)
        cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE %s RETURNING %s",
                SQL.identifier(table),
                SQL.identifier(column),
                value,
                where,
                SQL.identifier(tender),
            )
        )
        tender_ids.update(row[0] for row in cr.fetchall())
    if tender_ids:
        _logger.warning(
            "kam_management %s -> 18.0.1.2.0: amounts or scores out of bounds "
            "brought to their bound in the tenders %s: review them",
            version,
            sorted(tender_ids),
        )
