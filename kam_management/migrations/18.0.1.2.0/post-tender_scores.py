# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""From 18.0.1.2.0 on, the price score and the rank of a bid are computed
from the bids of its tender (docs/tenders.md "Bid comparison"): compute them
for the bids recorded before."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    bids = env["kam.tender.bid"].with_context(active_test=False).search([])
    for names in (("price_score", "rank"), ("total_score",)):
        for name in names:
            env.add_to_compute(bids._fields[name], bids)
        bids.flush_recordset()
