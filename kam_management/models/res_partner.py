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

    # --- tenders ---
    kam_buys_through_tenders = fields.Boolean(
        string="Buys Through Tenders",
        tracking=True,
        help="A public buyer (or a large company) that buys through tenders.",
    )
    kam_is_competitor = fields.Boolean(
        string="Competitor",
        index=True,
        help="Bids against us in tenders.",
    )
    kam_tender_count = fields.Integer(
        string="Tenders",
        compute="_compute_kam_tender_stats",
        groups="kam_management.group_kam_user",
    )
    kam_tender_won_count = fields.Integer(
        string="Tenders Won",
        compute="_compute_kam_tender_stats",
        groups="kam_management.group_kam_user",
    )
    kam_tender_lost_count = fields.Integer(
        string="Tenders Lost",
        compute="_compute_kam_tender_stats",
        groups="kam_management.group_kam_user",
    )
    kam_tender_win_rate = fields.Float(
        string="Tender Win Rate (%)",
        compute="_compute_kam_tender_stats",
        groups="kam_management.group_kam_user",
        help="Won / (won + lost) tenders of the customer, in percent; open and "
        "cancelled tenders do not count.",
    )

    def _compute_kam_tender_stats(self):
        commercial = self.commercial_partner_id
        stats = {}
        if commercial.ids:
            for partner, outcome, count in self.env["kam.tender"]._read_group(
                [("partner_id", "in", commercial.ids)],
                ["partner_id", "outcome"],
                ["__count"],
            ):
                stats.setdefault(partner.id, {})[outcome] = count
        for partner in self:
            counts = stats.get(partner.commercial_partner_id.id, {})
            won = counts.get("won", 0)
            lost = counts.get("lost", 0)
            partner.kam_tender_count = sum(counts.values())
            partner.kam_tender_won_count = won
            partner.kam_tender_lost_count = lost
            partner.kam_tender_win_rate = (
                100.0 * won / (won + lost) if won + lost else 0.0
            )

    def action_kam_view_tenders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_tender_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {
            "default_partner_id": partner.id,
            "search_default_partner_id": partner.id,
        }
        return action
