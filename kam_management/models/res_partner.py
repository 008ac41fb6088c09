# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

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

    # --- service ---
    kam_buying_unit = fields.Boolean(
        string="Buying Unit",
        help="A department or site of a key account that buys on its own: a "
        "row of the account's whitespace matrix (child companies always are).",
    )
    kam_claim_ids = fields.One2many(
        comodel_name="kam.claim",
        inverse_name="partner_id",
        string="Claims",
        groups="kam_management.group_kam_user",
    )
    kam_claim_count = fields.Integer(
        string="Open Claims",
        compute="_compute_kam_claim_count",
        groups="kam_management.group_kam_user",
    )
    kam_referral_ids = fields.One2many(
        comodel_name="kam.referral",
        inverse_name="partner_id",
        string="Referrals",
        groups="kam_management.group_kam_user",
    )
    kam_referral_count = fields.Integer(
        compute="_compute_kam_referral_count",
        groups="kam_management.group_kam_user",
    )
    kam_whitespace_cell_ids = fields.One2many(
        comodel_name="kam.whitespace.cell",
        inverse_name="partner_id",
        string="Whitespace",
        groups="kam_management.group_kam_user",
    )
    kam_crosssell_suggestion_ids = fields.Many2many(
        comodel_name="kam.whitespace.cell",
        string="Cross-sell Suggestions",
        compute="_compute_kam_crosssell_suggestion_ids",
        help="Whitespace cells without revenue in the last 12 months where the "
        "unit buys from a competitor or its need is unknown.",
        groups="kam_management.group_kam_user",
    )

    def _compute_kam_claim_count(self):
        counts = self._kam_health_claims(self.ids)
        for partner in self:
            partner.kam_claim_count = counts.get(partner.id, (0, 0))[0]

    def _compute_kam_referral_count(self):
        groups = self.env["kam.referral"]._read_group(
            [("partner_id", "in", self.ids)],
            groupby=["partner_id"],
            aggregates=["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.kam_referral_count = counts.get(partner.id, 0)

    def _compute_kam_crosssell_suggestion_ids(self):
        suggestions = self._kam_crosssell_cells(self)
        for partner in self:
            partner.kam_crosssell_suggestion_ids = suggestions.get(partner.id, False)

    @api.model
    def _kam_health_claims(self, partner_ids):
        """{partner id: (open claims, overdue open claims)} of the given
        accounts, with one grouped query. Open: not in a closing stage;
        overdue: open with a response due date before today."""
        today = fields.Date.context_today(self)
        groups = self.env["kam.claim"]._read_group(
            [("partner_id", "in", list(partner_ids)), ("is_closed", "=", False)],
            groupby=["partner_id"],
            aggregates=["__count", "date_due:array_agg"],
        )
        return {
            partner.id: (count, sum(1 for due in dues if due and due < today))
            for partner, count, dues in groups
        }

    @api.model
    def _kam_crosssell_cells(self, accounts):
        """{account id: cross-sell suggestion cells} for key accounts."""
        accounts = accounts.filtered("kam_is_key_account")
        if not accounts:
            return {}
        cells = self.env["kam.whitespace.cell"].search(
            [
                ("partner_id", "in", accounts.ids),
                ("is_suggestion", "=", True),
            ]
        )
        result = {}
        for cell in cells:
            result.setdefault(cell.partner_id.id, cell.browse())
            result[cell.partner_id.id] |= cell
        return result

    def action_kam_whitespace(self):
        self.ensure_one()
        account = self.commercial_partner_id
        self.env["kam.whitespace.cell"]._kam_generate(account)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_whitespace_cell_action"
        )
        action["domain"] = [("partner_id", "=", account.id)]
        action["context"] = {
            "default_partner_id": account.id,
            "search_default_group_unit": 1,
        }
        action["display_name"] = self.env._(
            "Whitespace of %(account)s", account=account.display_name
        )
        return action

    def action_kam_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_claim_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_kam_referrals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_referral_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
