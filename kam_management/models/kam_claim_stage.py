# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamClaimStage(models.Model):
    _name = "kam.claim.stage"
    _description = "Claim Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Claims in this stage are closed: resolved or rejected. They no "
        "longer count as open or overdue and get a resolution date.",
    )
    is_rejected = fields.Boolean(
        string="Rejection Stage",
        help="A closing stage for claims found unfounded.",
    )
