# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "kam.deal.role.mixin"]

    # --- dossiers ---
    kam_deal_role_ids = fields.One2many(
        comodel_name="kam.deal.role",
        inverse_name="lead_id",
        string="Buying Group",
        copy=True,
        help="Role and attitude of each person in this deal; defaults from the "
        "dossier of the customer, changes here leave the dossier unchanged.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._kam_fill_deal_roles()
        return leads

    def write(self, vals):
        res = super().write(vals)
        if vals.get("partner_id"):
            self._kam_fill_deal_roles()
        return res
