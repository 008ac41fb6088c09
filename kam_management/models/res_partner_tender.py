# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
