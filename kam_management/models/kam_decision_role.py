# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamDecisionRole(models.Model):
    """Role a person plays in a buying decision, with the argument that works
    for that role."""

    _name = "kam.decision.role"
    _description = "Decision Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        selection=[
            ("decision_maker", "Decision maker"),
            ("economic_buyer", "Economic buyer"),
            ("coach", "Coach"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        help="What the role counts as in the dossier completeness: a member "
        "with a role of kind 'Decision maker', 'Economic buyer' or 'Coach' "
        "makes the dossier meet that criterion.",
    )
    argument_hint = fields.Text(
        translate=True,
        help="How to argue a proposal for a person in this role; shown beside "
        "the buying group on quotations.",
    )
    color = fields.Integer()

    _sql_constraints = [
        ("name_uniq", "UNIQUE(name)", "A decision role with this name already exists."),
    ]
