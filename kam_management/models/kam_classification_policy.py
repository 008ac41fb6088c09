# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamClassificationPolicy(models.Model):
    """Rules that decide, from posted invoices, which customers are key."""

    _name = "kam.classification.policy"
    _description = "Key Account Classification Policy"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    basis = fields.Selection(
        selection=[("revenue", "Revenue"), ("margin", "Margin")],
        required=True,
        default="margin",
        tracking=True,
        help="Amount customers are ranked by: untaxed invoiced revenue, or the "
        "margin Odoo's Invoicing analysis computes (revenue minus product cost).",
    )
    period_months = fields.Integer(
        string="Period (months)",
        required=True,
        default=12,
        tracking=True,
        help="Rolling period of posted invoices, ending on the day of the run.",
    )
