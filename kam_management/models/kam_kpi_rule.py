# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, mute_logger
from odoo.tools.safe_eval import safe_eval

from ..tools import kpi_periods

MEASURES = [
    ("calls", "Calls done"),
    ("offers_email", "Offers sent by e-mail"),
    ("offers_phone", "Offers by phone"),
    ("new_clients", "New-client contracts"),
    ("revenue", "Revenue invoiced"),
    ("margin", "Margin invoiced"),
    ("reconciliations", "Key-account reconciliation coverage (%)"),
    ("report_on_time", "Monthly reports submitted on time"),
    ("portfolio_growth", "Key-account portfolio growth (%)"),
    ("generic", "Generic: count or sum of a model"),
]

#: measures counting done activities of one type
ACTIVITY_MEASURES = ("calls", "offers_phone", "reconciliations")
#: default activity type of each activity measure (XML id)
ACTIVITY_TYPE_XMLIDS = {
    "calls": "mail.mail_activity_data_call",
    "offers_phone": "kam_management.mail_activity_type_offer_phone",
    "reconciliations": "kam_management.mail_activity_type_reconciliation",
}

#: Models a generic rule may count or sum: the sales documents people are
#: measured on. Contacts, users, HR and configuration models are not in it:
#: a rule must not become a way to query data its readers cannot see.
GENERIC_MODELS = (
    "sale.order",
    "crm.lead",
    "account.move",
    "account.move.line",
    "mail.activity",
    "mail.message",
    "calendar.event",
    "kam.tender",
    "kam.claim",
)
#: fields of a rule that define what a generic measure reads: whoever sets
#: them last is the rule's author, whose rights the measure runs with
GENERIC_FIELDS = (
    "measure",
    "model_id",
    "domain",
    "date_field_id",
    "user_field_id",
    "aggregate",
    "sum_field_id",
    "company_id",
)

#: columns of a result the evaluation compares with the new values: the
#: figures and the snapshot of the rule
RESULT_COLUMNS = (
    "id",
    "value",
    "target",
    "status",
    "attainment",
    "rule_name",
    "measure",
    "measure_label",
    "direction",
)

_logger = logging.getLogger(__name__)


