# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .kam_classification_policy import (
    ABC_CLASSES,
    DEPENDENCE_LEVELS,
    dependence_rank_sql,
)
from .kam_tier import KamTierSelection

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


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
            # key accounts: classification results and the manual pin
            *KAM_CLASSIFICATION_FIELDS,
            "kam_pin",
            "kam_pin_reason",
        ]

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
        return super().create(vals_list)

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
