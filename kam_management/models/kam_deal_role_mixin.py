# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.fields import Command


class KamDealRoleMixin(models.AbstractModel):
    """Deal roles on a document (opportunity, quotation, tender).

    The inheriting model declares ``kam_deal_role_ids`` (One2many to
    ``kam.deal.role`` on its own Many2one field of that model)."""

    _name = "kam.deal.role.mixin"
    _description = "Deal Roles Mixin"

    def _kam_deal_role_partner(self):
        """The key account whose dossier gives the default roles."""
        return self.partner_id.commercial_partner_id

    def _kam_deal_role_defaults(self):
        """Values of the default lines of ``self``: a copy of its dossier."""
        self.ensure_one()
        partner = self._kam_deal_role_partner()
        if not partner:
            return []
        dossier = (
            self.env["kam.dossier"]
            .sudo()
            .search([("partner_id", "=", partner.id)], limit=1)
        )
        return [
            {
                "sequence": member.sequence,
                "partner_id": member.partner_id.id,
                "role_id": member.role_id.id,
                "influence": member.influence,
                "attitude": member.attitude,
            }
            for member in dossier.member_ids
            if member.partner_id.active
        ]

    def _kam_fill_deal_roles(self):
        """Give the documents without deal roles those of the dossier."""
        for record in self:
            if record.kam_deal_role_ids:
                continue
            vals_list = record._kam_deal_role_defaults()
            if vals_list:
                record.kam_deal_role_ids = [Command.create(v) for v in vals_list]

    def action_kam_reset_deal_roles(self):
        """Replace the deal roles by the defaults (the dossier, today)."""
        for record in self:
            record.kam_deal_role_ids = [Command.clear()] + [
                Command.create(v) for v in record._kam_deal_role_defaults()
            ]
        return True
