# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    kam_absent_from = fields.Date(
        string="Absent From",
        help="First day of an absence (vacation, illness). While absent, the "
        "deputy of each of the user's key accounts receives its activities and "
        "reminders.",
    )
    kam_absent_until = fields.Date(
        string="Absent Until",
        help="Last day of the absence (included).",
    )

    _sql_constraints = [
        (
            "kam_absence_order",
            "CHECK(kam_absent_from IS NULL OR kam_absent_until IS NULL "
            "OR kam_absent_from <= kam_absent_until)",
            "An absence must end on or after the day it starts.",
        ),
    ]

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["kam_absent_from", "kam_absent_until"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["kam_absent_from", "kam_absent_until"]

    @api.model
    def _kam_absent_ids(self, day=None):
        """Ids of the users of ``self`` absent on ``day`` (default: today)."""
        day = day or fields.Date.context_today(self)
        return {
            user.id
            for user in self
            if user.kam_absent_from
            and user.kam_absent_from <= day
            and (not user.kam_absent_until or day <= user.kam_absent_until)
        }
