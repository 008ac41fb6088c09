# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every pillar shares on res.partner: who serves an account (KAM,
deputy, KAM team and the stored "served by" every record rule tests). Each
pillar extends res.partner in its own file ``res_partner_<pillar>.py``."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

KAM_TEAM_MAX = 3
# a change of these recomputes who serves the account (kam_served_user_ids)
KAM_SERVED_DEPENDENCIES = {
    "kam_user_id",
    "kam_deputy_user_id",
    "kam_team_user_ids",
    "parent_id",
    "is_company",
}


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
        tracking=True,
        domain="[('share', '=', False)]",
        help=f"Up to {KAM_TEAM_MAX} account managers serving this key account.",
    )
    kam_served_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="kam_partner_served_user_rel",
        column1="partner_id",
        column2="user_id",
        string="Served By",
        compute="_compute_kam_served_user_ids",
        store=True,
        compute_sudo=True,
        help="The users who serve the account: its KAM, its deputy (while the "
        "account has one) and its KAM team, taken from the commercial partner. "
        "The one definition every record rule and access check of the addon "
        "uses.",
    )

    @api.depends(
        "commercial_partner_id.kam_user_id",
        "commercial_partner_id.kam_deputy_user_id",
        "commercial_partner_id.kam_team_user_ids",
    )
    def _compute_kam_served_user_ids(self):
        for partner in self:
            account = partner.commercial_partner_id
            partner.kam_served_user_ids = (
                account.kam_user_id
                | account.kam_deputy_user_id
                | account.kam_team_user_ids
            )

    def _kam_flush_served(self):
        """Store "served by" at once: record rules test it with a many2many
        condition, which Odoo's domain SQL does not flush by itself."""
        self.env["res.partner"].flush_model(["kam_served_user_ids"])

    def _kam_is_served_by(self, user=None):
        """Whether ``user`` (default: the current user) serves every account of
        ``self`` (KAM, deputy or team member)."""
        user = user or self.env.user
        return all(user in partner.sudo().kam_served_user_ids for partner in self)

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
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

    @api.model_create_multi
    def create(self, vals_list):
        res = super().create(vals_list)
        if any(KAM_SERVED_DEPENDENCIES.intersection(vals) for vals in vals_list):
            res._kam_flush_served()
        return res

    def write(self, vals):
        res = super().write(vals)
        if KAM_SERVED_DEPENDENCIES.intersection(vals):
            self._kam_flush_served()
        return res
