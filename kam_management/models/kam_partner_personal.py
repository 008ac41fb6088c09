# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# the personal data of a contact, kept here and shown on res.partner through
# non-stored fields of the same names (``res.partner.KAM_PERSONAL_FIELDS``)
PERSONAL_FIELDS = (
    "kam_birthdate",
    "kam_hobbies",
    "kam_family",
    "kam_values",
    "kam_character_traits",
    "kam_preferred_channel",
    "kam_preferred_time",
    "kam_personal_notes",
)
PREFERRED_CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("messenger", "Messenger"),
    ("meeting", "Meeting in person"),
    ("video", "Video call"),
]


class KamPartnerPersonal(models.Model):
    """The confidential personal data of one contact. Readable and editable
    by the group KAM: Personal Data only, and there only for the accounts the
    user serves (a KAM Manager: the contacts of their companies, see
    security/kam_personal_data_rules.xml). Greeting reminders are scheduled
    on this record, so that only those users see them."""

    _name = "kam.partner.personal"
    _description = "Personal Data of a Contact"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _rec_name = "partner_id"
    _order = "partner_id, id"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(related="partner_id.company_id")
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Account"
    )
    kam_birthdate = fields.Date(string="Date of Birth")
    kam_hobbies = fields.Text(string="Hobbies")
    kam_family = fields.Text(string="Family Members")
    kam_values = fields.Text(string="Values")
    kam_character_traits = fields.Text(string="Character Traits")
    kam_preferred_channel = fields.Selection(
        selection=PREFERRED_CHANNELS,
        string="Preferred Channel",
    )
    kam_preferred_time = fields.Char(
        string="Preferred Time",
        help="When the person prefers to be contacted, e.g. 'mornings before 10'.",
    )
    kam_personal_notes = fields.Text(string="Personal Notes")

    _sql_constraints = [
        (
            "partner_uniq",
            "UNIQUE(partner_id)",
            "A contact has one personal data record only.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._kam_invalidate_partners()
        if not self.env.context.get("kam_personal_logged"):
            records._kam_log(
                [[f for f in PERSONAL_FIELDS if vals.get(f)] for vals in vals_list]
            )
        return records

    def write(self, vals):
        if "partner_id" in vals and any(
            record.partner_id.id != vals["partner_id"] for record in self
        ):
            raise UserError(
                self.env._(
                    "%(names)s: the personal data of a contact cannot be moved "
                    "to another contact (field Contact).",
                    names=", ".join(self.mapped("partner_id.display_name")),
                )
            )
        res = super().write(vals)
        self._kam_invalidate_partners()
        if not self.env.context.get("kam_personal_logged"):
            changed = [f for f in PERSONAL_FIELDS if f in vals]
            self._kam_log([changed] * len(self))
        return res

    def unlink(self):
        res = super().unlink()
        self._kam_invalidate_partners()
        return res

    def _kam_invalidate_partners(self):
        """The contacts show these values through non-stored fields: drop
        what they hold in cache."""
        self.env["res.partner"].invalidate_model(list(PERSONAL_FIELDS))

    def _kam_log(self, fnames_list):
        """Log who changed which fields of ``self`` (one list of field names
        per record), without the values. Changes made through the contact are
        logged by the contact (context key ``kam_personal_logged``)."""
        self.env["res.partner"]._kam_log_personal_data(
            [
                (record.partner_id, fnames)
                for record, fnames in zip(self, fnames_list, strict=True)
            ]
        )

    @api.model
    def _kam_get_or_create(self, partners):
        """The personal data records of ``partners`` (created empty where
        missing), as superuser: for the scheduler only."""
        Personal = self.sudo()
        existing = Personal.search([("partner_id", "in", partners.ids)])
        missing = partners - existing.partner_id
        if missing:
            existing |= Personal.with_context(kam_personal_logged=True).create(
                [{"partner_id": partner.id} for partner in missing]
            )
        return existing
