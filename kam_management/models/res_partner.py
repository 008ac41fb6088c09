# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

KAM_TEAM_MAX = 3


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_is_key_account = fields.Boolean(
        string="Key Account",
        tracking=True,
        index=True,
        help="The company is managed as a key account.",
    )
    kam_tier = fields.Selection(
        selection=[
            ("strategic", "Strategic"),
            ("key", "Key"),
            ("developing", "Developing"),
            ("regular", "Regular"),
        ],
        string="Tier",
        tracking=True,
        index=True,
    )
    kam_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Key Account Manager",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="The KAM who owns the relationship with this account.",
    )
    kam_deputy_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Deputy KAM",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Takes over activities and reminders while the KAM is absent.",
    )
    kam_team_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="kam_partner_team_user_rel",
        column1="partner_id",
        column2="user_id",
        string="KAM Team",
        domain="[('share', '=', False)]",
        help=f"Up to {KAM_TEAM_MAX} account managers serving this key account.",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "kam_is_key_account",
            "kam_tier",
            "kam_user_id",
            "kam_deputy_user_id",
            "kam_team_user_ids",
        ]

    @api.constrains("kam_team_user_ids")
    def _check_kam_team_size(self):
        for partner in self:
            if len(partner.kam_team_user_ids) > KAM_TEAM_MAX:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: a key account is served by at most %(max)s "
                        "account managers (the KAM team has %(count)s).",
                        partner=partner.display_name,
                        max=KAM_TEAM_MAX,
                        count=len(partner.kam_team_user_ids),
                    )
                )

    def _kam_responsible_user(self, day=None):
        """The user who acts for this account on ``day``: the KAM, or the
        deputy while the KAM is absent. Falls back to the salesperson."""
        self.ensure_one()
        partner = self.commercial_partner_id
        kam = partner.kam_user_id
        if kam and partner.kam_deputy_user_id and kam.id in kam._kam_absent_ids(day):
            return partner.kam_deputy_user_id
        return kam or partner.user_id

    # --- dossiers ---
    kam_birthdate = fields.Date(
        string="Date of Birth",
        groups="kam_management.group_kam_personal_data",
        copy=False,
    )
    kam_hobbies = fields.Text(
        string="Hobbies",
        groups="kam_management.group_kam_personal_data",
        copy=False,
    )
    kam_family = fields.Text(
        string="Family Members",
        groups="kam_management.group_kam_personal_data",
        copy=False,
    )
    kam_values = fields.Text(
        string="Values",
        groups="kam_management.group_kam_personal_data",
        copy=False,
    )
    kam_character_traits = fields.Text(
        string="Character Traits",
        groups="kam_management.group_kam_personal_data",
        copy=False,
    )
    kam_preferred_channel = fields.Selection(
        selection=[
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("messenger", "Messenger"),
            ("meeting", "Meeting in person"),
            ("video", "Video call"),
        ],
        string="Preferred Channel",
        groups="kam_management.group_kam_personal_data",
        copy=False,
    )
    kam_preferred_time = fields.Char(
        string="Preferred Time",
        groups="kam_management.group_kam_personal_data",
        copy=False,
        help="When the person prefers to be contacted, e.g. 'mornings before 10'.",
    )
    kam_personal_notes = fields.Text(
        string="Personal Notes",
        groups="kam_management.group_kam_personal_data",
        copy=False,
    )
    kam_personal_data_log_ids = fields.One2many(
        comodel_name="kam.personal.data.log",
        inverse_name="partner_id",
        string="Personal Data Changes",
        groups="kam_management.group_kam_personal_data",
        copy=False,
    )
    kam_dossier_member_ids = fields.One2many(
        comodel_name="kam.dossier.member",
        inverse_name="partner_id",
        string="Dossier Roles",
        groups="kam_management.group_kam_user",
    )

    # personal data: protected by ``groups=``, changes logged without values
    KAM_PERSONAL_FIELDS = (
        "kam_birthdate",
        "kam_hobbies",
        "kam_family",
        "kam_values",
        "kam_character_traits",
        "kam_preferred_channel",
        "kam_preferred_time",
        "kam_personal_notes",
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        logged = [
            (partner, [f for f in self.KAM_PERSONAL_FIELDS if vals.get(f)])
            for partner, vals in zip(partners, vals_list, strict=True)
        ]
        partners._kam_log_personal_data(logged)
        return partners

    def write(self, vals):
        res = super().write(vals)
        changed = [f for f in self.KAM_PERSONAL_FIELDS if f in vals]
        if changed:
            self._kam_log_personal_data([(partner, changed) for partner in self])
        return res

    def _kam_log_personal_data(self, partner_fields):
        """Log who changed which personal-data fields, without the values."""
        vals_list = [
            {
                "partner_id": partner.id,
                "user_id": self.env.uid,
                "field_names": ", ".join(
                    self._fields[fname]._description_string(self.env)
                    for fname in fnames
                ),
            }
            for partner, fnames in partner_fields
            if fnames
        ]
        if vals_list:
            self.env["kam.personal.data.log"].sudo().create(vals_list)

    def _kam_personal_data_filled_ids(self):
        """Ids of the partners of ``self`` whose personal data is filled: date
        of birth and at least one of hobbies, values, character traits."""
        return {
            partner.id
            for partner in self.sudo()
            if partner.kam_birthdate
            and (
                partner.kam_hobbies
                or partner.kam_values
                or partner.kam_character_traits
            )
        }

    def _kam_last_contact_dates(self):
        """{partner id: date of the last contact}: last message logged on or
        sent by the person (activities done included), or last past meeting
        the person attended. One query for all partners."""
        if not self.ids:
            return {}
        self.env["mail.message"].flush_model(
            ["model", "res_id", "author_id", "message_type", "date"]
        )
        self.env["calendar.event"].flush_model(["start", "active", "partner_ids"])
        query = SQL(
            """
            SELECT partner_id, MAX(day)::date FROM (
                SELECT res_id AS partner_id, date AS day
                  FROM mail_message
                 WHERE model = 'res.partner' AND res_id = ANY(%(ids)s)
                   AND (message_type IN ('comment', 'email')
                        OR mail_activity_type_id IS NOT NULL)
                UNION ALL
                SELECT author_id, date
                  FROM mail_message
                 WHERE author_id = ANY(%(ids)s)
                   AND message_type IN ('comment', 'email')
                UNION ALL
                SELECT rel.res_partner_id, event.start
                  FROM calendar_event_res_partner_rel rel
                  JOIN calendar_event event ON event.id = rel.calendar_event_id
                 WHERE rel.res_partner_id = ANY(%(ids)s)
                   AND event.active AND event.start <= %(now)s
            ) contacts
            GROUP BY partner_id
            """,
            ids=list(self.ids),
            now=fields.Datetime.now(),
        )
        return dict(self.env.execute_query(query))

    def _kam_health_dossier_coverage(self):
        """{partner id: dossier completeness 0-100} of the key accounts of
        ``self`` (0 without a dossier), for the account health score."""
        dossiers = (
            self.env["kam.dossier"]
            .sudo()
            .search([("partner_id", "in", self.commercial_partner_id.ids)])
        )
        by_partner = {d.partner_id.id: d.completeness for d in dossiers}
        return {
            partner.id: by_partner.get(partner.commercial_partner_id.id, 0.0)
            for partner in self
        }