class KamKpiRule(models.Model):
    """A quota or result people are measured on, per period."""

    _name = "kam.kpi.rule"
    _description = "KPI Rule"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    measure = fields.Selection(
        selection=MEASURES,
        required=True,
        default="calls",
        tracking=True,
    )
    measure_definition = fields.Text(
        compute="_compute_measure_definition",
        help="Exact definition of what the measure counts.",
    )
    target = fields.Float(
        required=True,
        tracking=True,
        help="Value each user must reach (at least) or stay within (at most) in "
        "each period, unless a per-user target overrides it.",
    )
    direction = fields.Selection(
        selection=[("at_least", "At least"), ("at_most", "At most")],
        required=True,
        default="at_least",
        tracking=True,
    )
    period = fields.Selection(
        selection=[
            ("day", "Day"),
            ("week", "Week"),
            ("month", "Month"),
            ("quarter", "Quarter"),
            ("half_year", "Half-year"),
        ],
        required=True,
        default="month",
        tracking=True,
    )
    working_days_only = fields.Boolean(
        default=True,
        help="Daily rules: evaluate only the working days of each user's working "
        "calendar; a day off (weekend, public holiday, leave, absence) is not a "
        "failed day.",
    )
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        compute="_compute_activity_type_id",
        store=True,
        readonly=False,
        help="Activities of this type, marked done, are counted.",
    )
    group_ids = fields.Many2many(
        comodel_name="res.groups",
        help="The rule applies to the internal users of these groups.",
    )
    team_ids = fields.Many2many(
        comodel_name="crm.team",
        string="Sales Teams",
        check_company=True,
        help="The rule applies to the leaders and members of these teams.",
    )
    user_ids = fields.Many2many(
        comodel_name="res.users",
        domain="[('share', '=', False)]",
    )
    applies_to = fields.Selection(
        selection=[
            ("non_kam", "Salespeople who are not KAMs"),
            ("kam", "KAM users"),
            ("all", "Everyone"),
        ],
        string="Measured People",
        required=True,
        default="all",
        tracking=True,
        help="Among the users of the groups, teams and users above, who is "
        "measured: KAM users are the members of the group KAM User (it "
        "implies Sales / User, so a salespeople quota would otherwise measure "
        "every KAM).",
    )
    applicable_user_count = fields.Integer(
        compute="_compute_applicable_user_count",
        string="Measured Users",
    )
    applicable_user_summary = fields.Char(
        compute="_compute_applicable_user_count",
        string="Measured Users Summary",
    )
    target_ids = fields.One2many(
        comodel_name="kam.kpi.target",
        inverse_name="rule_id",
        string="Per-user Targets",
    )
    result_ids = fields.One2many(comodel_name="kam.kpi.result", inverse_name="rule_id")
    result_count = fields.Integer(compute="_compute_result_count")
    last_error = fields.Text(
        readonly=True,
        copy=False,
        # an error may quote the domain's values or the database's message
        groups="kam_management.group_kam_manager",
        help="Why the last scheduled evaluation of this rule failed; emptied "
        "by the next evaluation that succeeds.",
    )
    # generic measure
    # the model and fields of a generic measure: uninstalling the module that
    # defines them empties them (the rule stays, with its results, and stops
    # running until a KAM Manager fixes it); a cascade would delete the rule
    model_id = fields.Many2one(
        comodel_name="ir.model",
        ondelete="set null",
        domain=[("model", "in", GENERIC_MODELS)],
        help="Only sales documents can be measured: quotations and orders, "
        "leads, invoices and journal items, activities, messages, meetings, "
        "tenders and claims.",
    )
    generic_author_id = fields.Many2one(
        comodel_name="res.users",
        string="Measure Author",
        readonly=True,
        copy=False,
        help="Who last set the model, domain or fields of the generic measure: "
        "the measure counts only the records this user can read, in the "
        "rule's company.",
    )
    model_name = fields.Char(related="model_id.model", string="Model Technical Name")
    domain = fields.Char(default="[]", help="Records counted (generic measure).")
    date_field_id = fields.Many2one(
        comodel_name="ir.model.fields",
        ondelete="set null",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime'))]",
    )
    user_field_id = fields.Many2one(
        comodel_name="ir.model.fields",
        ondelete="set null",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), "
        "('relation', '=', 'res.users')]",
    )
    aggregate = fields.Selection(
        selection=[("count", "Count"), ("sum", "Sum")],
        default="count",
    )
    sum_field_id = fields.Many2one(
        comodel_name="ir.model.fields",
        string="Summed Field",
        ondelete="set null",
        domain="[('model_id', '=', model_id), "
        "('ttype', 'in', ('integer', 'float', 'monetary'))]",
    )

    @api.depends("measure")
    def _compute_measure_definition(self):
        definitions = self._measure_definitions()
        for rule in self:
            rule.measure_definition = definitions.get(rule.measure, "")

    @api.depends("measure")
    def _compute_activity_type_id(self):
        for rule in self:
            xmlid = ACTIVITY_TYPE_XMLIDS.get(rule.measure)
            rule.activity_type_id = xmlid and self.env.ref(
                xmlid, raise_if_not_found=False
            )

    @api.depends(
        "applies_to",
        "group_ids",
        "team_ids.user_id",
        "team_ids.member_ids",
        "user_ids",
        "company_id",
    )
    def _compute_applicable_user_count(self):
        users_by_rule = self._applicable_users()
        for rule in self:
            users = users_by_rule.get(rule, self.env["res.users"])
            rule.applicable_user_count = len(users)
            names = ", ".join(users[:5].mapped("name"))
            if len(users) > 5:
                names = self.env._(
                    "%(names)s and %(count)s more", names=names, count=len(users) - 5
                )
            rule.applicable_user_summary = self.env._(
                "Measures %(count)s users: %(names)s",
                count=len(users),
                names=names or "-",
            )

    def _compute_result_count(self):
        counts = dict(
            self.env["kam.kpi.result"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.result_count = counts.get(rule, 0)

    @api.model
    def _kam_measures(self):
        """Registry of the measures: ``{code: {"label", "definition",
        "direction", "method"}}``. ``direction`` is the natural direction of
        the measure, ``method`` the name of the method computing
        ``{user_id: value}`` for ``(users, date_from, date_to)``. The engine
        registers the core measures; each pillar adds its own in
        ``kam_kpi_rule_<pillar>.py`` (``super()`` then update)."""
        definitions = self._core_measure_definitions()
        return {
            code: {
                "label": label,
                "definition": definitions[code],
                "direction": "at_least",
                "method": f"_measure_{code}",
            }
            for code, label in MEASURES
        }

    def _measure_definitions(self):
        """The exact definition of every measure (shown in the rule form and
        in docs/kpi.md)."""
        return {
            code: entry["definition"] for code, entry in self._kam_measures().items()
        }

    def _core_measure_definitions(self):
        """The definitions of the core measures."""
        return {
            "calls": self.env._(
                "Number of activities of the chosen type (default: Call) marked "
                "done by the user in the period: the messages Odoo logs when an "
                "activity is done, authored by the user, dated in the period in "
                "the user's time zone."
            ),
            "offers_email": self.env._(
                "Number of quotations or sales orders the user sent by e-mail in "
                "the period: messages of the user on sales orders that are "
                "e-mails (not internal notes, not system notifications), counted "
                "at most once per order and per day in the user's time zone."
            ),
            "offers_phone": self.env._(
                "Number of activities of the chosen type (default: Offer by "
                "phone) marked done by the user in the period, dated in the "
                "user's time zone."
            ),
            "new_clients": self.env._(
                "Number of customers (commercial entities) whose first confirmed "
                "sales order was confirmed in the period with the user as "
                "salesperson; the confirmation date is taken in the user's time "
                "zone. Cancelled orders do not count."
            ),
            "revenue": self.env._(
                "Untaxed amount of the posted customer invoices minus refunds "
                "with the user as salesperson, invoice date in the period, in "
                "company currency (Invoicing analysis)."
            ),
            "margin": self.env._(
                "Margin of the posted customer invoices minus refunds with the "
                "user as salesperson, invoice date in the period, in company "
                "currency: untaxed amount minus product cost (Invoicing "
                "analysis)."
            ),
            "reconciliations": self.env._(
                "Share in percent of the user's key accounts (companies flagged "
                "key account with the user as KAM) on which an activity of the "
                "chosen type (default: Reconciliation) was marked done in the "
                "period by the user, on the company or one of its contacts. A "
                "user without key accounts scores 100."
            ),
            "report_on_time": self.env._(
                "Number of the user's monthly reports due in the period that were "
                "submitted on or before their due date."
            ),
            "portfolio_growth": self.env._(
                "Growth in percent of the untaxed revenue (posted invoices minus "
                "refunds, company currency) of the user's key accounts in the "
                "period against the same dates one year before: "
                "(current - previous) / previous x 100. With no revenue the year "
                "before: 100 if there is revenue now, else 0."
            ),
            "generic": self.env._(
                "Number of records (or sum of a field) of the chosen model "
                "matching the domain, whose date field is in the period (in the "
                "user's time zone for date-times), grouped by the user field."
            ),
        }

    _sql_constraints = [
        (
            "target_positive",
            "CHECK(target >= 0)",
            "The target of a KPI rule cannot be negative.",
        ),
    ]

    @api.constrains("target")
    def _check_target(self):
        for rule in self:
            if rule.target < 0:
                raise ValidationError(
                    self.env._(
                        "KPI rule %(rule)s: the target cannot be negative "
                        "(%(target)s).",
                        rule=rule.display_name,
                        target=rule.target,
                    )
                )

    @api.constrains("group_ids", "team_ids", "user_ids", "active")
    def _check_applies_to_someone(self):
        for rule in self:
            if rule.active and not (rule.group_ids or rule.team_ids or rule.user_ids):
                raise ValidationError(
                    self.env._(
                        "KPI rule %(rule)s applies to no one: set groups, sales "
                        "teams or users in 'Applies to'.",
                        rule=rule.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("measure") == "generic":
                vals["generic_author_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        if any(fname in vals for fname in GENERIC_FIELDS):
            vals = dict(vals, generic_author_id=self.env.uid)
        elif "generic_author_id" in vals and not self.env.su:
            vals = {k: v for k, v in vals.items() if k != "generic_author_id"}
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_results(self):
        """Results are history (attestations, commissions and reports read
        them): a rule that has results is archived, not deleted."""
        groups = (
            self.env["kam.kpi.result"]
            .sudo()
            ._read_group([("rule_id", "in", self.ids)], ["rule_id"], ["__count"])
        )
        if groups:
            raise UserError(
                self.env._(
                    "The KPI rules %(rules)s have results (%(count)s): they "
                    "cannot be deleted, archive them instead (Active off). "
                    "Only a rule without results can be deleted.",
                    rules=", ".join(rule.sudo().display_name for rule, __ in groups),
                    count=sum(count for __, count in groups),
                )
            )

    def _result_snapshot(self):
        """What a result keeps of its rule at the evaluation: its name,
        measure (code and description), direction."""
        self.ensure_one()
        label = dict(self._fields["measure"]._description_selection(self.env)).get(
            self.measure, self.measure
        )
        if self.measure == "generic":
            sudo_rule = self.sudo()
            label = self.env._(
                "%(aggregate)s of %(model)s",
                aggregate=dict(
                    self._fields["aggregate"]._description_selection(self.env)
                ).get(sudo_rule.aggregate, ""),
                model=sudo_rule.model_id.name or "",
            )
            if sudo_rule.aggregate == "sum":
                label = self.env._(
                    "%(label)s (%(field)s)",
                    label=label,
                    field=sudo_rule.sum_field_id.field_description or "",
                )
        return {
            "rule_name": self.name,
            "measure": self.measure,
            "measure_label": label,
            "direction": self.direction,
        }

    @api.constrains(*GENERIC_FIELDS)
    def _check_generic(self):
        for rule in self.filtered(lambda r: r.measure == "generic"):
            problem = rule._generic_problem()
            if problem:
                raise ValidationError(problem)

    def _generic_problem(self):
        """Why the generic measure of ``self`` cannot run (a translated
        message), or ``None``. Checked when the rule is saved and again when
        it is evaluated (a rule written by other means is not trusted)."""
        self.ensure_one()
        # read as superuser: the model and fields are checked whoever saves
        # (reading ir.model is an access administrator's right)
        sudo_rule = self.sudo()
        rule = self.display_name
        model_name = sudo_rule.model_id.model or ""
        if model_name and model_name not in self.env:
            return self.env._(
                "KPI rule %(rule)s: the model %(model)s is unknown.",
                rule=rule,
                model=model_name,
            )
        if model_name and model_name not in GENERIC_MODELS:
            return self.env._(
                "KPI rule %(rule)s: the model %(model)s cannot be measured; a "
                "generic measure counts one of: %(models)s.",
                rule=rule,
                model=model_name,
                models=", ".join(GENERIC_MODELS),
            )
        if not (
            sudo_rule.model_id and sudo_rule.date_field_id and sudo_rule.user_field_id
        ):
            return self.env._(
                "KPI rule %(rule)s: a generic measure needs a model, a date "
                "field and a user field.",
                rule=rule,
            )
        if sudo_rule.aggregate == "sum" and not sudo_rule.sum_field_id:
            return self.env._("KPI rule %(rule)s: choose the summed field.", rule=rule)
        Model = self.env[model_name]
        for field, kinds in (
            (sudo_rule.date_field_id, ("date", "datetime")),
            (sudo_rule.user_field_id, ("many2one",)),
            (
                sudo_rule.aggregate == "sum" and sudo_rule.sum_field_id,
                ("integer", "float", "monetary"),
            ),
        ):
            if not field:
                continue
            model_field = Model._fields.get(field.name)
            if (
                field.model != model_name
                or not model_field
                or model_field.type not in kinds
                or (
                    field == sudo_rule.user_field_id
                    and model_field.comodel_name != "res.users"
                )
                or not model_field.store
            ):
                return self.env._(
                    "KPI rule %(rule)s: the field %(field)s cannot be used by a "
                    "measure on %(model)s.",
                    rule=rule,
                    field=field.name,
                    model=model_name,
                )
            if model_field.groups:
                return self.env._(
                    "KPI rule %(rule)s: the field %(field)s is restricted to some "
                    "groups; a KPI measure cannot read it.",
                    rule=rule,
                    field=field.name,
                )
        if not sudo_rule.generic_author_id:
            return self.env._(
                "KPI rule %(rule)s: nobody is recorded as the author of the "
                "measure; a KAM Manager must save its model and domain again.",
                rule=rule,
            )
        try:
            domain = sudo_rule._generic_domain()
        except (ValueError, SyntaxError, NameError, TypeError) as error:
            return self.env._(
                "KPI rule %(rule)s: the domain is not valid (%(error)s).",
                rule=rule,
                error=error,
            )
        try:
            # values PostgreSQL refuses (a date field against 'abc') pass the
            # parsing: one trial query, in a savepoint, tells them
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                Model.sudo().with_context(active_test=False).search_count(
                    domain, limit=1
                )
        except (ValueError, psycopg2.Error) as error:
            return self.env._(
                "KPI rule %(rule)s: the domain is not valid (%(error)s).",
                rule=rule,
                error=str(error).splitlines()[0] if str(error) else error,
            )
        restricted = self._restricted_domain_fields(Model, domain)
        if restricted:
            return self.env._(
                "KPI rule %(rule)s: the domain uses %(fields)s, restricted to "
                "some groups; a KPI measure cannot filter on it.",
                rule=rule,
                fields=", ".join(restricted),
            )
        return None

    def _generic_domain(self):
        """The rule's domain, evaluated and checked against its model
        (raises ``ValueError`` and the like when it is not valid)."""
        domain = safe_eval(self.domain or "[]")
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("a domain is a list of conditions"))
        domain = expression.normalize_domain(list(domain))
        # parses every leaf against the model (unknown fields, operators)
        expression.expression(domain, self.env[self.model_id.model].sudo())
        return domain

    @api.model
    def _restricted_domain_fields(self, Model, domain):
        """Paths of the leaves of ``domain`` (on ``Model``) that reach a field
        restricted by ``groups=``, directly, through a dotted path, through a
        related field or in an ``any`` sub-domain."""
        restricted = []
        for leaf in domain:
            if not expression.is_leaf(leaf) or leaf in (
                expression.TRUE_LEAF,
                expression.FALSE_LEAF,
            ):
                continue
            path, operator, value = leaf
            if not isinstance(path, str):
                continue
            comodel = self._restricted_path(Model, path, restricted)
            if (
                comodel is not None
                and operator in ("any", "not any")
                and isinstance(value, list | tuple)
            ):
                restricted += [
                    f"{path}.{sub}"
                    for sub in self._restricted_domain_fields(
                        comodel, expression.normalize_domain(list(value))
                    )
                ]
        return restricted

    @api.model
    def _restricted_path(self, Model, path, restricted):
        """Walk the dotted ``path`` from ``Model``; append it to
        ``restricted`` if it crosses a field with ``groups``. Returns the
        model the last field points to (or ``None``)."""
        model = Model
        for name in path.split("."):
            field = model._fields.get(name)
            if field is None:
                restricted.append(path)
                return None
            related_hits = []
            if field.related:
                self._restricted_path(model, field.related, related_hits)
            if field.groups or related_hits:
                restricted.append(path)
                return None
            if not field.relational:
                return None
            model = self.env[field.comodel_name]
        return model

    @api.constrains("measure", "activity_type_id")
    def _check_activity_type(self):
        for rule in self:
            if rule.measure in ACTIVITY_MEASURES and not rule.activity_type_id:
                raise ValidationError(
                    self.env._(
                        "KPI rule %(rule)s: choose the activity type it counts.",
                        rule=rule.display_name,
                    )
                )

    def action_view_results(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_kpi_result_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {"search_default_group_user": 1}
        return action

    def action_evaluate(self):
        """Evaluate the current and the last closed period now."""
        self._evaluate()
        return self.action_view_results() if len(self) == 1 else True

    # ------------------------------------------------------------------
    # users and targets
    # ------------------------------------------------------------------
    def _applicable_users(self):
        """``{rule: users}``: internal active users of the rule's company the
        rule applies to."""
        Users = self.env["res.users"].sudo().with_context(active_test=True)
        eligible = {}
        result = {}
        kam_group = self.env.ref(
            "kam_management.group_kam_user", raise_if_not_found=False
        )
        # groups_id holds the implied groups too: KAM Managers are KAM users
        kams = set(kam_group.sudo().users.ids) if kam_group else set()
        for rule in self:
            users = rule.user_ids
            if rule.group_ids:
                users |= Users.search([("groups_id", "in", rule.group_ids.ids)])
            if rule.team_ids:
                users |= rule.team_ids.user_id | rule.team_ids.member_ids
            company = rule.company_id
            if company not in eligible:
                eligible[company] = set(
                    Users.search(
                        [("share", "=", False), ("company_ids", "in", company.id)]
                    ).ids
                )
            users = users.browse([uid for uid in users.ids if uid in eligible[company]])
            if rule.applies_to != "all":
                keep = rule.applies_to == "kam"
                users = users.browse(
                    [uid for uid in users.ids if (uid in kams) == keep]
                )
            result[rule] = users
        return result

    def _targets(self, users, period_start):
        """``{(rule_id, user_id): target}`` of the per-user targets covering
        ``period_start``."""
        targets = (
            self.env["kam.kpi.target"]
            .sudo()
            .search_fetch(
                [
                    ("rule_id", "in", self.ids),
                    ("user_id", "in", users.ids),
                    ("date_from", "<=", period_start),
                    ("date_to", ">=", period_start),
                ],
                ["rule_id", "user_id", "target"],
            )
        )
        return {(t.rule_id.id, t.user_id.id): t.target for t in targets}

    # ------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------
    def _measure_key(self):
        """Rules sharing a key share one query per period."""
        self.ensure_one()
        if self.measure == "generic":
            return ("generic", self.id)
        return (self.measure, self.activity_type_id.id, self.company_id.id)

    def _evaluate(self, today=None):
        """Evaluate the rules of ``self`` for the current period and the last
        closed period of each rule, for all their users. One grouped query per
        (measure, period); results are created or updated, never duplicated."""
        today = today or fields.Date.context_today(self)
        # measures that look at the state "now" (claims overdue) read this day
        rules = self.with_context(kam_kpi_today=today)
        periods = defaultdict(lambda: rules.browse())
        for rule in rules:
            for day in (today, kpi_periods.previous_period_start(rule.period, today)):
                start, end = kpi_periods.period_bounds(rule.period, day)
                periods[(start, end)] |= rule
        users_by_rule = rules._applicable_users()
        for (start, end), period_rules in periods.items():
            period_rules._evaluate_period(start, end, today, users_by_rule)

    def _evaluate_period(self, date_from, date_to, today, users_by_rule=None):
        """Evaluate the rules of ``self`` for ``[date_from, date_to]``
        (``users_by_rule``: ``_applicable_users()`` of ``self`` or more, when
        the caller already has it)."""
        if users_by_rule is None:
            users_by_rule = self._applicable_users()
        users_by_rule = {rule: users_by_rule[rule] for rule in self}
        all_users = self.env["res.users"].union(*users_by_rule.values())
        if not all_users:
            return
        working = {}
        if date_from == date_to and any(
            r.period == "day" and r.working_days_only for r in self
        ):
            working = all_users._kam_working_days(date_from, date_to)
        values_by_key = {}
        for rule in self:
            key = rule._measure_key()
            if key not in values_by_key:
                key_users = self.env["res.users"].union(
                    *(users_by_rule[r] for r in self if r._measure_key() == key)
                )
                values_by_key[key] = rule._measure_values(key_users, date_from, date_to)
        targets = self._targets(all_users, date_from)
        Result = self.env["kam.kpi.result"].sudo()
        # the existing results as plain rows: thousands of them per period,
        # compared with the new values and written only when they changed
        Result.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT rule_id, user_id, id, value, target, status, attainment,
                       rule_name, measure, measure_label, direction
                  FROM kam_kpi_result
                 WHERE rule_id = ANY(%s) AND date_from = %s
                """,
                self.ids,
                date_from,
            )
        )
        existing = {
            row[0:2]: dict(zip(RESULT_COLUMNS, row[2:], strict=True))
            for row in self.env.cr.fetchall()
        }
        closed = date_to < today
        to_create = []
        to_unlink_ids = []
        for rule in self:
            values = values_by_key[rule._measure_key()]
            day_off_counts = rule.period == "day" and rule.working_days_only
            # the rule's fields read once, not once per user
            rule_id, default_target, direction = rule.id, rule.target, rule.direction
            snapshot = rule._result_snapshot()
            new_vals = {
                "rule_id": rule_id,
                "company_id": rule.company_id.id,
                "period": rule.period,
                "date_from": date_from,
                "date_to": date_to,
            }
            for user_id in users_by_rule[rule].ids:
                result = existing.pop((rule_id, user_id), None)
                if day_off_counts and date_from not in working.get(user_id, ()):
                    if result:
                        to_unlink_ids.append(result["id"])
                    continue
                target = targets.get((rule_id, user_id), default_target)
                value = values.get(user_id, 0.0)
                vals = {
                    "value": value,
                    "target": target,
                    "status": kpi_periods.result_status(
                        value, target, direction, closed
                    ),
                    "attainment": kpi_periods.attainment(value, target, direction),
                    **snapshot,
                }
                if not result:
                    to_create.append(dict(new_vals, user_id=user_id, **vals))
                elif any(result[fname] != vals[fname] for fname in vals):
                    # only what changed is written (most results of an hourly
                    # run do not change)
                    Result.browse(result["id"]).write(vals)
        if not closed:
            # users the rule no longer applies to keep only their closed results
            to_unlink_ids += [result["id"] for result in existing.values()]
        Result.browse(to_unlink_ids).unlink()
        self._insert_results(to_create)
        Result.flush_model()

    def _insert_results(self, vals_list):
        """Create the new results of a period in one ``INSERT``: thousands of
        them at the start of each period (500 users x 8 rules), where the ORM
        would spend most of the evaluation building records nobody reads.
        ``kam.kpi.result`` has no computed stored field, no tracking and no
        default the evaluation does not set; the caches of the one2many
        fields pointing to results are invalidated."""
        if not vals_list:
            return
        columns = (
            "rule_id",
            "user_id",
            "company_id",
            "period",
            "date_from",
            "date_to",
            "value",
            "target",
            "status",
            "attainment",
            "rule_name",
            "measure",
            "measure_label",
            "direction",
        )
        fields_ = self.env["kam.kpi.result"]._fields
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kam_kpi_result (%(columns)s, create_uid, create_date,
                                            write_uid, write_date)
                SELECT *, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(arrays)s)
                """,
                columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                uid=self.env.uid,
                now=self.env.cr.now(),
                arrays=SQL(", ").join(
                    SQL(
                        f"%s::{fields_[column].column_type[0]}[]",
                        [vals[column] for vals in vals_list],
                    )
                    for column in columns
                ),
            )
        )
        self.env["kam.kpi.rule"].invalidate_model(["result_ids"])
        self.env["res.users"].invalidate_model(["kam_kpi_result_ids"])

    def _measure_values(self, users, date_from, date_to):
        """``{user_id: value}`` of the measure of ``self`` for ``users`` over
        ``[date_from, date_to]``: one grouped query."""
        self.ensure_one()
        entry = self._kam_measures().get(self.measure)
        if not entry:
            raise UserError(
                self.env._(
                    "KPI rule %(rule)s: the measure %(measure)s is not available.",
                    rule=self.display_name,
                    measure=self.measure,
                )
            )
        return getattr(self, entry["method"])(users, date_from, date_to)

    # SQL pieces -------------------------------------------------------
    @api.model
    def _utc_window(self, date_from, date_to):
        """UTC bounds wide enough for every time zone (-12 h .. +14 h)."""
        start = fields.Datetime.to_datetime(date_from) - timedelta(days=1)
        end = fields.Datetime.to_datetime(date_to) + timedelta(days=2)
        return start, end

    @api.model
    def _local_date(self, column, tz_column):
        """SQL: the date of the UTC ``column`` in the time zone ``tz_column``."""
        return SQL(
            "((%s AT TIME ZONE 'UTC') AT TIME ZONE "
            "COALESCE(NULLIF(%s, ''), 'UTC'))::date",
            column,
            tz_column,
        )

    def _fetch_values(self, query):
        self.env.flush_all()
        self.env.cr.execute(query)
        return {
            user_id: float(value or 0.0) for user_id, value in self.env.cr.fetchall()
        }

    def _done_activity_query(self, users, date_from, date_to, select, extra=None):
        start, end = self._utc_window(date_from, date_to)
        return SQL(
            """
            SELECT u.id, %(select)s
              FROM mail_message m
              JOIN res_users u ON u.partner_id = m.author_id
              JOIN res_partner up ON up.id = u.partner_id
              %(extra)s
             WHERE m.mail_activity_type_id = %(type_id)s
               AND m.kam_activity_done
               AND m.date >= %(start)s AND m.date < %(end)s
               AND u.id = ANY(%(user_ids)s)
               AND %(local)s BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY u.id
            """,
            select=select,
            extra=extra or SQL(""),
            type_id=self.activity_type_id.id,
            start=start,
            end=end,
            user_ids=users.ids,
            local=self._local_date(SQL("m.date"), SQL("up.tz")),
            date_from=date_from,
            date_to=date_to,
        )

    # measures ---------------------------------------------------------
    def _measure_calls(self, users, date_from, date_to):
        return self._fetch_values(
            self._done_activity_query(users, date_from, date_to, SQL("COUNT(*)"))
        )

    def _measure_offers_phone(self, users, date_from, date_to):
        return self._measure_calls(users, date_from, date_to)

    def _measure_offers_email(self, users, date_from, date_to):
        start, end = self._utc_window(date_from, date_to)
        local = self._local_date(SQL("m.date"), SQL("up.tz"))
        return self._fetch_values(
            SQL(
                """
                SELECT u.id, COUNT(DISTINCT (m.res_id, %(local)s))
                  FROM mail_message m
                  JOIN res_users u ON u.partner_id = m.author_id
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE m.model = 'sale.order'
                   AND m.message_type = 'comment'
                   AND m.subtype_id = %(subtype_id)s
                   AND m.date >= %(start)s AND m.date < %(end)s
                   AND u.id = ANY(%(user_ids)s)
                   AND %(local)s BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY u.id
                """,
                local=local,
                subtype_id=self.env["ir.model.data"]._xmlid_to_res_id(
                    "mail.mt_comment"
                ),
                start=start,
                end=end,
                user_ids=users.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )

    def _measure_new_clients(self, users, date_from, date_to):
        start, end = self._utc_window(date_from, date_to)
        local = self._local_date(SQL("so.date_order"), SQL("up.tz"))
        return self._fetch_values(
            SQL(
                """
                SELECT u.id, COUNT(DISTINCT cp.commercial_partner_id)
                  FROM sale_order so
                  JOIN res_partner cp ON cp.id = so.partner_id
                  JOIN res_users u ON u.id = so.user_id
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company_id)s
                   AND so.date_order >= %(start)s AND so.date_order < %(end)s
                   AND u.id = ANY(%(user_ids)s)
                   AND %(local)s BETWEEN %(date_from)s AND %(date_to)s
                   AND NOT EXISTS (
                        SELECT 1
                          FROM sale_order prev
                          JOIN res_partner pp ON pp.id = prev.partner_id
                         WHERE prev.state = 'sale'
                           AND prev.company_id = so.company_id
                           AND pp.commercial_partner_id = cp.commercial_partner_id
                           AND (prev.date_order, prev.id) < (so.date_order, so.id)
                   )
                 GROUP BY u.id
                """,
                local=local,
                company_id=self.company_id.id,
                start=start,
                end=end,
                user_ids=users.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )

    def _invoice_domain(self, users, date_from, date_to):
        return [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_user_id", "in", users.ids),
            ("invoice_date", ">=", date_from),
            ("invoice_date", "<=", date_to),
        ]

    def _measure_revenue(self, users, date_from, date_to, field="price_subtotal"):
        groups = (
            self.env["account.invoice.report"]
            .sudo()
            ._read_group(
                self._invoice_domain(users, date_from, date_to),
                ["invoice_user_id"],
                [f"{field}:sum"],
            )
        )
        return {user.id: total or 0.0 for user, total in groups}

    def _measure_margin(self, users, date_from, date_to):
        return self._measure_revenue(users, date_from, date_to, field="price_margin")

    def _measure_reconciliations(self, users, date_from, date_to):
        """Two queries for all users: their key accounts, then the (user,
        account) pairs with a reconciliation done in the period. Joining both
        in one statement lets PostgreSQL underestimate the accounts and pick
        a nested loop that rescans every done activity once per account."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT id, kam_user_id FROM res_partner
                 WHERE (kam_is_key_account ->> %(company_key)s)::bool
                   AND active
                   AND id = commercial_partner_id
                   AND kam_user_id = ANY(%(user_ids)s)
                   AND (company_id IS NULL OR company_id = %(company_id)s)
                """,
                user_ids=users.ids,
                company_id=self.company_id.id,
                company_key=str(self.company_id.id),
            )
        )
        accounts = cr.fetchall()
        if not accounts:
            # no key account: nothing to reconcile, nothing missed
            return dict.fromkeys(users.ids, 100.0)
        start, end = self._utc_window(date_from, date_to)
        cr.execute(
            SQL(
                """
                SELECT DISTINCT u.id, mp.commercial_partner_id
                  FROM mail_message m
                  JOIN res_partner mp ON mp.id = m.res_id
                  JOIN res_users u ON u.partner_id = m.author_id
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE m.model = 'res.partner'
                   AND m.mail_activity_type_id = %(type_id)s
                   AND m.kam_activity_done
                   AND m.date >= %(start)s AND m.date < %(end)s
                   AND u.id = ANY(%(user_ids)s)
                   AND mp.commercial_partner_id = ANY(%(account_ids)s)
                   AND %(local)s BETWEEN %(date_from)s AND %(date_to)s
                """,
                type_id=self.activity_type_id.id,
                start=start,
                end=end,
                user_ids=users.ids,
                account_ids=[account_id for account_id, __ in accounts],
                local=self._local_date(SQL("m.date"), SQL("up.tz")),
                date_from=date_from,
                date_to=date_to,
            )
        )
        done = set(cr.fetchall())
        total = defaultdict(int)
        reconciled = defaultdict(int)
        for account_id, user_id in accounts:
            total[user_id] += 1
            reconciled[user_id] += (user_id, account_id) in done
        return {
            uid: 100.0 * reconciled[uid] / total[uid] if total[uid] else 100.0
            for uid in users.ids
        }

    def _measure_report_on_time(self, users, date_from, date_to):
        groups = (
            self.env["kam.monthly.report"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("user_id", "in", users.ids),
                    ("due_date", ">=", date_from),
                    ("due_date", "<=", date_to),
                    ("is_late", "=", False),
                    ("state", "!=", "draft"),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        return {user.id: count for user, count in groups}

    def _measure_portfolio_growth(self, users, date_from, date_to):
        prev_from, prev_to = kpi_periods.same_period_year_before(date_from, date_to)
        report = self.env["account.invoice.report"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT ka.kam_user_id,
                       COALESCE(SUM(r.price_subtotal)
                                FILTER (WHERE r.invoice_date >= %(date_from)s), 0),
                       COALESCE(SUM(r.price_subtotal)
                                FILTER (WHERE r.invoice_date <= %(prev_to)s), 0)
                  FROM %(report)s r
                  JOIN res_partner ka ON ka.id = r.commercial_partner_id
                 WHERE (ka.kam_is_key_account ->> %(company_key)s)::bool
                   AND ka.kam_user_id = ANY(%(user_ids)s)
                   AND r.company_id = %(company_id)s
                   AND r.state = 'posted'
                   AND r.move_type IN ('out_invoice', 'out_refund')
                   AND ((r.invoice_date BETWEEN %(date_from)s AND %(date_to)s)
                        OR (r.invoice_date BETWEEN %(prev_from)s AND %(prev_to)s))
                 GROUP BY ka.kam_user_id
                """,
                report=SQL("(%s)", report._table_query),
                date_from=date_from,
                date_to=date_to,
                prev_from=prev_from,
                prev_to=prev_to,
                user_ids=users.ids,
                company_id=self.company_id.id,
                company_key=str(self.company_id.id),
            )
        )
        values = {}
        for user_id, current, previous in self.env.cr.fetchall():
            if previous:
                values[user_id] = 100.0 * (current - previous) / abs(previous)
            else:
                values[user_id] = 100.0 if current > 0 else 0.0
        return values

    def _generic_model(self):
        """The model of the generic measure with the rights of the rule's
        author, restricted to the rule's company; raises ``UserError`` when
        the rule cannot run."""
        problem = self._generic_problem()
        author = self.generic_author_id
        company = self.company_id
        # a rule written by code or data files (superuser) runs as such
        from_code = author.id == SUPERUSER_ID
        if (
            not problem
            and not from_code
            and (not author.active or company not in author.sudo().company_ids)
        ):
            problem = self.env._(
                "KPI rule %(rule)s: its author %(user)s is no longer an active "
                "user of %(company)s; a KAM Manager must save its model and "
                "domain again.",
                rule=self.display_name,
                user=author.name,
                company=company.name,
            )
        if problem:
            raise UserError(problem)
        # the rule's model and fields are read as superuser (reading ir.model
        # is an access administrator's right); the records as the author
        sudo_rule = self.sudo()
        Model = self.env[sudo_rule.model_id.model]
        Model = (
            Model.sudo()
            if from_code
            else Model.with_user(author).with_context(allowed_company_ids=[company.id])
        )
        try:
            Model.check_access("read")
        except AccessError as error:
            raise UserError(
                self.env._(
                    "KPI rule %(rule)s: its author %(user)s cannot read %(model)s.",
                    rule=self.display_name,
                    user=author.name,
                    model=sudo_rule.model_id.name,
                )
            ) from error
        return Model

    def _measure_generic(self, users, date_from, date_to):
        """Runs as the rule's author (record rules and access rights of that
        user apply) inside the rule's company."""
        Model = self._generic_model()
        sudo_rule = self.sudo()
        date_field = Model._fields[sudo_rule.date_field_id.name]
        user_field = sudo_rule.user_field_id.name
        domain = sudo_rule._generic_domain()
        company_field = Model._fields.get("company_id")
        if company_field and company_field.store:
            domain = expression.AND([domain, [("company_id", "=", self.company_id.id)]])
        if date_field.type == "date":
            bounds = [
                (date_field.name, ">=", date_from),
                (date_field.name, "<=", date_to),
            ]
        else:
            bounds = [
                (date_field.name, ">=", self._utc_window(date_from, date_to)[0]),
                (date_field.name, "<", self._utc_window(date_from, date_to)[1]),
            ]
        query = Model._search(
            expression.AND([domain, bounds, [(user_field, "in", users.ids)]])
        )
        table = query.table
        amount = (
            SQL("1")
            if self.aggregate == "count"
            else Model._field_to_sql(table, sudo_rule.sum_field_id.name, query)
        )
        sub = query.select(
            SQL(
                "%s AS user_id, %s AS dt, %s AS amount",
                Model._field_to_sql(table, user_field, query),
                Model._field_to_sql(table, date_field.name, query),
                amount,
            )
        )
        day = (
            SQL("s.dt")
            if date_field.type == "date"
            else self._local_date(SQL("s.dt"), SQL("up.tz"))
        )
        return self._fetch_values(
            SQL(
                """
                SELECT s.user_id, SUM(s.amount)
                  FROM (%(sub)s) s
                  JOIN res_users u ON u.id = s.user_id
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE %(day)s BETWEEN %(date_from)s AND %(date_to)s
                 GROUP BY s.user_id
                """,
                sub=sub,
                day=day,
                date_from=date_from,
                date_to=date_to,
            )
        )

    # ------------------------------------------------------------------
    # cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_evaluate(self):
        """Evaluate every active rule (current and last closed period). A
        rule that cannot run (a generic rule whose model or fields are gone,
        a measure that fails) is skipped in its own savepoint: it does not
        stop the other rules. Its error is logged (warning) and kept in
        ``last_error`` (shown to KAM Managers in the rule's form) until an
        evaluation succeeds."""
        rules = self.search([("active", "=", True)])
        errors = {}
        for rule in rules.filtered(lambda r: r.measure == "generic"):
            try:
                rule._generic_model()
            except UserError as error:
                errors[rule] = str(error)
        rules -= self.union(*errors)
        for company in rules.company_id:
            company_rules = rules.filtered(lambda r, c=company: r.company_id == c)
            try:
                # one statement for all the rules of the company (shared
                # queries); on failure each rule alone, so that one failing
                # rule does not stop the others
                with self.env.cr.savepoint():
                    company_rules.with_company(company)._evaluate()
            except Exception:  # isolated below, rule by rule
                self.env.invalidate_all()
                for rule in company_rules:
                    try:
                        with self.env.cr.savepoint():
                            rule.with_company(company)._evaluate()
                    except Exception as error:  # kept on the rule
                        self.env.invalidate_all()
                        errors[rule] = str(error) or error.__class__.__name__
        for rule, error in errors.items():
            _logger.warning(
                "KPI rule %s (%s) not evaluated: %s", rule.id, rule.name, error
            )
        failed = self.union(*errors)
        (rules - failed).filtered("last_error").write({"last_error": False})
        for rule, error in errors.items():
            if rule.last_error != error:
                rule.write({"last_error": error})
