# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # --- tenders ---
    kam_tender_due_soon_days = fields.Integer(
        string="Tender Deadline Due Soon (days)",
        default=14,
        help="A submission deadline (or a milestone) this many days away or "
        "less is 'due soon'.",
    )
    kam_tender_retender_months = fields.Integer(
        string="Re-tender Lead Time (months)",
        default=12,
        help="A new tender is created in the first stage this many months "
        "before the end of a won contract.",
    )
    kam_tender_guarantee_notice_days = fields.Integer(
        string="Guarantee Expiry Notice (days)",
        default=14,
        help="The KAM gets an activity this many days before a bid guarantee "
        "expires.",
    )

    _sql_constraints = [
        (
            "kam_tender_settings_positive",
            "CHECK(kam_tender_due_soon_days >= 0 AND kam_tender_retender_months "
            ">= 0 AND kam_tender_guarantee_notice_days >= 0)",
            "The tender lead times and notice days cannot be negative.",
        ),
    ]
