# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .kam_classification_policy import (
    ABC_CLASSES,
    DEPENDENCE_LEVELS,
    dependence_rank_sql,
)
from .kam_tier import KamTierSelection

KAM_TEAM_MAX = 3
# a change of these recomputes who serves the account (kam_served_user_ids)
KAM_SERVED_DEPENDENCIES = {
    "kam_user_id",
    "kam_deputy_user_id",
    "kam_team_user_ids",
    "parent_id",
    "is_company",
}
# who serves an account and whether it is key: changed by KAM Managers only
# (the classification runs write flag and tier as a KAM Manager or the cron)
KAM_OWNERSHIP_FIELDS = (
    "kam_user_id",
    "kam_deputy_user_id",
    "kam_team_user_ids",
    "kam_is_key_account",
    "kam_tier",
    "kam_pin",
    "kam_pin_reason",
)
# a change of these may move a partner to another account (commercial partner)
KAM_MOVE_FIELDS = {"parent_id", "is_company", "company_type", "commercial_partner_id"}
# written by the classification runs on the commercial partner and its contacts
KAM_CLASSIFICATION_FIELDS = [
    "kam_revenue",
    "kam_margin",
    "kam_revenue_share",
    "kam_abc_class",
    "kam_dependence_level",
    "kam_last_classified",
    "kam_is_loss_making",
]
# written by KAM Managers or the superuser only: who serves the account,
# whether it is key, the classification results and the health score (the
# runs and the health computation write them as superuser or in SQL)
KAM_GUARDED_FIELDS = (
    *KAM_OWNERSHIP_FIELDS,
    *KAM_CLASSIFICATION_FIELDS,
    "kam_health_last_id",
    "kam_health_score",
    "kam_health_colour",
    "kam_health_date",
)


