# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamProfessionalHoliday(models.Model):
    """A yearly professional holiday (e.g. Metallurgist's Day) on which the
    members of a dossier are greeted: those with the given role, or those
    whose company is in the given industry."""

    _name = "kam.professional.holiday"
    _description = "Professional Holiday"
    _order = "month, day, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    month = fields.Integer(required=True, help="Month of the holiday (1-12).")
    day = fields.Integer(required=True, help="Day of the month (1-31).")
    role_id = fields.Many2one(
        comodel_name="kam.decision.role",
        ondelete="cascade",
        help="Greet the dossier members with this role.",
    )
    industry_id = fields.Many2one(
        comodel_name="res.partner.industry",
        ondelete="cascade",
        help="Greet the dossier members whose company is in this industry.",
    )

    @api.constrains("month", "day", "role_id", "industry_id")
    def _check_date_and_target(self):
        for holiday in self:
            if not 1 <= holiday.month <= 12 or not (
                1 <= holiday.day <= calendar.monthrange(2024, holiday.month)[1]
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s: day %(day)s of month %(month)s is not a date.",
                        name=holiday.name,
                        day=holiday.day,
                        month=holiday.month,
                    )
                )
            if not holiday.role_id and not holiday.industry_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s: set the Role or the Industry whose people "
                        "celebrate it.",
                        name=holiday.name,
                    )
                )
