# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .kam_classification_policy import ABC_CLASSES, DEPENDENCE_LEVELS

KAM_TEAM_MAX = 3
# written by the classification runs on the commercial partner and its contacts
KAM_CLASSIFICATION_FIELDS = [
    "kam_revenue",
    "kam_margin",
    "kam_revenue_share",
    "kam_abc_class",
    "kam_dependence_level",
    "kam_last_classified",
]


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
            # key accounts: classification results and the manual pin
            *KAM_CLASSIFICATION_FIELDS,
            "kam_pin",
            "kam_pin_reason",
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

    # --- key accounts ---
    kam_revenue = fields.Float(
        string="Revenue (period)",
        readonly=True,
        digits="Account",
        help="Untaxed revenue of the posted invoices minus refunds of the "
        "rolling period of the last classification run.",
    )
    kam_margin = fields.Float(
        string="Margin (period)",
        readonly=True,
        digits="Account",
        help="Margin (revenue minus product cost) of the last classification run.",
    )
    kam_revenue_share = fields.Float(
        string="Share (%)",
        readonly=True,
        digits=(16, 2),
        aggregator="max",
        help="Share of the customer in the total of the ranked customers of the "
        "last run, on the basis of its policy (revenue or margin).",
    )
    kam_abc_class = fields.Selection(
        selection=ABC_CLASSES,
        string="ABC Class",
        readonly=True,
        index=True,
        help="A when the cumulative share of the customers ranked before it is "
        "below the A threshold of the policy, B below the B threshold, else C.",
    )
    kam_dependence_level = fields.Selection(
        selection=DEPENDENCE_LEVELS,
        string="Dependence",
        readonly=True,
        index=True,
        help="How much the company depends on the customer: share above the "
        "key, critical or mono-client threshold of the policy.",
    )
    kam_last_classified = fields.Date(
        string="Last Classified",
        readonly=True,
        help="Date of the last classification run that ranked the customer.",
    )
    kam_pin = fields.Selection(
        selection=[("key", "Pinned as key"), ("not_key", "Pinned as not key")],
        string="Pinned",
        tracking=True,
        help="Set by a KAM Manager: the key account flag and the tier are then "
        "kept as they are by every classification run.",
    )
    kam_pin_reason = fields.Text(
        string="Reason of the Pin",
        tracking=True,
        help="Why a KAM Manager pinned the account (required with a pin).",
    )
    kam_classification_line_ids = fields.One2many(
        comodel_name="kam.classification.line",
        inverse_name="partner_id",
        string="Classification History",
        readonly=True,
    )

    @api.constrains("kam_pin", "kam_pin_reason")
    def _check_kam_pin_reason(self):
        for partner in self:
            if partner.kam_pin and not (partner.kam_pin_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(partner)s: give the reason why the account is pinned "
                        "(field Reason of the Pin).",
                        partner=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("kam_pin") for vals in vals_list):
            self._kam_check_pin_access()
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._kam_pin_flag(vals)
        return super().create(vals_list)

    def write(self, vals):
        pin_fields = [f for f in ("kam_pin", "kam_pin_reason") if f in vals]
        if pin_fields:
            # contacts receive the pin of their company (commercial field sync)
            if any(
                (partner[fname] or False) != (vals[fname] or False)
                for partner in self
                if partner.commercial_partner_id == partner
                for fname in pin_fields
            ):
                self._kam_check_pin_access()
            vals = dict(vals)
            self._kam_pin_flag(vals)
        return super().write(vals)

    @api.model
    def _kam_pin_flag(self, vals):
        """A pin sets the key account flag it stands for."""
        if vals.get("kam_pin"):
            vals["kam_is_key_account"] = vals["kam_pin"] == "key"

    def _kam_check_pin_access(self):
        if self.env.su or self.env.user.has_group("kam_management.group_kam_manager"):
            return
        raise AccessError(
            self.env._(
                "Only a KAM Manager can pin an account as key or not key "
                "(fields Pinned and Reason of the Pin)."
            )
        )
