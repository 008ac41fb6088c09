# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .kam_dossier_member import ATTITUDE, INFLUENCE


class KamDealRole(models.Model):
    """Role and attitude of a person in one deal (opportunity, quotation,
    tender): defaults from the dossier, edited here without changing
    the dossier. Exactly one document field is set."""

    _name = "kam.deal.role"
    _description = "Deal Role"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        ondelete="cascade",
    )
    order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Quotation",
        index="btree_not_null",
        ondelete="cascade",
    )
    tender_id = fields.Many2one(
        comodel_name="kam.tender",
        index="btree_not_null",
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Person",
        required=True,
        ondelete="cascade",
        domain="[('is_company', '=', False)]",
    )
    function = fields.Char(related="partner_id.function")
    role_id = fields.Many2one(comodel_name="kam.decision.role", ondelete="restrict")
    argument_hint = fields.Text(related="role_id.argument_hint")
    influence = fields.Selection(selection=INFLUENCE, default="medium", required=True)
    attitude = fields.Selection(selection=ATTITUDE, default="neutral", required=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "one_document",
            "CHECK(num_nonnulls(lead_id, order_id, tender_id) = 1)",
            "A deal role belongs to exactly one opportunity, quotation or tender.",
        ),
    ]
