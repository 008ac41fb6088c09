# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError


class KamPartnerKeyReason(models.Model):
    """Why one key account is key: a reason with an optional evidence note.

    KAM Users read the reasons of their accounts; KAM Managers give them
    (access rights). Every change of the reasons of an account is tracked in
    its chatter as a change of the field Key Reasons, whose tracking values
    only KAM users can read (the field's groups)."""

    _name = "kam.partner.key.reason"
    _description = "Key Account Reason of a Partner"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        ondelete="cascade",
        index=True,
    )
    reason_id = fields.Many2one(
        comodel_name="kam.key.reason",
        required=True,
        ondelete="restrict",
    )
    sequence = fields.Integer(related="reason_id.sequence", store=True)
    note = fields.Text(
        string="Evidence",
        help="Facts supporting the reason, e.g. 'reference customer in our "
        "2026 brochure' or 'buys 60% of its sensors from competitors'.",
    )

    _sql_constraints = [
        (
            "partner_reason_unique",
            "UNIQUE(partner_id, reason_id)",
            "A reason is given once per key account.",
        ),
    ]

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for line in self:
            if line.partner_id != line.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: key account reasons are recorded on the "
                        "company (%(company)s), not on its contacts.",
                        partner=line.partner_id.display_name,
                        company=line.partner_id.commercial_partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        before = self._kam_reasons_of(partners)
        lines = super().create(vals_list)
        self._kam_track_reasons(partners, before)
        return lines

    def write(self, vals):
        partners = self.partner_id
        if vals.get("partner_id"):
            partners |= partners.browse(vals["partner_id"])
        before = self._kam_reasons_of(partners)
        res = super().write(vals)
        self._kam_track_reasons(partners, before)
        return res

    def unlink(self):
        partners = self.partner_id
        before = self._kam_reasons_of(partners)
        res = super().unlink()
        self._kam_track_reasons(partners, before)
        return res

    @api.model
    def _kam_reasons_of(self, partners):
        """{partner id: its reasons} of the accounts ``partners``."""
        partners = partners.sudo()
        partners.invalidate_recordset(["kam_reason_line_ids"])
        return {
            partner.id: partner.kam_reason_line_ids.reason_id for partner in partners
        }

    @api.model
    def _kam_track_reasons(self, partners, before):
        """Log on each account of ``partners`` whose reasons changed since
        ``before`` a tracking of its field Key Reasons (old and new names)."""
        after = self._kam_reasons_of(partners)
        partners = partners.sudo()
        info = partners.fields_get(["kam_reason_ids"])["kam_reason_ids"]
        tracking = self.env["mail.tracking.value"].sudo()
        for partner in partners:
            old, new = before[partner.id], after[partner.id]
            if old == new:
                continue
            partner._message_log(
                tracking_value_ids=[
                    Command.create(
                        tracking._create_tracking_values(
                            old, new, "kam_reason_ids", info, partner
                        )
                    )
                ]
            )
