# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
    kam_whitespace_editable = fields.Boolean(
        compute="_compute_kam_whitespace_editable",
        help="The current user may build and edit the whitespace matrix of "
        "the account: KAM Manager, or KAM, deputy or team member of it (as the "
        "record rules of the cells).",
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

    @api.depends_context("uid")
    @api.depends("kam_served_user_ids")
    def _compute_kam_whitespace_editable(self):
        user = self.env.user
        manager = user.has_group("kam_management.group_kam_manager")
        for partner in self:
            partner.kam_whitespace_editable = manager or partner._kam_is_served_by(user)

    def _compute_kam_crosssell_suggestion_ids(self):
        suggestions = self._kam_crosssell_cells(self)
        for partner in self:
            partner.kam_crosssell_suggestion_ids = suggestions.get(partner.id, False)

    @api.model
    def _kam_health_claims(self, partner_ids, day=None, company=None):
        """{partner id: (open claims, of which overdue)} of the given
        accounts, with one grouped query; each open claim is counted once in
        the first number, the second tells how many of them are overdue.
        Open: not in a closing stage; overdue: open with a response due date
        before ``day`` (default today). With ``company``, the claims of that
        company only."""
        day = day or fields.Date.context_today(self)
        domain = [("partner_id", "in", list(partner_ids)), ("is_closed", "=", False)]
        if company:
            domain.append(("company_id", "=", company.id))
        groups = self.env["kam.claim"]._read_group(
            domain,
            groupby=["partner_id"],
            aggregates=["__count", "date_due:array_agg"],
        )
        return {
            partner.id: (count, sum(1 for due in dues if due and due < day))
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

    def action_kam_whitespace_refresh(self):
        """Complete the whitespace matrix of the accounts (missing cells) and
        refresh its revenue; the form reloads and shows it."""
        self.env["kam.whitespace.cell"]._kam_generate(self)
        return True

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
