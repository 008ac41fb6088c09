# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class KamAbsenceWizard(models.TransientModel):
    """A KAM Manager records the absence of a user (vacation, illness):
    while absent, the deputies of the user's key accounts receive their
    activities and reminders."""

    _name = "kam.absence.wizard"
    _description = "Set the Absence of a Key Account Manager"

    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        domain="[('share', '=', False)]",
    )
    date_from = fields.Date(string="Absent From")
    date_until = fields.Date(string="Absent Until")

    @api.onchange("user_id")
    def _onchange_user_id(self):
        user = self.user_id.sudo()
        self.date_from = user.kam_absent_from
        self.date_until = user.kam_absent_until

    @api.constrains("date_from", "date_until")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_until and not wizard.date_from:
                raise ValidationError(
                    self.env._(
                        "Absence of %(user)s: set the first day of the absence "
                        "(Absent From) as well.",
                        user=wizard.user_id.name,
                    )
                )
            if (
                wizard.date_from
                and wizard.date_until
                and wizard.date_from > wizard.date_until
            ):
                raise ValidationError(
                    self.env._(
                        "Absence of %(user)s: 'Absent Until' must be on or "
                        "after 'Absent From'.",
                        user=wizard.user_id.name,
                    )
                )

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("kam_management.group_kam_manager"):
            raise AccessError(
                self.env._("Only a KAM Manager sets the absence of another user.")
            )
        vals = {"kam_absent_from": self.date_from, "kam_absent_until": self.date_until}
        # past days: a KAM Manager for another user, not for himself
        self.user_id._kam_check_absence_change(vals)
        self.user_id.sudo().write(vals)
        return {"type": "ir.actions.act_window_close"}
