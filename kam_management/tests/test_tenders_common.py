# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields

from .common import KamCommon


class TenderCommon(KamCommon):
    """Hand-built customers, stages and a template for the tender tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["kam.tender"])
        cls.company = cls.env.company
        cls.company.kam_tender_due_soon_days = 14
        cls.company.kam_tender_retender_months = 12
        cls.company.kam_tender_guarantee_notice_days = 10
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Port Authority Test",
                "is_company": True,
                "kam_user_id": cls.kam_user.id,
                "kam_buys_through_tenders": True,
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Buyer Test", "is_company": True}
        )
        cls.competitor = cls.env["res.partner"].create(
            {"name": "Rival Test AS", "is_company": True}
        )
        cls.competitor_2 = cls.env["res.partner"].create(
            {"name": "Second Rival Test", "is_company": True}
        )
        cls.agency = cls.env["res.partner"].create(
            {"name": "Procurement Agency Test", "is_company": True}
        )
        ref = cls.env.ref
        cls.stage_watch = ref("kam_management.kam_tender_stage_watch")
        cls.stage_preparation = ref("kam_management.kam_tender_stage_preparation")
        cls.stage_submitted = ref("kam_management.kam_tender_stage_submitted")
        cls.stage_won = ref("kam_management.kam_tender_stage_won")
        cls.stage_lost = ref("kam_management.kam_tender_stage_lost")
        cls.stage_cancelled = ref("kam_management.kam_tender_stage_cancelled")
        cls.loss_reason = ref("kam_management.kam_tender_loss_reason_price")
        cls.template = cls.env["kam.tender.milestone.template"].create(
            {
                "name": "Short timeline",
                "line_ids": [
                    (0, 0, {"name": "Shape the specification", "offset_days": 30}),
                    (
                        0,
                        0,
                        {
                            "name": "Price calculation",
                            "offset_days": 10,
                            "user_id": cls.kam_user_other.id,
                        },
                    ),
                    (0, 0, {"name": "Submit", "offset_days": 1}),
                ],
            }
        )

    @classmethod
    def _tender(cls, **vals):
        values = {
            "name": "Tender Test",
            "partner_id": cls.customer.id,
            "stage_id": cls.stage_watch.id,
        }
        values.update(vals)
        # a closed tender has its reason (see kam.tender._check_close_reason)
        if values["stage_id"] == cls.stage_lost.id:
            values.setdefault("loss_reason_id", cls.loss_reason.id)
        if values["stage_id"] == cls.stage_cancelled.id:
            values.setdefault("cancel_reason", "Cancelled by the buyer")
        return cls.env["kam.tender"].create(values)

    def _days(self, days):
        return self.today + timedelta(days=days)
