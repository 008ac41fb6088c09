# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamPersonalDataLog(models.Model):
    """Who changed which personal-data fields of a contact, and when; never
    the values. Readable by the KAM: Personal Data group only."""

    _name = "kam.personal.data.log"
    _description = "Personal Data Change Log"
    _order = "create_date desc, id desc"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Changed By",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    field_names = fields.Char(string="Fields Changed", required=True, readonly=True)
