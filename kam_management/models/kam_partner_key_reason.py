# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamPartnerKeyReason(models.Model):
    """Why one key account is key: a reason with an optional evidence note."""

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
