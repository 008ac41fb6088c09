# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResPartnerRelationType(models.Model):
    _inherit = "res.partner.relation.type"

    kam_private = fields.Boolean(
        string="Private Life",
        help="The relation describes private life (friendship, conflict): "
        "like personal data, only the group KAM: Personal Data reads and "
        "edits it, for the accounts its users serve.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any("kam_private" in vals for vals in vals_list):
            self._kam_check_private_access()
        return super().create(vals_list)

    def write(self, vals):
        if "kam_private" in vals and any(
            rtype.kam_private != bool(vals["kam_private"]) for rtype in self
        ):
            self._kam_check_private_access()
        return super().write(vals)

    def _kam_check_private_access(self):
        """Only the personal-data group decides which relations are private:
        unticking the flag would open them to everybody."""
        if self.env.su or self.env.user.has_group(
            "kam_management.group_kam_personal_data"
        ):
            return
        raise AccessError(
            self.env._(
                "Only the group KAM: Personal Data may change whether a "
                "relation type describes private life (field Private Life)."
            )
        )


class ResPartnerRelation(models.Model):
    _inherit = "res.partner.relation"

    def write(self, vals):
        res = super().write(vals)
        # the record rules are checked before a write: check them on the new
        # values too, so that a relation cannot be turned into a private one
        # or moved to an account the user does not serve
        if not self.env.su:
            self.check_access("write")
        return res
