# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamKeyReason(models.Model):
    """A qualitative reason why a customer is a key account (MISSION.md §1)."""

    _name = "kam.key.reason"
    _description = "Key Account Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(
        translate=True,
        help="What the reason means and which evidence supports it.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "A key account reason must be unique."),
    ]
