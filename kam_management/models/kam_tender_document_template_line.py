# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamTenderDocumentTemplateLine(models.Model):
    _name = "kam.tender.document.template.line"
    _description = "Tender Document Checklist Template Line"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        comodel_name="kam.tender.document.template",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    required = fields.Boolean(default=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        domain="[('share', '=', False)]",
        help="Leave empty: the tender's KAM.",
    )
