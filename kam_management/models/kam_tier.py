# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# The four tier codes: fixed, because the classification (SQL included), the
# filters and the policies store and compare them. Their labels are the
# ``kam.tier`` records; these built-in labels are used while none exists.
TIERS = [
    ("strategic", "Strategic"),
    ("key", "Key"),
    ("developing", "Developing"),
    ("regular", "Regular"),
]
# {language: {code: label}} kept in the cursor's cache during an export
LABELS_CACHE_KEY = "kam_tier_labels"


class KamTierSelection(fields.Selection):
    """A tier code whose label is the name of its ``kam.tier`` record.

    The selection is the model method ``_selection_kam_tier``. Odoo exports
    a selection given by a method as its raw value; a tier is exported with
    its label, like a selection given by a list."""

    def convert_to_export(self, value, record):
        if not value:
            return ""
        # one read of the labels per export (and language), not one per row
        by_lang = record.env.cr.cache.setdefault(LABELS_CACHE_KEY, {})
        labels = by_lang.get(record.env.lang)
        if labels is None:
            labels = by_lang[record.env.lang] = dict(
                self._description_selection(record.env)
            )
        return labels.get(value, value)


class KamTier(models.Model):
    """The label, order and colour of one of the four key-account tiers.

    Global configuration (like a stage): the same tiers for every company."""

    _name = "kam.tier"
    _description = "Key Account Tier"
    _order = "sequence, id"

    name = fields.Char(
        string="Label",
        required=True,
        translate=True,
        help="The name of the tier users see on accounts, filters and reports.",
    )
    code = fields.Selection(
        selection=TIERS,
        required=True,
        help="The built-in tier this label stands for; it cannot be changed.",
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer(help="Colour of the tier badge on the account cards.")
    description = fields.Text(
        translate=True,
        help="Which accounts belong to this tier and how they are served.",
    )

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Each tier code has one label only."),
    ]

    @api.model
    def _get_selection(self):
        """(code, label) of the four tiers, ordered by sequence, labels in the
        language of the context. A tier without a record (e.g. while the
        module is being installed) gets its built-in label."""
        builtin = self._fields["code"]._description_selection(self.env)
        rows = self.sudo().search_read([], ["code", "name"], order="sequence, id")
        labels = [(row["code"], row["name"]) for row in rows]
        found = {code for code, __ in labels}
        return labels + [(code, label) for code, label in builtin if code not in found]

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self._clear_label_caches()
        return records

    def write(self, vals):
        if "code" in vals and any(tier.code != vals["code"] for tier in self):
            raise UserError(
                self.env._(
                    "The code of a tier cannot be changed (%(tiers)s): the "
                    "classification and the filters rely on it. Rename the tier "
                    "instead (field Label).",
                    tiers=", ".join(self.mapped("name")),
                )
            )
        res = super().write(vals)
        if {"name", "sequence"} & set(vals):
            self._clear_label_caches()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_tier(self):
        if self:
            raise UserError(
                self.env._(
                    "The tiers %(tiers)s cannot be deleted: every account tier "
                    "needs its label. Rename a tier instead (field Label).",
                    tiers=", ".join(self.mapped("name")),
                )
            )

    def _update_field_translations(
        self, field_name, translations, digest=None, source_lang=None
    ):
        res = super()._update_field_translations(
            field_name, translations, digest=digest, source_lang=source_lang
        )
        if field_name == "name":
            self._clear_label_caches()
        return res

    def _clear_label_caches(self):
        """The search filters of the tiers carry their labels in the view
        architecture, which Odoo caches, and exports keep the labels in the
        cursor's cache: make a new label visible."""
        self.env.registry.clear_cache("templates")
        self.env.cr.cache.pop(LABELS_CACHE_KEY, None)
