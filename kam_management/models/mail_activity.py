# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    kam_followup_step_id = fields.Many2one(
        comodel_name="kam.followup.step",
        string="Follow-up Step",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        order_ids = [
            activity.res_id
            for activity in self
            if activity.kam_followup_step_id and activity.res_model == "sale.order"
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if order_ids:
            self.env["sale.order"].sudo().browse(
                order_ids
            ).exists()._kam_followup_advance()
        return result
