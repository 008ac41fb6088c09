# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class KamFollowupStep(models.Model):
    _name = "kam.followup.step"
    _description = "Proposal Follow-up Step"
    _order = "sequence_id, offset_days, sequence, id"
    _rec_name = "summary"

    sequence_id = fields.Many2one(
        comodel_name="kam.followup.sequence",
        string="Follow-up Sequence",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    offset_days = fields.Integer(
        string="Working Days After Sending",
        required=True,
        default=1,
        help="The activity of this step is due this many working days (company "
        "working schedule) after the quotation was sent.",
    )
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        required=True,
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'sale.order')]",
        default=lambda self: self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        ),
    )
    summary = fields.Char(required=True, translate=True)
    note = fields.Html(translate=True)

    _sql_constraints = [
        (
            "offset_positive",
            "CHECK(offset_days >= 0)",
            "The working days after sending of a follow-up step cannot be negative.",
        ),
    ]

    @api.depends(
        "sequence_id.name",
        "sequence_id.step_ids",
        "summary",
        "activity_type_id.name",
    )
    def _compute_display_name(self):
        """ "<sequence> – step <n>: <summary>", n the position of the step in
        its sequence (its order, 1 for the first); the activity type when the
        summary is empty (a new line)."""
        for step in self:
            steps = step.sequence_id.step_ids
            number = (
                steps.ids.index(step.id) + 1 if step.id in steps.ids else len(steps)
            )
            step.display_name = self.env._(
                "%(sequence)s – step %(number)s: %(summary)s",
                sequence=step.sequence_id.name or "",
                number=number or 1,
                summary=step.summary or step.activity_type_id.name or "",
            )
