# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

INFLUENCE = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
ATTITUDE = [
    ("supporter", "Supporter"),
    ("mentor", "Mentor"),
    ("neutral", "Neutral"),
    ("non_supporter", "Non-supporter"),
    ("opponent", "Opponent"),
]
# card colour of the org chart (index of Odoo's colour palette; 0 is grey)
ATTITUDE_COLOR = {
    "supporter": 10,
    "mentor": 10,
    "neutral": 0,
    "non_supporter": 2,
    "opponent": 1,
}


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
    reports_to_id = fields.Many2one(
        comodel_name="kam.dossier.member",
        index="btree_not_null",
        ondelete="set null",
        domain="[('dossier_id', '=', dossier_id), ('id', '!=', id)]",
        help="The member of the same buying group this person reports to "
        "(the org chart).",
    )
    subordinate_ids = fields.One2many(
        comodel_name="kam.dossier.member",
        inverse_name="reports_to_id",
        string="Direct Reports",
    )
    attitude_color = fields.Integer(
        compute="_compute_attitude_color",
        help="Card colour of the org chart: green for supporters and mentors, "
        "grey for neutral people, orange for non-supporters, red for opponents.",
    )

    _sql_constraints = [
        (
            "dossier_partner_uniq",
            "UNIQUE(dossier_id, partner_id)",
            "A person is a member of a dossier once only.",
        ),
    ]

    @api.depends("attitude")
    def _compute_attitude_color(self):
        for member in self:
            member.attitude_color = ATTITUDE_COLOR.get(member.attitude, 0)

    @api.constrains("reports_to_id", "dossier_id")
    def _check_reports_to(self):
        for member in self.filtered("reports_to_id"):
            manager = member.reports_to_id
            if manager.dossier_id != member.dossier_id:
                raise ValidationError(
                    self.env._(
                        "%(person)s cannot report to %(manager)s: both must be "
                        "members of the same dossier (field Reports To).",
                        person=member.partner_id.display_name,
                        manager=manager.partner_id.display_name,
                    )
                )
        if self._has_cycle("reports_to_id"):
            raise ValidationError(
                self.env._(
                    "Reports To of %(people)s would make a loop in the org chart: "
                    "nobody can report, even indirectly, to themselves.",
                    people=", ".join(self.partner_id.mapped("display_name")),
                )
            )

    @api.depends("partner_id")
    def _compute_last_contact_date(self):
        dates = self.partner_id._kam_last_contact_dates()
        for member in self:
            member.last_contact_date = dates.get(member.partner_id.id, False)
