# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class KamDealRoleMixin(models.AbstractModel):
    """Deal roles on a document (opportunity, quotation, tender).

    The inheriting model declares ``kam_deal_role_ids``, a One2many to
    ``kam.deal.role`` on the Many2one of that model (``lead_id``,
    ``order_id``, ...), and may override ``_kam_deal_role_defaults``."""

    _name = "kam.deal.role.mixin"
    _description = "Deal Roles Mixin"

    def _kam_dossiers_by_partner(self):
        """{key account: dossier} for the customers of ``self``, one query.
        Read as superuser: a salesperson without access to the dossier still
        gets the buying group on the deal."""
        partners = self.partner_id.commercial_partner_id
        dossiers = (
            self.env["kam.dossier"].sudo().search([("partner_id", "in", partners.ids)])
        )
        return {dossier.partner_id: dossier for dossier in dossiers}

    def _kam_deal_role_defaults(self, dossiers_by_partner):
        """Values of the default lines of ``self``: a copy of its dossier."""
        self.ensure_one()
        dossier = dossiers_by_partner.get(self.partner_id.commercial_partner_id)
        if not dossier:
            return []
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

    def _kam_create_deal_roles(self, records):
        dossiers = records._kam_dossiers_by_partner()
        inverse = self._fields["kam_deal_role_ids"].inverse_name
        vals_list = [
            dict(vals, **{inverse: record.id})
            for record in records
            for vals in record._kam_deal_role_defaults(dossiers)
        ]
        self.env["kam.deal.role"].create(vals_list)

    def _kam_fill_deal_roles(self):
        """Give the documents of key accounts without deal roles those of the
        dossier (other customers cost no query)."""
        todo = self.filtered(
            lambda r: r.partner_id.commercial_partner_id.kam_is_key_account
        ).filtered(lambda r: not r.kam_deal_role_ids)
        if todo:
            self._kam_create_deal_roles(todo)

    def action_kam_reset_deal_roles(self):
        """Replace the deal roles by the defaults (the dossier, today)."""
        self.kam_deal_role_ids.unlink()
        self._kam_create_deal_roles(self)
        return True
