# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    kam_service_level_note = fields.Text(
        related="partner_id.commercial_partner_id.kam_service_level_note",
        string="Key Account Service Level",
        groups="kam_management.group_kam_user",
    )

    @api.depends("partner_id", "company_id")
    def _compute_pricelist_id(self):
        """Quotations of a key account with a special pricelist propose it."""
        res = super()._compute_pricelist_id()
        for order in self._kam_with_special_terms():
            pricelist = order.partner_id.commercial_partner_id.kam_pricelist_id
            if pricelist and pricelist.company_id in (
                order.company_id,
                self.env["res.company"],
            ):
                order.pricelist_id = pricelist
        return res

    @api.depends("partner_id")
    def _compute_payment_term_id(self):
        """Quotations of a key account with special payment terms propose
        them."""
        res = super()._compute_payment_term_id()
        for order in self._kam_with_special_terms():
            term = order.partner_id.commercial_partner_id.kam_payment_term_id
            if term and term.company_id in (order.company_id, self.env["res.company"]):
                order.payment_term_id = term
        return res

    def _kam_with_special_terms(self):
        """Draft orders whose customer is a key account with special terms."""
        return self.filtered(
            lambda o: o.state == "draft"
            and o.partner_id.commercial_partner_id.kam_has_special_terms
        )
