# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class KamFollowupSequence(models.Model):
    _name = "kam.followup.sequence"
    _description = "Proposal Follow-up Sequence"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to use the sequence in every company.",
    )
    scope = fields.Selection(
        selection=[
            ("key_account", "Key accounts"),
            ("all", "All customers"),
        ],
        required=True,
        default="key_account",
        help="Quotations of which customers start this sequence when sent.",
    )
    step_ids = fields.One2many(
        comodel_name="kam.followup.step",
        inverse_name="sequence_id",
        string="Steps",
        copy=True,
    )
    step_count = fields.Integer(compute="_compute_step_count")

    @api.depends("step_ids")
    def _compute_step_count(self):
        for followup in self:
            followup.step_count = len(followup.step_ids)

    @api.model
    def _kam_for_orders(self, orders):
        """{order id: sequence} for the orders whose customer falls in the
        scope of an active sequence of the order's company (first by order)."""
        if not orders:
            return {}
        sequences = self.search(
            [
                ("step_ids", "!=", False),
                ("company_id", "in", [False, *orders.company_id.ids]),
            ]
        )
        result = {}
        for order in orders:
            is_key = order.partner_id.commercial_partner_id.kam_is_key_account
            for followup in sequences:
                if followup.company_id and followup.company_id != order.company_id:
                    continue
                if followup.scope == "key_account" and not is_key:
                    continue
                result[order.id] = followup
                break
        return result
