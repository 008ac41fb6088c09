# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamTenderDocumentTemplate(models.Model):
    _name = "kam.tender.document.template"
    _description = "Tender Document Checklist Template"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to share the checklist between companies.",
    )
    line_ids = fields.One2many(
        comodel_name="kam.tender.document.template.line",
        inverse_name="template_id",
        string="Documents",
        copy=True,
    )
