# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from .kam_partner_personal import PERSONAL_FIELDS, PREFERRED_CHANNELS

PERSONAL_GROUP = "kam_management.group_kam_personal_data"


def _personal_search(fname):
    """The ``search=`` function of the personal field ``fname``."""

    def search(records, operator, value):
        return records._kam_search_personal(fname, operator, value)

    return search


def _personal_field(fname, field_class, **kwargs):
    """The personal-data field ``fname`` of the contact: shown here, kept on
    ``kam.partner.personal`` and read there with the user's rights."""
    return field_class(
        compute="_compute_kam_personal",
        search=_personal_search(fname),
        readonly=False,
        groups=PERSONAL_GROUP,
        copy=False,
        depends_context=("uid", "allowed_company_ids"),
        **kwargs,
    )


# kept apart from res_partner.py on purpose: the personal-data proxies and
# their access checks are reviewed in one file
class ResPartner(models.Model):
    """The confidential personal data of a contact.

    Two locks: the fields are for the group KAM: Personal Data only
    (``groups=``), and their values are those of the contact's
    ``kam.partner.personal`` record, which the record rules open only for
    the accounts the user serves (a KAM Manager: the contacts of their
    companies). A holder of the group who may not read that record reads
    empty values and cannot write them."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    kam_birthdate = _personal_field(
        "kam_birthdate", fields.Date, string="Date of Birth"
    )
    kam_hobbies = _personal_field("kam_hobbies", fields.Text, string="Hobbies")
    kam_family = _personal_field("kam_family", fields.Text, string="Family Members")
    kam_values = _personal_field("kam_values", fields.Text, string="Values")
    kam_character_traits = _personal_field(
        "kam_character_traits", fields.Text, string="Character Traits"
    )
    kam_preferred_channel = _personal_field(
        "kam_preferred_channel",
        fields.Selection,
        selection=PREFERRED_CHANNELS,
        string="Preferred Channel",
    )
    kam_preferred_time = _personal_field(
        "kam_preferred_time",
        fields.Char,
        string="Preferred Time",
        help="When the person prefers to be contacted, e.g. 'mornings before 10'.",
    )
    kam_personal_notes = _personal_field(
        "kam_personal_notes", fields.Text, string="Personal Notes"
    )
    kam_personal_data_log_ids = fields.One2many(
        comodel_name="kam.personal.data.log",
        inverse_name="partner_id",
        string="Personal Data Changes",
        groups=PERSONAL_GROUP,
        copy=False,
    )

    # personal data: changes logged without values (by kam.partner.personal)
    KAM_PERSONAL_FIELDS = PERSONAL_FIELDS

    def _compute_kam_personal(self):
        # read with the user's rights: empty values for the records the rules
        # hide, and for code running as a user outside the group
        Personal = self.env["kam.partner.personal"]
        origin_ids = [partner._origin.id for partner in self if partner._origin.id]
        records = Personal.browse()
        if origin_ids and Personal.browse().has_access("read"):
            records = Personal.search([("partner_id", "in", origin_ids)])
        by_partner = {record.partner_id.id: record for record in records}
        for partner in self:
            record = by_partner.get(partner._origin.id)
            for fname in PERSONAL_FIELDS:
                partner[fname] = record[fname] if record else False

    @api.model
    def _kam_search_personal(self, fname, operator, value):
        """Contacts whose personal record, as the user may read it, matches;
        a record the user may not read counts as empty."""
        Personal = self.env["kam.partner.personal"]
        domain = [(fname, operator, value)]
        if Personal.new({}).filtered_domain(domain):
            # an empty value matches: every contact but the non-matching ones
            query = Personal._search(["!", *domain])
            return [("id", "not in", query.subselect("partner_id"))]
        return [("id", "in", Personal._search(domain).subselect("partner_id"))]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # personal data is not stored here: sorting or grouping by it is
        # refused (an access error, which fields_get reads as "not groupable")
        if fname in PERSONAL_FIELDS:
            self.check_field_access_rights("read", [fname])
            raise AccessError(
                self.env._(
                    "Contacts cannot be sorted or grouped by %(field)s: it is "
                    "personal data.",
                    field=self._fields[fname]._description_string(self.env),
                )
            )
        return super()._field_to_sql(alias, fname, query=query, flush=flush)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        personal = [self._kam_pop_personal(vals) for vals in vals_list]
        partners = super().create(vals_list)
        if any(personal):
            partners._kam_write_personal(personal)
        return partners

    def write(self, vals):
        vals = dict(vals)
        personal = self._kam_pop_personal(vals)
        res = super().write(vals)
        if personal:
            self._kam_write_personal([personal] * len(self))
        return res

    @api.model
    def _kam_pop_personal(self, vals):
        """The personal-data values of ``vals``, removed from it."""
        return {fname: vals.pop(fname) for fname in PERSONAL_FIELDS if fname in vals}

    def _kam_write_personal(self, values_list):
        """Write personal data (one dict per partner of ``self``) through
        ``kam.partner.personal`` with the user's rights: its record rules
        refuse the accounts the user does not serve."""
        fnames = {fname for values in values_list for fname in values}
        self.check_field_access_rights("write", list(fnames))
        self._kam_flush_served()
        Personal = self.env["kam.partner.personal"]
        existing = {
            record.partner_id.id: record
            for record in Personal.sudo().search([("partner_id", "in", self.ids)])
        }
        to_create = []
        for partner, values in zip(self, values_list, strict=True):
            if not values:
                continue
            record = existing.get(partner.id)
            if record:
                record.with_env(self.env).write(values)
            elif any(values.values()):
                to_create.append({"partner_id": partner.id, **values})
        if to_create:
            Personal.create(to_create)

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
        of birth and at least one of hobbies, values, character traits (as
        superuser: the dossier completeness tells filled or not, never the
        values)."""
        records = (
            self.env["kam.partner.personal"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.ids),
                    ("kam_birthdate", "!=", False),
                    "|",
                    "|",
                    ("kam_hobbies", "!=", False),
                    ("kam_values", "!=", False),
                    ("kam_character_traits", "!=", False),
                ]
            )
        )
        return set(records.partner_id.ids)
