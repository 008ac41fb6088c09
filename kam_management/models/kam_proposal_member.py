# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class KamProposalMember(models.Model):
    _name = "kam.proposal.member"
    _description = "Proposal Team Member"
    _order = "order_id, sequence, id"
    _check_company_auto = True

    order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Quotation",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Member",
        required=True,
        domain="[('share', '=', False)]",
        check_company=True,
    )
    role = fields.Char(
        required=True,
        translate=False,
        help="What the member contributed, e.g. solution design, pricing.",
    )
    phone = fields.Char(
        compute="_compute_phone",
        store=True,
        readonly=False,
        help="Printed on the quotation; defaults to the member's phone.",
    )
    email = fields.Char(related="user_id.email", string="Email")

    _sql_constraints = [
        (
            "member_unique",
            "UNIQUE(order_id, user_id)",
            "A person is listed once in the proposal team of a quotation.",
        ),
    ]

    @api.depends("user_id")
    def _compute_phone(self):
        for member in self:
            member.phone = member.user_id.phone or member.user_id.mobile or False
