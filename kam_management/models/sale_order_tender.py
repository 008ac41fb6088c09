# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    kam_tender_id = fields.Many2one(
        comodel_name="kam.tender",
        string="Tender",
        index="btree_not_null",
        copy=False,
        check_company=True,
        groups="kam_management.group_kam_user",
        help="The tender this quotation answers.",
    )
    kam_contract_end_date = fields.Date(
        string="Contract End",
        copy=False,
        tracking=True,
        help="End of the contract of this confirmed order. Without a tender "
        "behind it, a new tender watch is created before that date (see the "
        "company's re-tender lead time).",
    )

    def action_view_kam_tender(self):
        self.ensure_one()
        return self.kam_tender_id.get_formview_action()

    def action_kam_create_tender(self):
        self.ensure_one()
        if self.kam_tender_id:
            raise UserError(
                self.env._(
                    "%(order)s is already linked to the tender %(tender)s.",
                    order=self.name,
                    tender=self.kam_tender_id.display_name,
                )
            )
        tender = self.env["kam.tender"].create(
            {
                "name": self.name,
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "currency_id": self.currency_id.id,
                "user_id": self.user_id.id,
                "lead_id": self.opportunity_id.id,
            }
        )
        self.kam_tender_id = tender
        return self.action_view_kam_tender()

    @api.model
    def _kam_create_next_tenders(self, company, horizon, today, batch_size):
        """Next tender watch for confirmed orders without a tender whose
        contract ends before ``horizon``; never twice per order. Returns the
        tenders created and how many orders are left for the next batch."""
        Tender = self.env["kam.tender"].with_context(active_test=False)
        orders = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("kam_tender_id", "=", False),
                ("kam_contract_end_date", "!=", False),
                ("kam_contract_end_date", "<=", horizon),
                ("kam_contract_end_date", ">=", today),
            ]
        )
        if not orders:
            return Tender.browse(), 0
        done = {
            order.id
            for [order] in Tender._read_group(
                [("source_sale_order_id", "in", orders.ids)],
                ["source_sale_order_id"],
            )
        }
        orders = orders.filtered(lambda o: o.id not in done)
        remaining = len(orders[batch_size:])
        orders = orders[:batch_size]
        stage = self.env["kam.tender.stage"].search([("outcome", "=", "open")], limit=1)
        vals_list = []
        for order in orders:
            partner = order.partner_id.commercial_partner_id
            vals_list.append(
                {
                    "name": self.env._("Re-tender: %(order)s", order=order.name),
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "currency_id": order.currency_id.id,
                    "estimated_value": order.amount_untaxed,
                    "user_id": (partner._kam_responsible_user() or order.user_id).id,
                    "team_user_ids": [Command.set(order.user_id.ids)],
                    "stage_id": stage.id,
                    "source_sale_order_id": order.id,
                    "date_award_expected": order.kam_contract_end_date,
                }
            )
        return Tender.create(vals_list), remaining

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # the tender field is for KAM users only; a salesperson editing the
        # quotation still keeps our bid line of the tender up to date
        orders.sudo().kam_tender_id._kam_sync_own_bid()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if "order_line" in vals or "kam_tender_id" in vals or "state" in vals:
            self.sudo().kam_tender_id._kam_sync_own_bid()
        return res
