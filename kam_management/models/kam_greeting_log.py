# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamGreetingLog(models.Model):
    """Occasions already reminded, so that each is reminded once."""

    _name = "kam.greeting.log"
    _description = "Greeting Reminder Log"
    _order = "occasion_date desc, id desc"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Person",
        required=True,
        index=True,
        ondelete="cascade",
    )
    occasion = fields.Char(
        required=True, help="'birthday' or 'holiday_<id>' of a professional holiday."
    )
    occasion_date = fields.Date(required=True)

    _sql_constraints = [
        (
            "occasion_uniq",
            "UNIQUE(partner_id, occasion, occasion_date)",
            "This occasion was already reminded.",
        ),
    ]
