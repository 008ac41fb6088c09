# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamTenderDocument(models.Model):
    _name = "kam.tender.document"
    _description = "Tender Document"
    _order = "tender_id, sequence, id"
    _check_company_auto = True

    tender_id = fields.Many2one(
        comodel_name="kam.tender",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="tender_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    required = fields.Boolean(default=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        selection=[
            ("todo", "To Do"),
            ("in_progress", "In Progress"),
            ("ready", "Ready"),
            ("not_applicable", "Not Applicable"),
        ],
        string="Status",
        required=True,
        default="todo",
    )
    attachment = fields.Binary(attachment=True, copy=False)
    attachment_name = fields.Char(copy=False)
    note = fields.Char(string="Notes")
