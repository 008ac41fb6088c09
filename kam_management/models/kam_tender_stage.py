# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class KamTenderStage(models.Model):
    _name = "kam.tender.stage"
    _description = "Tender Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Closed stages (won, lost, cancelled) are folded in the kanban.",
    )
    outcome = fields.Selection(
        selection=[
            ("open", "Open"),
            ("won", "Won"),
            ("lost", "Lost"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="open",
        help="Won and lost tenders count in the win rate; open and cancelled "
        "ones do not.",
    )
    requires_deadline = fields.Boolean(
        string="Submission Deadline Required",
        help="A tender cannot reach this stage without a submission deadline.",
    )
    is_submitted = fields.Boolean(
        string="Bid Submitted",
        help="From this stage on, the bid is submitted: the submission "
        "deadline is no longer tracked (no due soon / overdue state).",
    )
    description = fields.Text(translate=True)
