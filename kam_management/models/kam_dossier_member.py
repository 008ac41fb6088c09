# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

INFLUENCE = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
ATTITUDE = [
    ("supporter", "Supporter"),
    ("mentor", "Mentor"),
    ("neutral", "Neutral"),
    ("non_supporter", "Non-supporter"),
    ("opponent", "Opponent"),
]


class KamDossierMember(models.Model):
    """A person of the buying group of a key account."""

    _name = "kam.dossier.member"
    _description = "Dossier Member"
    _order = "dossier_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    dossier_id = fields.Many2one(
        comodel_name="kam.dossier",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Person",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('is_company', '=', False), ('id', 'child_of', dossier_partner_id)]",
        help="A contact of the key account (its company, its contacts, its "
        "sub-companies and their contacts).",
    )
    dossier_partner_id = fields.Many2one(
        related="dossier_id.partner_id", string="Key Account"
    )
    function = fields.Char(related="partner_id.function")
    parent_id = fields.Many2one(related="partner_id.parent_id", string="Employer")
    role_id = fields.Many2one(
        comodel_name="kam.decision.role",
        ondelete="restrict",
        help="Role in the decision.",
    )
    argument_hint = fields.Text(related="role_id.argument_hint")
    influence = fields.Selection(selection=INFLUENCE, default="medium", required=True)
    attitude = fields.Selection(
        selection=ATTITUDE,
        default="neutral",
        required=True,
        help="Attitude to us, from supporter to opponent.",
    )
    relationship_strength = fields.Selection(
        selection=[
            ("1", "1 - Very weak"),
            ("2", "2 - Weak"),
            ("3", "3 - Fair"),
            ("4", "4 - Strong"),
            ("5", "5 - Very strong"),
        ],
        default="3",
        required=True,
    )
    decision_orientation = fields.Selection(
        selection=[
            ("financial", "Financial"),
            ("technical", "Technical"),
            ("relationship", "Relationship"),
            ("business", "Business"),
        ],
        help="What the person looks at first when deciding.",
    )
    is_vip = fields.Boolean(string="VIP")
    is_kol = fields.Boolean(string="KOL", help="Key opinion leader.")
    last_contact_date = fields.Date(
        compute="_compute_last_contact_date",
        help="Last message logged on or sent by the person, last activity done "
        "on the person, or last past meeting they attended.",
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "dossier_partner_uniq",
            "UNIQUE(dossier_id, partner_id)",
            "A person is a member of a dossier once only.",
        ),
    ]

    @api.depends("partner_id")
    def _compute_last_contact_date(self):
        dates = self.partner_id._kam_last_contact_dates()
        for member in self:
            member.last_contact_date = dates.get(member.partner_id.id, False)
