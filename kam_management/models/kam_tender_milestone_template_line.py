# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamTenderMilestoneTemplateLine(models.Model):
    _name = "kam.tender.milestone.template.line"
    _description = "Tender Milestone Template Line"
    _order = "template_id, offset_days desc, sequence, id"

    template_id = fields.Many2one(
        comodel_name="kam.tender.milestone.template",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    offset_days = fields.Integer(
        string="Days Before Deadline",
        required=True,
        help="The milestone is due this many calendar days before the "
        "submission deadline (T minus this number).",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        domain="[('share', '=', False)]",
        help="Leave empty: the customer's KAM (or the deputy while the KAM is "
        "absent on the milestone date), else the tender's KAM.",
    )
    note = fields.Text()

    @api.constrains("offset_days")
    def _check_offset_days(self):
        for line in self:
            if line.offset_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the days before deadline cannot be negative.",
                        name=line.name,
                    )
                )
