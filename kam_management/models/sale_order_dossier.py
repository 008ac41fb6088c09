# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "kam.deal.role.mixin"]  # pylint: disable=consider-merging-classes-inherited

    kam_deal_role_ids = fields.One2many(
        comodel_name="kam.deal.role",
        inverse_name="order_id",
        string="Buying Group",
        copy=True,
        help="The buying group of the customer with the role, attitude and "
        "argument hint of each person; defaults from the opportunity, else from "
        "the dossier.",
    )
    kam_is_key_account = fields.Boolean(
        related="partner_id.commercial_partner_id.kam_is_key_account",
        string="Key Account Customer",
    )

    def _kam_deal_role_defaults(self, dossiers_by_partner):
        """The roles of the opportunity when the current user may read it, it
        has some and it is of the same customer company, else the dossier."""
        opportunity = self.opportunity_id.with_env(self.env(su=False))
        opportunity = opportunity._filtered_access("read")
        lines = opportunity.kam_deal_role_ids
        if (
            opportunity.partner_id.commercial_partner_id
            != self.partner_id.commercial_partner_id
        ):
            lines = lines.browse()
        if lines:
            return [
                {
                    "sequence": line.sequence,
                    "partner_id": line.partner_id.id,
                    "role_id": line.role_id.id,
                    "influence": line.influence,
                    "attitude": line.attitude,
                    "note": line.note,
                }
                for line in lines
            ]
        return super()._kam_deal_role_defaults(dossiers_by_partner)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._kam_fill_deal_roles()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if vals.get("partner_id"):
            self._kam_fill_deal_roles()
        return res
