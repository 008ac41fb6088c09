# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kam_dossier_member import ATTITUDE, INFLUENCE


class KamDealRole(models.Model):
    """Role and attitude of a person in one deal (opportunity, quotation,
    tender): defaults from the dossier, edited here without changing
    the dossier. Exactly one document field is set."""

    _name = "kam.deal.role"
    _description = "Deal Role"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        ondelete="cascade",
    )
    order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Quotation",
        index="btree_not_null",
        ondelete="cascade",
    )
    tender_id = fields.Many2one(
        comodel_name="kam.tender",
        index="btree_not_null",
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Person",
        required=True,
        ondelete="cascade",
        domain="[('is_company', '=', False), ('id', 'child_of', account_partner_id)] "
        "if account_partner_id else [('is_company', '=', False)]",
        help="A contact of the customer's company (or a person of the "
        "customer's dossier, copied from it).",
    )
    account_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Account",
        compute="_compute_account_partner_id",
        help="The customer's company (commercial partner) of the document: "
        "the person is one of its contacts.",
    )
    function = fields.Char(related="partner_id.function")
    role_id = fields.Many2one(comodel_name="kam.decision.role", ondelete="restrict")
    argument_hint = fields.Text(related="role_id.argument_hint")
    influence = fields.Selection(selection=INFLUENCE, default="medium", required=True)
    attitude = fields.Selection(selection=ATTITUDE, default="neutral", required=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "one_document",
            "CHECK(num_nonnulls(lead_id, order_id, tender_id) = 1)",
            "A deal role belongs to exactly one opportunity, quotation or tender.",
        ),
    ]

    @api.depends(
        "lead_id.partner_id.commercial_partner_id",
        "order_id.partner_id.commercial_partner_id",
        "tender_id.partner_id.commercial_partner_id",
    )
    def _compute_account_partner_id(self):
        for line in self:
            document = line.lead_id or line.order_id or line.tender_id
            line.account_partner_id = document.partner_id.commercial_partner_id

    @api.constrains("partner_id", "lead_id", "order_id", "tender_id")
    def _check_partner_account(self):
        """The person is a contact of the document's customer company (the
        company itself, its contacts and sub-companies and their contacts),
        or a member of that account's dossier (a consultant, a person of the
        parent group: copied from the dossier). A document without customer
        takes anybody."""
        lines = self.filtered("account_partner_id")
        outside = lines.filtered(
            lambda line: not line._kam_is_contact_of(
                line.partner_id, line.account_partner_id
            )
        )
        if not outside:
            return
        # membership read as superuser: the copy of a dossier made by a KAM
        # stays valid when a salesperson copies or edits the document
        members = (
            self.env["kam.dossier.member"]
            .sudo()
            .search(
                [
                    ("dossier_id.partner_id", "in", outside.account_partner_id.ids),
                    ("partner_id", "in", outside.partner_id.ids),
                ]
            )
        )
        in_dossier = {(m.dossier_id.partner_id.id, m.partner_id.id) for m in members}
        for line in outside:
            if (line.account_partner_id.id, line.partner_id.id) in in_dossier:
                continue
            document = line.lead_id or line.order_id or line.tender_id
            raise ValidationError(
                self.env._(
                    "Buying group of %(document)s: %(person)s is not a contact "
                    "of the customer %(account)s. Choose a person of "
                    "%(account)s (field Person).",
                    document=document.display_name,
                    person=line.partner_id.display_name,
                    account=line.account_partner_id.display_name,
                )
            )

    @staticmethod
    def _kam_is_contact_of(person, account):
        """Whether ``person`` is ``account`` or one of its descendants
        (parent chain, read from the prefetched partners)."""
        seen = set()
        while person and person.id not in seen:
            if person == account:
                return True
            seen.add(person.id)
            person = person.parent_id
        return False
