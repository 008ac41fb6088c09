# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


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

    # --- tenders ---
    kam_tender_id = fields.Many2one(
        comodel_name="kam.tender",
        string="Tender",
        index="btree_not_null",
        copy=False,
        check_company=True,
        groups="kam_management.group_kam_user",
        help="The tender this opportunity is about.",
    )

    def action_view_kam_tender(self):
        self.ensure_one()
        return self.kam_tender_id.get_formview_action()

    def action_kam_create_tender(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "%(lead)s: set the Customer before creating a tender.",
                    lead=self.name,
                )
            )
        if self.kam_tender_id:
            raise UserError(
                self.env._(
                    "%(lead)s is already linked to the tender %(tender)s.",
                    lead=self.name,
                    tender=self.kam_tender_id.display_name,
                )
            )
        tender = self.env["kam.tender"].create(
            {
                "name": self.name,
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": (self.company_id or self.env.company).id,
                "user_id": self.user_id.id,
                "estimated_value": self.expected_revenue,
                "probability": self.probability,
                "lead_id": self.id,
            }
        )
        self.kam_tender_id = tender
        return self.action_view_kam_tender()

    def action_set_won(self):
        result = super().action_set_won()
        self.env["kam.referral"]._kam_ask_for_referral(
            self.partner_id.commercial_partner_id
        )
        return result
