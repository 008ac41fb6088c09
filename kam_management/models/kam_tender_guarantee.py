# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamTenderGuarantee(models.Model):
    _name = "kam.tender.guarantee"
    _description = "Bid Guarantee"
    _order = "date_expiry, id"
    _check_company_auto = True

    tender_id = fields.Many2one(
        comodel_name="kam.tender",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="tender_id.company_id", store=True, index=True, precompute=True
    )
    name = fields.Char(string="Guarantee Number")
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount = fields.Monetary(required=True)
    bank_id = fields.Many2one(comodel_name="res.bank", string="Issuing Bank")
    date_issue = fields.Date(string="Issue Date")
    date_expiry = fields.Date(string="Expiry Date")
    date_returned = fields.Date(
        string="Returned On",
        help="When the buyer returned (released) the guarantee.",
    )
    activity_id = fields.Many2one(
        comodel_name="mail.activity",
        string="Expiry Reminder",
        ondelete="set null",
        copy=False,
        readonly=True,
    )

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK(amount >= 0)",
            "The amount of a bid guarantee cannot be negative.",
        ),
    ]

    @api.model
    def _kam_check_amount(self, amount, tender, name):
        if (amount or 0) < 0:
            raise ValidationError(
                self.env._(
                    "%(tender)s: the Amount of the bid guarantee %(name)s "
                    "cannot be negative (%(value)s).",
                    tender=tender.display_name,
                    name=name or "",
                    value=amount,
                )
            )

    @api.constrains("amount")
    def _check_amount(self):
        for guarantee in self:
            self._kam_check_amount(
                guarantee.amount, guarantee.tender_id, guarantee.name
            )

    @api.constrains("date_issue", "date_expiry", "date_returned")
    def _check_dates(self):
        for guarantee in self:
            if (
                guarantee.date_issue
                and guarantee.date_expiry
                and guarantee.date_issue > guarantee.date_expiry
            ):
                raise ValidationError(
                    self.env._(
                        "%(tender)s: the guarantee Issue Date (%(issue)s) must "
                        "not be after its Expiry Date (%(expiry)s).",
                        tender=guarantee.tender_id.display_name,
                        issue=guarantee.date_issue,
                        expiry=guarantee.date_expiry,
                    )
                )
            if (
                guarantee.date_issue
                and guarantee.date_returned
                and guarantee.date_returned < guarantee.date_issue
            ):
                raise ValidationError(
                    self.env._(
                        "%(tender)s: the guarantee Returned On date (%(ret)s) "
                        "must not be before its Issue Date (%(issue)s).",
                        tender=guarantee.tender_id.display_name,
                        ret=guarantee.date_returned,
                        issue=guarantee.date_issue,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # before the row is written (the database CHECK names no guarantee)
        for vals in vals_list:
            self._kam_check_amount(
                vals.get("amount"),
                self.env["kam.tender"].browse(vals.get("tender_id")),
                vals.get("name"),
            )
        guarantees = super().create(vals_list)
        guarantees._kam_sync_expiry_activity()
        return guarantees

    def write(self, vals):
        res = super().write(vals)
        if {"date_expiry", "date_returned", "amount"} & set(vals):
            self._kam_sync_expiry_activity()
        return res

    def unlink(self):
        self.activity_id.unlink()
        return super().unlink()

    def _kam_sync_expiry_activity(self):
        """A reminder on the tender, for its KAM, the company's notice days
        before the guarantee expires, while it is not returned."""
        activity_type = self.env.ref(
            "kam_management.mail_activity_type_tender_guarantee",
            raise_if_not_found=False,
        )
        model_id = self.env["ir.model"]._get_id("kam.tender")
        for guarantee in self:
            if guarantee.date_returned or not guarantee.date_expiry:
                if guarantee.activity_id:
                    guarantee.activity_id.unlink()
                continue
            notice = guarantee.company_id.kam_tender_guarantee_notice_days
            vals = {
                "summary": self.env._(
                    "Bid guarantee %(name)s expires on %(date)s",
                    name=guarantee.name or "",
                    date=guarantee.date_expiry,
                ),
                "date_deadline": guarantee.date_expiry - timedelta(days=notice),
                "user_id": guarantee.tender_id.user_id.id or self.env.uid,
            }
            if guarantee.activity_id:
                guarantee.activity_id.write(vals)
            else:
                vals.update(
                    res_model_id=model_id,
                    res_id=guarantee.tender_id.id,
                    activity_type_id=activity_type.id if activity_type else False,
                )
                guarantee.activity_id = self.env["mail.activity"].create(vals)
