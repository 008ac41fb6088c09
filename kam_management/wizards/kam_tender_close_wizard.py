# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class KamTenderCloseWizard(models.TransientModel):
    """Mark a tender as lost (a loss reason from the list, optionally the
    winner) or cancelled (a reason in free text): nothing changes until it
    is confirmed."""

    _name = "kam.tender.close.wizard"
    _description = "Close a Tender as Lost or Cancelled"

    tender_id = fields.Many2one(
        comodel_name="kam.tender", required=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="tender_id.currency_id")
    outcome = fields.Selection(
        selection=[("lost", "Lost"), ("cancelled", "Cancelled")],
        required=True,
        default="lost",
    )
    loss_reason_id = fields.Many2one(comodel_name="kam.tender.loss.reason")
    reason = fields.Text(
        help="Why the tender was cancelled (lost: an optional comment)."
    )
    awarded_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Awarded Company",
        help="The competitor the contract went to, when known.",
    )
    awarded_amount = fields.Monetary()

    @api.onchange("awarded_partner_id")
    def _onchange_awarded_partner_id(self):
        bid = self.tender_id.bid_ids.filtered(
            lambda b: b.partner_id == self.awarded_partner_id
        )[:1]
        if bid and not self.awarded_amount:
            self.awarded_amount = bid.amount

    def action_confirm(self):
        self.ensure_one()
        tender = self.tender_id
        reason = (self.reason or "").strip()
        if self.outcome == "lost" and not self.loss_reason_id:
            raise UserError(
                self.env._(
                    "%(tender)s: choose the Loss Reason.", tender=tender.display_name
                )
            )
        if self.outcome == "cancelled" and not reason:
            raise UserError(
                self.env._(
                    "%(tender)s: write why the tender is cancelled (Reason).",
                    tender=tender.display_name,
                )
            )
        vals = {"stage_id": tender._kam_stage_of(self.outcome).id}
        if self.outcome == "lost":
            vals["loss_reason_id"] = self.loss_reason_id.id
            if self.awarded_partner_id:
                vals["awarded_partner_id"] = self.awarded_partner_id.id
                vals["awarded_amount"] = self.awarded_amount
            body = self.env._(
                "Tender lost. Loss reason: %(reason)s.",
                reason=self.loss_reason_id.display_name,
            )
            if reason:
                body = Markup("%s<br/>%s") % (body, reason)
        else:
            vals["cancel_reason"] = reason
            body = self.env._("Tender cancelled. Reason: %(reason)s", reason=reason)
        tender.write(vals)
        tender.message_post(body=body)
        return {"type": "ir.actions.act_window_close"}