_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Key-account status and figures are per company (company-dependent
    # fields: each company reads its own value, like Odoo's properties): the
    # company-level result of the deciding policy of the current company
    # (``kam.classification.policy._kam_is_decider``), or a KAM Manager's
    # pin in that company. Team and salesperson scopes keep their own results
    # (``kam_classification_result_ids``) and never change these fields.
    kam_is_key_account = fields.Boolean(
        string="Key Account",
        company_dependent=True,
        tracking=True,
        help="The company is managed as a key account by the current company: "
        "set by the company-scope classification policy of the company, or "
        "pinned by a KAM Manager.",
    )
    # the tier: read by every employee (it tells the service the account
    # gets), not by the customer's portal users (the classification derives
    # it from how much we depend on the customer)
    kam_tier = KamTierSelection(
        selection="_selection_kam_tier",
        string="Tier",
        company_dependent=True,
        tracking=True,
        groups="base.group_user",
        help="Labels, order and colours of the tiers: Key Accounts > "
        "Configuration > Tiers.",
    )
    kam_tier_color = fields.Integer(
        string="Tier Colour",
        compute="_compute_kam_tier_color",
        groups="base.group_user",
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

    @api.depends("kam_tier")
    def _compute_kam_tier_color(self):
        tiers = self.env["kam.tier"].sudo().search([("code", "!=", False)])
        colors = {tier.code: tier.color for tier in tiers}
        for partner in self:
            partner.kam_tier_color = colors.get(partner.kam_tier, 0)

    @api.model
    def _selection_kam_tier(self):
        return self.env["kam.tier"]._get_selection()

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The tier filters of the search view carry the configured labels
        (the cached view is cleared when a tier is renamed)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "search":
            for code, label in self._selection_kam_tier():
                node = arch.find(f".//filter[@name='kam_tier_{code}']")
                if node is not None:
                    node.set("string", self.env._("Tier: %(tier)s", tier=label))
        return arch, view

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        """Groups of dependence levels in increasing danger (none, key,
        critical, mono-client), as for the classification lines."""
        if "kam_dependence_level" not in groupby_terms:
            return super()._read_group_orderby(order, groupby_terms, query)
        rank = dependence_rank_sql(groupby_terms["kam_dependence_level"])
        return super()._read_group_orderby(
            order, dict(groupby_terms, kam_dependence_level=rank), query
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
        groups="kam_management.group_kam_user",
        company_dependent=True,
        string="Revenue (period)",
        readonly=True,
        digits="Account",
        help="Untaxed revenue of the posted invoices minus refunds of the "
        "rolling period of the last classification run.",
    )
    kam_margin = fields.Float(
        groups="kam_management.group_kam_user",
        company_dependent=True,
        string="Margin (period)",
        readonly=True,
        digits="Account",
        help="Margin (revenue minus product cost) of the last classification run.",
    )
    kam_revenue_share = fields.Float(
        groups="kam_management.group_kam_user",
        company_dependent=True,
        string="Share (%)",
        readonly=True,
        digits=(16, 2),
        aggregator="max",
        help="Share of the customer in the total of the ranked customers of the "
        "last run, on the basis of its policy (revenue or margin).",
    )
    kam_abc_class = fields.Selection(
        groups="kam_management.group_kam_user",
        company_dependent=True,
        selection=ABC_CLASSES,
        string="ABC Class",
        readonly=True,
        help="A when the cumulative share of the customers ranked before it is "
        "below the A threshold of the policy, B below the B threshold, else C.",
    )
    kam_dependence_level = fields.Selection(
        groups="kam_management.group_kam_user",
        company_dependent=True,
        selection=DEPENDENCE_LEVELS,
        string="Dependence",
        readonly=True,
        help="How much the company depends on the customer: share above the "
        "key, critical or mono-client threshold of the policy.",
    )
    kam_last_classified = fields.Date(
        groups="kam_management.group_kam_user",
        company_dependent=True,
        string="Last Classified",
        readonly=True,
        help="Date of the last classification run that ranked the customer.",
    )
    kam_is_loss_making = fields.Boolean(
        groups="kam_management.group_kam_user",
        company_dependent=True,
        string="Loss-making",
        readonly=True,
        help="The basis amount (revenue or margin) of the customer in the period "
        "of the last company-level run is negative: the company loses money on "
        "it. Loss-making customers are not ranked; their amount is kept.",
    )
    kam_pin = fields.Selection(
        selection=[("key", "Pinned as key"), ("not_key", "Pinned as not key")],
        string="Pinned",
        company_dependent=True,
        tracking=True,
        help="Set by a KAM Manager: the key account flag and the tier are then "
        "kept as they are by every classification run.",
    )
    kam_pin_reason = fields.Text(
        groups="kam_management.group_kam_user",
        company_dependent=True,
        string="Reason of the Pin",
        tracking=True,
        help="Why a KAM Manager pinned the account (required with a pin).",
    )
    kam_classification_line_ids = fields.One2many(
        comodel_name="kam.classification.line",
        inverse_name="partner_id",
        string="Classification History",
        readonly=True,
        groups="kam_management.group_kam_user",
    )
    kam_classification_result_ids = fields.One2many(
        comodel_name="kam.classification.result",
        inverse_name="partner_id",
        string="Status per Policy",
        readonly=True,
        groups="kam_management.group_kam_user",
        help="The latest result of each classification policy for this "
        "customer: the company-level one and those of each sales team and "
        "salesperson scope.",
    )
    kam_key_for_my_team = fields.Boolean(
        string="Key for My Team",
        compute="_compute_kam_key_for_scope",
        search="_search_kam_key_for_my_team",
        groups="kam_management.group_kam_user",
        help="Key account by the latest result of a sales-team policy of a "
        "team the current user belongs to or leads.",
    )
    kam_key_for_me = fields.Boolean(
        string="Key for Me",
        compute="_compute_kam_key_for_scope",
        search="_search_kam_key_for_me",
        groups="kam_management.group_kam_user",
        help="Key account by the latest result of a salesperson policy of the "
        "current user.",
    )

    @api.model
    def _kam_scope_result_domain(self, scope):
        """Domain of the key results of the current user's scope: the teams
        the user belongs to or leads, or the user as salesperson."""
        user = self.env.user
        if scope == "team":
            teams = (
                self.env["crm.team"]
                .sudo()
                .search(
                    ["|", ("member_ids", "in", user.ids), ("user_id", "=", user.id)]
                )
            )
            return [("scope", "=", "team"), ("team_id", "in", teams.ids)]
        return [("scope", "=", "salesperson"), ("user_id", "=", user.id)]

    def _kam_key_for_scope_ids(self, scope):
        results = self.env["kam.classification.result"].search(
            [*self._kam_scope_result_domain(scope), ("is_key", "=", True)]
        )
        return results.partner_id

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_kam_key_for_scope(self):
        team = self._kam_key_for_scope_ids("team")
        mine = self._kam_key_for_scope_ids("salesperson")
        for partner in self:
            account = partner.commercial_partner_id
            partner.kam_key_for_my_team = account in team
            partner.kam_key_for_me = account in mine

    def _search_kam_key_for_my_team(self, operator, value):
        return self._kam_search_key_for_scope("team", operator, value)

    def _search_kam_key_for_me(self, operator, value):
        return self._kam_search_key_for_scope("salesperson", operator, value)

    def _kam_search_key_for_scope(self, scope, operator, value):
        if operator not in ("=", "!="):
            raise UserError(
                self.env._(
                    "Key for my team / for me can only be searched as set or "
                    "not set."
                )
            )
        positive = (operator == "=") == bool(value)
        domain = [
            (
                "commercial_partner_id.kam_classification_result_ids",
                "any",
                [*self._kam_scope_result_domain(scope), ("is_key", "=", True)],
            )
        ]
        return domain if positive else ["!", *domain]

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
        self._kam_check_ownership_create(vals_list)
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._kam_pin_flag(vals)
        res = super().create(vals_list)
        if any(KAM_SERVED_DEPENDENCIES.intersection(vals) for vals in vals_list):
            res._kam_flush_served()
        return res

    def write(self, vals):
        self._kam_check_ownership_write(vals)
        if "active" in vals and not vals["active"]:
            self._kam_check_served_account_kept()
        accounts_before = self._kam_served_accounts_before_move(vals)
        if "kam_pin" in vals:
            vals = dict(vals)
            self._kam_pin_flag(vals)
        res = super().write(vals)
        if accounts_before:
            self._kam_check_not_moved(accounts_before)
        if KAM_SERVED_DEPENDENCIES.intersection(vals):
            self._kam_flush_served()
        return res

    def _kam_served_accounts_before_move(self, vals):
        """{partner id: its account} for the partners of ``self`` whose
        account is served or key, when ``vals`` may move them to another
        account and the current user is no KAM Manager (see
        ``_kam_check_not_moved``)."""
        if not KAM_MOVE_FIELDS.intersection(vals) or self._kam_may_change_ownership():
            return {}
        return {
            partner.id: partner.commercial_partner_id
            for partner in self.sudo()
            if partner.commercial_partner_id.kam_is_key_account
            or partner.commercial_partner_id.kam_served_user_ids
        }

    def _kam_check_not_moved(self, accounts_before):
        """Moving a partner out of a served account (under another company,
        out of its company, making it a company) changes who serves it and
        its documents: KAM Managers only. A contact joining a key account
        is no move out (it gets the account's values)."""
        for partner in self.sudo().browse(list(accounts_before)):
            before = accounts_before[partner.id]
            if partner.commercial_partner_id != before:
                raise AccessError(
                    self.env._(
                        "%(partner)s belongs to the key account %(account)s: only "
                        "a KAM Manager can move it to another company.",
                        partner=partner.display_name,
                        account=before.display_name,
                    )
                )

    def _kam_check_merge(self):
        """Merging partners of different accounts, one of them key or
        served, moves documents into or out of that account: KAM Managers
        only (duplicates within one account are merged by anybody)."""
        if self._kam_may_change_ownership():
            return
        accounts = self.sudo().commercial_partner_id
        served = accounts.filtered(
            lambda account: account.kam_is_key_account or account.kam_served_user_ids
        )
        if served and len(accounts) > 1:
            raise AccessError(
                self.env._(
                    "%(accounts)s: only a KAM Manager can merge partners of a key "
                    "account with partners of another account.",
                    accounts=", ".join(served.mapped("display_name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_served_account(self):
        """Deleting an account takes it away from whoever serves it (also the
        partner merge, which deletes the merged partners after moving their
        documents): a KAM Manager's decision. Contacts stay deletable."""
        self._kam_check_served_account_kept()

    def _kam_check_served_account_kept(self):
        """Refuse to delete or archive an account that is key or served
        (its contacts excepted) unless by a KAM Manager."""
        if self._kam_may_change_ownership():
            return
        for partner in self.sudo():
            if partner.commercial_partner_id == partner and (
                partner.kam_is_key_account or partner.kam_served_user_ids
            ):
                raise AccessError(
                    self.env._(
                        "%(partner)s is served by a Key Account Manager: only a "
                        "KAM Manager can archive it, delete it or merge it into "
                        "another partner.",
                        partner=partner.display_name,
                    )
                )

    @api.model
    def _kam_pin_flag(self, vals):
        """A pin sets the key account flag it stands for."""
        if vals.get("kam_pin"):
            vals["kam_is_key_account"] = vals["kam_pin"] == "key"

    def _kam_may_change_ownership(self):
        return self.env.su or self.env.user.has_group(
            "kam_management.group_kam_manager"
        )

    @api.model
    def _kam_ownership_value(self, fname, value, record):
        """``value`` (a write value, commands included) of the ownership
        field ``fname`` as it would be on ``record``, comparable: a set of ids
        for the team, False for any empty value."""
        value = self._fields[fname].convert_to_cache(value, record)
        if isinstance(value, tuple):
            return frozenset(value)
        return value or False

    def _kam_ownership_error(self, name, fname):
        return AccessError(
            self.env._(
                "%(partner)s: only a KAM Manager can change who serves a key "
                "account, whether it is key and its classification (field "
                "%(field)s).",
                partner=name,
                field=self._fields[fname]._description_string(self.env),
            )
        )

    def _kam_check_ownership_write(self, vals):
        """Refuse a change of who serves an account, whether it is key or its
        classification (``KAM_GUARDED_FIELDS``) unless by a KAM Manager (or the
        superuser: the classification, the commercial field sync). Values are
        compared: writing the current value is no change, and a contact may
        receive the value of its company."""
        self._kam_check_served_not_written([vals])
        fnames = [fname for fname in KAM_GUARDED_FIELDS if fname in vals]
        if not fnames or self._kam_may_change_ownership():
            return
        for partner in self.sudo():
            account = partner.commercial_partner_id
            for fname in fnames:
                new = self._kam_ownership_value(fname, vals[fname], partner)
                if new == self._kam_ownership_value(fname, partner[fname], partner):
                    continue
                if account != partner and new == self._kam_ownership_value(
                    fname, account[fname], account
                ):
                    continue
                raise self._kam_ownership_error(partner.display_name, fname)

    @api.model
    def _kam_check_served_not_written(self, vals_list):
        """ "Served by" is computed from the KAM, deputy and team: a value
        given directly would be stored as it is, so nobody but the superuser
        gives one (KAM Managers change the three fields instead)."""
        if self.env.su or not any("kam_served_user_ids" in v for v in vals_list):
            return
        raise AccessError(
            self.env._(
                "Served By is computed from the Key Account Manager, the Deputy "
                "KAM and the KAM Team: change those fields instead."
            )
        )

    @api.model
    def _kam_check_ownership_create(self, vals_list):
        """A new account gets a KAM, a deputy, a team, the key flag, a tier,
        a pin or classification results from a KAM Manager only (defaults
        included); a new contact receives those of its company (commercial
        field sync)."""
        self._kam_check_served_not_written(vals_list)
        if self._kam_may_change_ownership():
            return
        defaults = self.default_get(
            [*KAM_GUARDED_FIELDS, "parent_id", "is_company", "company_type"]
        )
        empty = self.browse()
        for vals in vals_list:
            merged = {**defaults, **vals}
            company = merged.get("is_company") or (
                merged.get("company_type") == "company"
            )
            if merged.get("parent_id") and not company:
                continue  # a contact: the sync gives it its company's values
            for fname in KAM_GUARDED_FIELDS:
                if fname in merged and self._kam_ownership_value(
                    fname, merged[fname], empty
                ):
                    raise self._kam_ownership_error(
                        vals.get("name") or self.env._("New partner"), fname
                    )

    def _update_fields_values(self, fields):
        """The commercial field sync copies the figures of an account onto its
        contacts (as superuser): the account's values are read as superuser
        for the fields the current user may not read, so that a salesperson
        can still add a contact to a key account."""
        hidden = [
            fname
            for fname in fields
            if fname in self._fields and not self._fields[fname].is_accessible(self.env)
        ]
        if not hidden:
            return super()._update_fields_values(fields)
        values = super()._update_fields_values(
            [fname for fname in fields if fname not in hidden]
        )
        values.update(super(ResPartner, self.sudo())._update_fields_values(hidden))
        return values

    # --- account plan ---
    kam_reason_line_ids = fields.One2many(
        comodel_name="kam.partner.key.reason",
        inverse_name="partner_id",
        string="Key Account Reasons",
        groups="kam_management.group_kam_user",
        help="Why the company is a key account, each reason with its evidence.",
    )
    kam_reason_ids = fields.Many2many(
        comodel_name="kam.key.reason",
        relation="kam_partner_key_reason_rel",
        column1="partner_id",
        column2="reason_id",
        string="Key Reasons",
        compute="_compute_kam_reason_ids",
        groups="kam_management.group_kam_user",
        store=True,
        help="Reasons given on the company; its contacts show the same.",
    )
    kam_pricelist_id = fields.Many2one(
        comodel_name="product.pricelist",
        string="Special Pricelist",
        tracking=True,
        help="Special terms: pricelist proposed on new quotations of this key "
        "account instead of the customer's usual one.",
    )
    kam_payment_term_id = fields.Many2one(
        comodel_name="account.payment.term",
        string="Special Payment Terms",
        tracking=True,
        help="Special terms: payment terms proposed on new quotations of this "
        "key account.",
    )
    kam_service_level_note = fields.Text(
        groups="kam_management.group_kam_user",
        string="Service Level",
        help="Special terms: individual service, accelerated delivery, VIP "
        "treatment... shown on the quotations of this key account.",
    )
    # whether there are special terms, not which: read by every employee
    kam_has_special_terms = fields.Boolean(
        string="Has Special Terms",
        compute="_compute_kam_has_special_terms",
        compute_sudo=True,
    )
    kam_account_plan_ids = fields.One2many(
        comodel_name="kam.account.plan",
        inverse_name="partner_id",
        string="Account Plans",
        groups="kam_management.group_kam_user",
    )
    kam_account_plan_count = fields.Integer(
        string="Account Plan Count",
        compute="_compute_kam_account_plan_count",
        groups="kam_management.group_kam_user",
    )
    kam_health_score_ids = fields.One2many(
        comodel_name="kam.health.score",
        inverse_name="partner_id",
        string="Health Scores",
        groups="kam_management.group_kam_user",
    )
    # the latest score of the current company (company-dependent, written by
    # kam.health.score._kam_store_latest whenever scores change)
    kam_health_last_id = fields.Many2one(
        comodel_name="kam.health.score",
        string="Last Health Score",
        groups="kam_management.group_kam_user",
        company_dependent=True,
        readonly=True,
    )
    kam_health_score = fields.Float(
        string="Health",
        groups="kam_management.group_kam_user",
        company_dependent=True,
        readonly=True,
        help="Score of the latest health score of the account in the current "
        "company.",
    )
    kam_health_colour = fields.Selection(
        selection=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
        string="Health Colour",
        groups="kam_management.group_kam_user",
        company_dependent=True,
        readonly=True,
    )
    kam_health_date = fields.Date(
        string="Health Date",
        groups="kam_management.group_kam_user",
        company_dependent=True,
        readonly=True,
    )

    @api.depends("commercial_partner_id.kam_reason_line_ids.reason_id")
    def _compute_kam_reason_ids(self):
        for partner in self:
            partner.kam_reason_ids = (
                partner.commercial_partner_id.kam_reason_line_ids.reason_id
            )

    @api.depends(
        "commercial_partner_id.kam_pricelist_id",
        "commercial_partner_id.kam_payment_term_id",
        "commercial_partner_id.kam_service_level_note",
    )
    def _compute_kam_has_special_terms(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.kam_has_special_terms = bool(
                commercial.kam_pricelist_id
                or commercial.kam_payment_term_id
                or commercial.kam_service_level_note
            )

    @api.depends("kam_account_plan_ids")
    def _compute_kam_account_plan_count(self):
        groups = dict(
            self.env["kam.account.plan"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kam_account_plan_count = groups.get(partner._origin, 0)

    def action_kam_compute_health(self):
        """Score the key accounts ``self`` today (button of the partner)."""
        self.check_access("write")
        accounts = self.commercial_partner_id.filtered("kam_is_key_account")
        if not (self._kam_may_change_ownership() or accounts._kam_is_served_by()):
            # the scores are created as superuser: not for any salesperson
            raise AccessError(
                self.env._(
                    "%(accounts)s: only the users who serve the account and KAM "
                    "Managers compute its health score.",
                    accounts=", ".join(accounts[:5].mapped("display_name")),
                )
            )
        self.env["kam.health.score"]._kam_compute(accounts)
        return True

    def action_kam_view_account_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_account_plan_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def action_kam_view_health(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_health_score_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def _kam_schedule_reconciliations(self, day=None):
        """Schedule the reconciliations of the month of ``day`` still missing
        for the key accounts ``self``: expected per month (company setting)
        minus those done this month minus those already planned. Each goes
        to the account's responsible user (the deputy while the KAM is
        absent). Running it again the same month schedules nothing twice."""
        day = day or fields.Date.context_today(self)
        activity_type = self.env.ref(
            "kam_management.mail_activity_type_reconciliation",
            raise_if_not_found=False,
        )
        accounts = self.commercial_partner_id.filtered("kam_is_key_account")
        if not activity_type or not accounts:
            return self.env["mail.activity"]
        month_start = day.replace(day=1)
        next_month = month_start + relativedelta(months=1)
        ids = tuple(accounts.ids)
        self.env["mail.message"].flush_model()
        self.env["mail.activity"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id, COUNT(*)
                  FROM mail_message m
                  JOIN res_partner p ON p.id = m.res_id
                 WHERE m.model = 'res.partner'
                   AND m.mail_activity_type_id = %(type)s
                   AND m.date >= %(start)s AND m.date < %(end)s
                   AND p.commercial_partner_id IN %(partners)s
                 GROUP BY p.commercial_partner_id
                UNION ALL
                SELECT p.commercial_partner_id, COUNT(*)
                  FROM mail_activity a
                  JOIN res_partner p ON p.id = a.res_id
                 WHERE a.res_model = 'res.partner'
                   AND a.activity_type_id = %(type)s
                   AND a.active
                   AND p.commercial_partner_id IN %(partners)s
                 GROUP BY p.commercial_partner_id
                """,
                type=activity_type.id,
                start=month_start,
                end=next_month,
                partners=ids,
            )
        )
        counted = defaultdict(int)
        for partner_id, count in self.env.cr.fetchall():
            counted[partner_id] += count
        days_in_month = (next_month - month_start).days
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for account in accounts:
            company = account.company_id or self.env.company
            expected = company.kam_reconciliations_per_month
            for index in range(counted[account.id], expected):
                deadline = month_start + relativedelta(
                    days=(index + 1) * days_in_month // expected - 1
                )
                deadline = max(deadline, day)
                user = account._kam_responsible_user(deadline)
                if not user:
                    continue
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": account.id,
                        "activity_type_id": activity_type.id,
                        "summary": self.env._("Monthly reconciliation"),
                        "date_deadline": deadline,
                        "user_id": user.id,
                    }
                )
        return self.env["mail.activity"].sudo().create(vals_list)

    @api.model
    def _cron_kam_reconciliation(self):
        """Monthly cadence: schedule the missing reconciliations of every key
        account for the current month."""
        accounts = self.search(
            [
                ("kam_is_key_account", "=", True),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
            ]
        )
        # set-based; when the batch fails, account by account (a failing
        # one recorded in kam.cron.failure, the others scheduled). Scheduling
        # skips what exists, so a killed run is simply run again.
        try:
            with self.env.cr.savepoint():
                accounts._kam_schedule_reconciliations()
        except Exception as exc:  # noqa: BLE001 - retried one by one
            _logger.warning("Monthly reconciliation: batch failed (%s)", exc)
            self.env["kam.cron.failure"]._kam_run_isolated(
                "reconciliation",
                accounts,
                lambda account: account._kam_schedule_reconciliations(),
            )

    # --- dossiers ---
    # personal data (kam_birthdate, ...): models/res_partner_personal.py
    kam_dossier_member_ids = fields.One2many(
        comodel_name="kam.dossier.member",
        inverse_name="partner_id",
        string="Dossier Roles",
        groups="kam_management.group_kam_user",
    )

    kam_dossier_id = fields.Many2one(
        comodel_name="kam.dossier",
        string="Dossier",
        compute="_compute_kam_dossier_id",
        groups="kam_management.group_kam_user",
        help="The decision-maker dossier of the account, when you may read it.",
    )

    @api.depends("commercial_partner_id")
    def _compute_kam_dossier_id(self):
        # searched with the user's rights: a dossier the user may not read
        # stays hidden
        dossiers = self.env["kam.dossier"].search(
            [("partner_id", "in", self.commercial_partner_id.ids)]
        )
        by_partner = {dossier.partner_id.id: dossier for dossier in dossiers}
        for partner in self:
            partner.kam_dossier_id = by_partner.get(
                partner.commercial_partner_id.id, False
            )

    def action_kam_open_dossier(self):
        """Open the dossier of the account, or create it for a user who serves
        the account (a KAM Manager for any account)."""
        self.ensure_one()
        account = self.commercial_partner_id
        self.invalidate_recordset(["kam_dossier_id"])
        dossier = self.kam_dossier_id
        if not dossier:
            if (
                self.env["kam.dossier"]
                .sudo()
                .with_context(active_test=False)
                .search_count([("partner_id", "=", account.id)])
            ):
                raise AccessError(
                    self.env._(
                        "%(account)s has a dossier you may not open (it may be "
                        "archived or belong to another company).",
                        account=account.display_name,
                    )
                )
            if not (
                self.env.user.has_group("kam_management.group_kam_manager")
                or account._kam_is_served_by()
            ):
                raise AccessError(
                    self.env._(
                        "Only the users who serve %(account)s (its KAM, the deputy, "
                        "the KAM team) or a KAM Manager may create its dossier.",
                        account=account.display_name,
                    )
                )
            dossier = self.env["kam.dossier"].create({"partner_id": account.id})
            self.invalidate_recordset(["kam_dossier_id"])
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.dossier",
            "res_id": dossier.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _kam_last_contact_dates(self):
        """{partner id: date of the last contact}: last message logged on or
        sent by the person (activities done included), or last past meeting
        the person attended, as a day of the time zone of
        ``fields.Date.context_today`` (the context's, else the user's), so that
        it can be compared with today. One query for all partners."""
        if not self.ids:
            return {}
        self.env["mail.message"].flush_model(
            ["model", "res_id", "author_id", "message_type", "date"]
        )
        self.env["calendar.event"].flush_model(["start", "active", "partner_ids"])
        query = SQL(
            """
            SELECT partner_id, MAX(day) FROM (
                SELECT res_id AS partner_id, date AS day
                  FROM mail_message
                 WHERE model = 'res.partner' AND res_id = ANY(%(ids)s)
                   AND (message_type IN ('comment', 'email')
                        OR mail_activity_type_id IS NOT NULL)
                UNION ALL
                SELECT author_id, date
                  FROM mail_message
                 WHERE author_id = ANY(%(ids)s)
                   AND message_type IN ('comment', 'email')
                UNION ALL
                SELECT rel.res_partner_id, event.start
                  FROM calendar_event_res_partner_rel rel
                  JOIN calendar_event event ON event.id = rel.calendar_event_id
                 WHERE rel.res_partner_id = ANY(%(ids)s)
                   AND event.active AND event.start <= %(now)s
            ) contacts
            GROUP BY partner_id
            """,
            ids=list(self.ids),
            now=fields.Datetime.now(),
        )
        return {
            partner_id: fields.Datetime.context_timestamp(self, last).date()
            for partner_id, last in self.env.execute_query(query)
        }

    def _kam_health_dossier_coverage(self):
        """{partner id: dossier completeness 0-100} of the key accounts of
        ``self`` (0 without a dossier), for the account health score."""
        dossiers = (
            self.env["kam.dossier"]
            .sudo()
            .search([("partner_id", "in", self.commercial_partner_id.ids)])
        )
        by_partner = {d.partner_id.id: d.completeness for d in dossiers}
        return {
            partner.id: by_partner.get(partner.commercial_partner_id.id, 0.0)
            for partner in self
        }

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
