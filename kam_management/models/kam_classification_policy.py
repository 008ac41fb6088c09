# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_amount

from ..tools.classification import (
    concentration,
    is_key_account,
    loss_making_customer,
    rank_customers,
)
from .kam_tier import KamTierSelection

ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]
DEPENDENCE_LEVELS = [
    ("none", "None"),
    ("key", "Key"),
    ("critical", "Critical"),
    ("mono", "Mono-client"),
]


def dependence_rank_sql(term):
    """SQL ranking a dependence level ``term`` in increasing danger (none,
    key, critical, mono-client): group-bys on a level are ordered by it."""
    return SQL(
        "CASE %s %s END",
        term,
        SQL(" ").join(
            SQL("WHEN %s THEN %s", code, index)
            for index, (code, _label) in enumerate(DEPENDENCE_LEVELS)
        ),
    )


# fields read by _gather_amounts: flushed before its query
GATHER_FIELDS = {
    "account.move.line": [
        "move_id",
        "company_id",
        "display_type",
        "account_id",
        "partner_id",
        "balance",
        "quantity",
        "product_id",
        "product_uom_id",
    ],
    "account.move": [
        "state",
        "move_type",
        "invoice_date",
        "team_id",
        "invoice_user_id",
    ],
    "product.product": ["product_tmpl_id", "standard_price"],
    "product.template": ["uom_id"],
    "uom.uom": ["factor"],
}
# company-dependent fields of res.partner written by the deciding policy
PARTNER_RESULT_FIELDS = [
    "kam_revenue",
    "kam_margin",
    "kam_revenue_share",
    "kam_abc_class",
    "kam_dependence_level",
    "kam_is_loss_making",
    "kam_last_classified",
    "kam_is_key_account",
    "kam_tier",
]
KEY_SHARE_READINGS = [
    ("low", "Below the normal range"),
    ("normal", "Normal"),
    ("high", "Above the normal range"),
    ("mono", "Mono-dependence"),
]
# policies classified per call of the daily cron before it reports progress
CRON_BATCH_SIZE = 5
CRON_KEY = "classification"


def _row_arrays(rows):
    """The columns of classification rows (RankedCustomer, revenue, margin,
    is_key, tier) as arrays, the parameters of the ``unnest`` statements
    writing results and partner fields."""
    return {
        "revenues": [row[1] for row in rows],
        "margins": [row[2] for row in rows],
        "amounts": [row[0].amount for row in rows],
        "shares": [row[0].share for row in rows],
        "abcs": [row[0].abc_class for row in rows],
        "levels": [row[0].dependence_level for row in rows],
        "keys": [row[3] for row in rows],
        "tiers": [row[4] for row in rows],
    }


class KamClassificationPolicy(models.Model):
    """Rules that decide, from posted invoices, which customers are key."""

    _name = "kam.classification.policy"
    _description = "Key Account Classification Policy"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    kam_last_error = fields.Text(
        string="Last Failure",
        readonly=True,
        copy=False,
        help="Why the daily classification could not run this policy (the "
        "other policies ran). Cleared by the next successful run.",
    )
    kam_last_error_date = fields.Datetime(
        string="Failed On",
        readonly=True,
        copy=False,
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    basis = fields.Selection(
        selection=[("revenue", "Revenue"), ("margin", "Margin")],
        required=True,
        default="margin",
        tracking=True,
        help="Amount customers are ranked by: untaxed invoiced revenue, or the "
        "margin Odoo's Invoicing analysis computes (revenue minus product cost).",
    )
    period_months = fields.Integer(
        string="Period (months)",
        required=True,
        default=12,
        tracking=True,
        help="Rolling period of posted invoices, ending on the day of the run.",
    )
    a_threshold = fields.Float(
        string="Class A up to (%)",
        required=True,
        default=80.0,
        tracking=True,
        help="A customer is class A when the cumulative share of all customers "
        "ranked before it is below this value (so the largest is always A).",
    )
    b_threshold = fields.Float(
        string="Class B up to (%)",
        required=True,
        default=95.0,
        tracking=True,
        help="A customer is class B when the cumulative share of all customers "
        "ranked before it is below this value and it is not A; else C.",
    )
    key_threshold = fields.Float(
        string="Key above (%)",
        required=True,
        default=10.0,
        tracking=True,
        help="A customer whose share exceeds this value is a key account "
        "(dependence level Key).",
    )
    critical_threshold = fields.Float(
        string="Critical above (%)",
        required=True,
        default=20.0,
        tracking=True,
        help="Share above which the company critically depends on the customer.",
    )
    mono_threshold = fields.Float(
        string="Mono-client above (%)",
        required=True,
        default=70.0,
        tracking=True,
        help="Share above which the company is practically a mono-client supplier.",
    )
    absolute_threshold = fields.Float(
        string="Key from revenue",
        default=0.0,
        tracking=True,
        help="A customer whose revenue in the period reaches this amount (in the "
        "company currency) is a key account whatever its share. 0 turns it off.",
    )
    scope = fields.Selection(
        selection=[
            ("company", "Company"),
            ("team", "Sales Team"),
            ("salesperson", "Salesperson"),
        ],
        required=True,
        default="company",
        tracking=True,
        help="Which invoices are ranked: all invoices of the company, those of "
        "one sales team, or those of one salesperson.",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team",
        string="Sales Team",
        check_company=True,
        tracking=True,
        help="With scope Sales Team: only invoices of this team are ranked.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        tracking=True,
        domain="[('share', '=', False)]",
        help="With scope Salesperson: only invoices of this salesperson are ranked.",
    )
    tier_mono = KamTierSelection(
        selection="_selection_kam_tier",
        string="Tier of mono-client accounts",
        default="strategic",
    )
    tier_critical = KamTierSelection(
        selection="_selection_kam_tier",
        string="Tier of critical accounts",
        default="strategic",
    )
    tier_key = KamTierSelection(
        selection="_selection_kam_tier",
        string="Tier of key accounts",
        default="key",
    )
    tier_absolute = KamTierSelection(
        selection="_selection_kam_tier",
        string="Tier of key accounts by revenue",
        default="developing",
        help="Tier of the accounts that are key only because their revenue "
        "reaches the absolute threshold.",
    )
    tier_none = KamTierSelection(
        selection="_selection_kam_tier",
        string="Tier of other customers",
        default="regular",
        help="Tier of ranked customers that are not key accounts.",
    )
    alert_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Alerts without KAM to",
        domain="[('share', '=', False)]",
        help="KAM Manager who receives the alerts of accounts without a KAM or "
        "salesperson. Empty: the first KAM Manager.",
    )
    key_share_low = fields.Float(
        string="Key accounts normally from (%)",
        default=30.0,
        tracking=True,
        help="Lower bound of the normal range of the combined share of all key "
        "accounts in the total (the seeds: key accounts are normally 30-55 % of "
        "sales).",
    )
    key_share_high = fields.Float(
        string="Key accounts normally up to (%)",
        default=55.0,
        tracking=True,
        help="Upper bound of the normal range of the combined key-account share.",
    )
    key_share_mono = fields.Float(
        string="Mono-dependence above (%)",
        default=75.0,
        tracking=True,
        help="Combined key-account share above which the company is "
        "mono-dependent on its key accounts: rising above it alerts the KAM "
        "Manager.",
    )
    is_decider = fields.Boolean(
        string="Decides the Company Status",
        compute="_compute_is_decider",
        help="The first active company-scope policy of the company (by "
        "sequence) decides the key account flag, the tier and the figures "
        "shown on the partners in this company. Other policies keep their "
        "results on the account's Key Account tab only.",
    )
    share_move_threshold = fields.Float(
        string="Share move from (pts)",
        default=1.0,
        tracking=True,
        help="A run lists a customer under Share moved when its share changed "
        "by at least this many percentage points since the previous run.",
    )
    run_retention_days = fields.Integer(
        string="Keep daily runs (days)",
        default=60,
        tracking=True,
        help="Runs older than this many days are deleted, except the latest run "
        "of each calendar month and the last run of the policy.",
    )
    run_ids = fields.One2many(
        comodel_name="kam.classification.run",
        inverse_name="policy_id",
        string="Runs",
    )
    run_count = fields.Integer(compute="_compute_run_count")
    last_run_id = fields.Many2one(
        comodel_name="kam.classification.run",
        compute="_compute_last_run_id",
    )

    _sql_constraints = [
        (
            "period_months_positive",
            "CHECK(period_months > 0)",
            "The period of a classification policy must last at least one month.",
        ),
    ]

    @api.depends("run_ids")
    def _compute_run_count(self):
        counts = dict(
            self.env["kam.classification.run"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.run_count = counts.get(policy, 0)

    @api.depends("run_ids.is_last")
    def _compute_last_run_id(self):
        runs = self.env["kam.classification.run"].search(
            [("policy_id", "in", self.ids), ("is_last", "=", True)]
        )
        last = {run.policy_id: run for run in runs}
        for policy in self:
            policy.last_run_id = last.get(policy, False)

    @api.model
    def _selection_kam_tier(self):
        return self.env["kam.tier"]._get_selection()

    @api.constrains("a_threshold", "b_threshold")
    def _check_abc_thresholds(self):
        for policy in self:
            if not 0 < policy.a_threshold < policy.b_threshold <= 100:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the class thresholds must satisfy "
                        "0 < A (%(a)s %%) < B (%(b)s %%) <= 100.",
                        policy=policy.display_name,
                        a=policy.a_threshold,
                        b=policy.b_threshold,
                    )
                )

    @api.constrains(
        "key_threshold",
        "critical_threshold",
        "mono_threshold",
        "key_share_low",
        "key_share_high",
        "key_share_mono",
    )
    def _check_increasing_thresholds(self):
        """Both triples of thresholds increase and lie between 0 and 100."""

        def increasing(first, second, third):
            return 0 <= first < second < third <= 100

        for policy in self:
            key, critical, mono = (
                policy.key_threshold,
                policy.critical_threshold,
                policy.mono_threshold,
            )
            if not increasing(key, critical, mono):
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the dependence thresholds must "
                        "increase and lie between 0 and 100: key (%(key)s %%) < "
                        "critical (%(critical)s %%) < mono-client (%(mono)s %%).",
                        policy=policy.display_name,
                        key=key,
                        critical=critical,
                        mono=mono,
                    )
                )
            low, high, top = (
                policy.key_share_low,
                policy.key_share_high,
                policy.key_share_mono,
            )
            if not increasing(low, high, top):
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the key-account share thresholds must "
                        "increase and lie between 0 and 100: normal from "
                        "(%(low)s %%) < normal up to (%(high)s %%) < "
                        "mono-dependence (%(mono)s %%).",
                        policy=policy.display_name,
                        low=low,
                        high=high,
                        mono=top,
                    )
                )

    @api.constrains("absolute_threshold")
    def _check_absolute_threshold(self):
        for policy in self:
            if policy.absolute_threshold < 0:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the key revenue threshold cannot be "
                        "negative (0 turns it off).",
                        policy=policy.display_name,
                    )
                )

    @api.constrains("share_move_threshold", "run_retention_days")
    def _check_run_history(self):
        for policy in self:
            if policy.share_move_threshold < 0:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the share move threshold cannot be "
                        "negative.",
                        policy=policy.display_name,
                    )
                )
            if policy.run_retention_days < 1:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: daily runs must be kept at least one "
                        "day.",
                        policy=policy.display_name,
                    )
                )

    @api.constrains("scope", "team_id", "user_id")
    def _check_scope(self):
        for policy in self:
            if policy.scope == "team" and not policy.team_id:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: choose the sales team its scope "
                        "applies to.",
                        policy=policy.display_name,
                    )
                )
            if policy.scope == "salesperson" and not policy.user_id:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: choose the salesperson its scope "
                        "applies to.",
                        policy=policy.display_name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if {"scope", "team_id", "user_id", "company_id"}.intersection(vals):
            # the results describe the customers of another scope now
            self.env["kam.classification.result"].sudo().search(
                [("policy_id", "in", self.ids)]
            ).unlink()
        return res

    @api.onchange("scope")
    def _onchange_scope(self):
        if self.scope != "team":
            self.team_id = False
        if self.scope != "salesperson":
            self.user_id = False

    def action_run(self):
        """Classify now; open the Pareto chart of the new run."""
        runs = self.env["kam.classification.run"]
        for policy in self:
            runs |= policy._run_classification()
        if len(runs) == 1:
            return runs.action_view_pareto()
        return True

    def action_view_runs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_classification_run_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"default_policy_id": self.id}
        return action

    # ------------------------------------------------------------------
    # classification
    # ------------------------------------------------------------------
    def _period(self, date):
        """First and last day of the rolling period ending on ``date``."""
        self.ensure_one()
        return date - relativedelta(months=self.period_months) + relativedelta(
            days=1
        ), date

    def _gather_amounts(self, date_from, date_to):
        """Revenue and margin per commercial partner, in one grouped query:
        {partner_id: (revenue, margin)}.

        The figures are those of Odoo's Invoicing analysis
        (``account.invoice.report``, measures ``price_subtotal`` and
        ``price_margin``) for the posted customer invoices and refunds of the
        policy's company and period, in that company's currency, computed
        with the report's own expressions (revenue = -balance; margin =
        -balance -/+ quantity in the product's unit x cost, + for refunds) but
        over ``account_move_line`` directly: the report's view computes, for
        every line, columns and unit conversions this aggregate does not
        need, which makes a ``_read_group`` on it about 1.6 times slower than
        this query on 2 million lines. ``test_amounts_equal_invoicing_analysis``
        checks that both give the same figures."""
        self.ensure_one()
        company = self.company_id
        scope = SQL()
        if self.scope == "team":
            scope = SQL("AND move.team_id = %s", self.team_id.id)
        elif self.scope == "salesperson":
            scope = SQL("AND move.invoice_user_id = %s", self.user_id.id)
        for model, names in GATHER_FIELDS.items():
            self.env[model].flush_model(names)
        self.env.cr.execute(
            SQL(
                """
            WITH unit_cost AS (
                -- cost of the product per line unit, before the division by
                -- the factor of the line's unit (as in the report)
                SELECT product.id,
                       COALESCE(uom_template.factor, 1)::float8
                       * COALESCE((product.standard_price ->> %(company_key)s)::float8,
                                  0) AS cost
                  FROM product_product product
                  JOIN product_template template
                    ON template.id = product.product_tmpl_id
             LEFT JOIN uom_uom uom_template ON uom_template.id = template.uom_id
            )
            SELECT line.partner_id,
                   SUM(-line.balance),
                   SUM(-line.balance::float8
                       + CASE WHEN move.move_type = 'out_refund' THEN 1 ELSE -1 END
                       * line.quantity::float8 * COALESCE(unit_cost.cost, 0)
                       / COALESCE(uom_line.factor, 1)::float8)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
         LEFT JOIN unit_cost ON unit_cost.id = line.product_id
         LEFT JOIN uom_uom uom_line ON uom_line.id = line.product_uom_id
             WHERE line.company_id = %(company)s
               AND line.display_type = 'product'
               AND line.account_id IS NOT NULL
               AND line.partner_id IS NOT NULL
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_refund')
               AND move.invoice_date BETWEEN %(date_from)s AND %(date_to)s
                   %(scope)s
          GROUP BY line.partner_id
                """,
                company_key=str(company.id),
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                scope=scope,
            )
        )
        return {
            partner_id: (float(revenue or 0.0), margin or 0.0)
            for partner_id, revenue, margin in self.env.cr.fetchall()
        }

    def _tier_of(self, level, is_key):
        self.ensure_one()
        if level == "mono":
            return self.tier_mono
        if level == "critical":
            return self.tier_critical
        if level == "key":
            return self.tier_key
        return self.tier_absolute if is_key else self.tier_none

    def _kam_deciders(self):
        """The policies deciding the company-level status (key account flag,
        tier and figures on the partner) of the companies of ``self`` (all
        companies when empty): per company, its first active company-scope
        policy by sequence. One query."""
        domain = [("scope", "=", "company")]
        if self:
            domain.append(("company_id", "in", self.company_id.ids))
        policies = self.sudo().search(domain, order="company_id, sequence, id")
        deciders = {}
        for policy in policies:
            deciders.setdefault(policy.company_id, policy)
        return self.browse([policy.id for policy in deciders.values()])

    @api.depends("scope", "sequence", "active", "company_id")
    def _compute_is_decider(self):
        deciders = self._kam_deciders()
        for policy in self:
            policy.is_decider = policy._origin in deciders

    def _kam_lock(self):
        """Serialise the runs of one policy: a manual run and the cron (or two
        workers) wait for each other instead of writing the same day twice.

        The lock is an UPDATE of the policy row (it clears the last failure):
        a run that waited for another one, under repeatable read, then gets a
        serialization failure instead of a unique-key error, and Odoo retries
        the request with a fresh view (the day's run is then replaced)."""
        self.ensure_one()
        self.flush_recordset(["kam_last_error", "kam_last_error_date"])
        self.env.cr.execute(
            SQL(
                "UPDATE kam_classification_policy SET kam_last_error = NULL, "
                "kam_last_error_date = NULL WHERE id = %s",
                self.id,
            ),
            log_exceptions=False,
        )
        self.invalidate_recordset(["kam_last_error", "kam_last_error_date"])

    def _run_classification(self, date=None):
        """Rank the customers of the period ending on ``date`` (default:
        today), store the run (one per policy and day: a re-run replaces the
        lines of that day's run and keeps its chatter) and, when it is the
        policy's latest run, store the policy's results, write the
        company-level status on the partners (deciding policy only) and raise
        alerts on changes. The number of queries does not depend on the
        number of customers."""
        self.ensure_one()
        self = self.with_company(self.company_id)
        date = date or fields.Date.context_today(self)
        self._kam_lock()
        date_from, date_to = self._period(date)
        amounts = self._gather_amounts(date_from, date_to)
        basis_index = 0 if self.basis == "revenue" else 1
        basis = {pid: values[basis_index] for pid, values in amounts.items()}
        ranked = rank_customers(
            basis,
            self.a_threshold,
            self.b_threshold,
            self.key_threshold,
            self.critical_threshold,
            self.mono_threshold,
        )
        stats = concentration(ranked)
        rows = []
        for customer in ranked:
            revenue, margin = amounts[customer.partner_id]
            is_key = is_key_account(
                customer.share, revenue, self.key_threshold, self.absolute_threshold
            )
            rows.append(
                (
                    customer,
                    revenue,
                    margin,
                    is_key,
                    self._tier_of(customer.dependence_level, is_key),
                )
            )
        # loss-makers: not ranked (shares and classes of the others stay),
        # listed with their negative amount, the most negative first
        losses = [
            (
                loss_making_customer(pid, amount),
                *amounts[pid],
                False,
                self.tier_none,
            )
            for pid, amount in sorted(basis.items(), key=lambda item: item[::-1])
            if amount < 0
        ]
        key_share = sum(row[0].share for row in rows if row[3])
        last = self.last_run_id
        last_figures = (last.top1_share, last.key_share) if last else None
        run = self._kam_run_record(
            date,
            {
                "period_start": date_from,
                "period_end": date_to,
                "basis": self.basis,
                "total": stats.total,
                "customer_count": stats.count,
                "top1_share": stats.top1_share,
                "top5_share": stats.top5_share,
                "hhi": stats.hhi,
                "top1_partner_id": ranked[0].partner_id if ranked else False,
                "key_share": key_share,
                "key_share_reading": self._kam_key_share_reading(key_share),
                "loss_count": len(losses),
                "loss_amount": sum(row[0].amount for row in losses),
            },
        )
        rows += losses
        run._insert_lines(rows)
        run._kam_record_changes(
            self.env["kam.classification.run"].search(
                [("policy_id", "=", self.id), ("date", "<", run.date)],
                order="date desc, id desc",
                limit=1,
            )
        )
        if not run.is_last:
            return run  # a run of an earlier day: history only
        before = self._kam_results()
        self._kam_store_results(run, rows)
        changes = {}
        if self.is_decider:
            changes = self._write_partner_results(run, rows)
        self._raise_alerts(run, last_figures, rows, before, changes)
        return run

    def _kam_run_record(self, date, vals):
        """The run of this policy on ``date``: created, or (a re-run) that
        day's run emptied of its lines and updated, its chatter kept. Marks
        it as the policy's last run unless a later run exists."""
        self.ensure_one()
        run_model = self.env["kam.classification.run"]
        run = run_model.search(
            [("policy_id", "=", self.id), ("date", "=", date)], limit=1
        )
        if run:
            self.env.cr.execute(
                SQL("DELETE FROM kam_classification_line WHERE run_id = %s", run.id)
            )
            run.write(vals)
        else:
            run = run_model.create({"policy_id": self.id, "date": date, **vals})
        if not run_model.search_count(
            [("policy_id", "=", self.id), ("date", ">", date)], limit=1
        ):
            run_model.flush_model(["is_last"])
            self.env.cr.execute(
                SQL(
                    "UPDATE kam_classification_run SET is_last = (id = %(run)s) "
                    "WHERE policy_id = %(policy)s AND (is_last OR id = %(run)s)",
                    run=run.id,
                    policy=self.id,
                )
            )
            run_model.invalidate_model(["is_last"])
            self.invalidate_recordset(["last_run_id"])
        return run

    def _kam_key_share_reading(self, key_share):
        """Reading of the combined share of the key accounts against the
        policy's thresholds (the seeds: normally 30-55 %, mono-dependent
        above 75 %)."""
        self.ensure_one()
        if key_share > self.key_share_mono:
            return "mono"
        if key_share > self.key_share_high:
            return "high"
        if key_share >= self.key_share_low:
            return "normal"
        return "low"

    def _kam_results(self):
        """{partner_id: (abc_class, dependence_level, is_loss_making)} of the
        policy's current results, one query."""
        self.ensure_one()
        self.env["kam.classification.result"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, abc_class, dependence_level, is_loss_making "
                "FROM kam_classification_result WHERE policy_id = %s",
                self.id,
            )
        )
        return {
            pid: (abc, level, bool(loss))
            for pid, abc, level, loss in self.env.cr.fetchall()
        }

    def _kam_store_results(self, run, rows):
        """Replace the policy's results by those of ``run`` (rows as in
        ``_insert_lines``): one DELETE of the customers no longer ranked nor
        loss-making, one INSERT ... ON CONFLICT for the others. No other
        policy's results are touched."""
        self.ensure_one()
        result_model = self.env["kam.classification.result"]
        result_model.flush_model()
        ids = [row[0].partner_id for row in rows]
        self.env.cr.execute(
            SQL(
                "DELETE FROM kam_classification_result "
                "WHERE policy_id = %s AND NOT partner_id = ANY(%s)",
                self.id,
                ids,
            )
        )
        if rows:
            self.env.cr.execute(
                SQL(
                    """
                INSERT INTO kam_classification_result AS result (
                    policy_id, company_id, scope, team_id, user_id,
                    partner_id, run_id, date, revenue,
                    margin, amount, share, abc_class, dependence_level, is_key,
                    tier, is_loss_making, create_uid, create_date, write_uid,
                    write_date)
                SELECT %(policy)s, %(company)s, %(scope)s, %(team)s, %(user)s,
                       v.partner_id, %(run)s, %(date)s,
                       v.revenue, v.margin, v.amount, v.share, v.abc, v.level,
                       v.is_key, v.tier, v.amount < 0, %(uid)s, %(now)s,
                       %(uid)s, %(now)s
                  FROM unnest(%(partners)s::int[], %(revenues)s::float8[],
                              %(margins)s::float8[], %(amounts)s::float8[],
                              %(shares)s::float8[], %(abcs)s::varchar[],
                              %(levels)s::varchar[], %(keys)s::bool[],
                              %(tiers)s::varchar[])
                       AS v(partner_id, revenue, margin, amount, share, abc,
                            level, is_key, tier)
                ON CONFLICT (policy_id, partner_id) DO UPDATE
                   SET run_id = EXCLUDED.run_id, date = EXCLUDED.date,
                       scope = EXCLUDED.scope, team_id = EXCLUDED.team_id,
                       user_id = EXCLUDED.user_id,
                       revenue = EXCLUDED.revenue, margin = EXCLUDED.margin,
                       amount = EXCLUDED.amount, share = EXCLUDED.share,
                       abc_class = EXCLUDED.abc_class,
                       dependence_level = EXCLUDED.dependence_level,
                       is_key = EXCLUDED.is_key, tier = EXCLUDED.tier,
                       is_loss_making = EXCLUDED.is_loss_making,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                    """,
                    policy=self.id,
                    company=self.company_id.id,
                    scope=self.scope,
                    team=self.team_id.id or None,
                    user=self.user_id.id or None,
                    run=run.id,
                    date=run.date,
                    uid=self.env.uid,
                    now=self.env.cr.now(),
                    partners=ids,
                    **_row_arrays(rows),
                )
            )
        result_model.invalidate_model()

    def _write_partner_results(self, run, rows):
        """Write the company-level result of ``run`` (deciding policy) on the
        ranked and loss-making partners and their contacts, in the company's
        key of the company-dependent fields (one UPDATE); reset the partners
        that had figures of this company and are no longer in the run (one
        UPDATE). Flag and tier of accounts pinned in this company are left
        untouched; other companies' values are never touched. Returns
        {partner_id: (old flag, old tier, new flag, new tier)} of the flags
        and tiers that changed."""
        self.ensure_one()
        partner_model = self.env["res.partner"]
        partner_model.flush_model(
            PARTNER_RESULT_FIELDS + ["kam_pin", "commercial_partner_id"]
        )
        company = str(self.company_id.id)
        ids = [row[0].partner_id for row in rows]
        self.env.cr.execute(
            SQL(
                """
            SELECT id, COALESCE((kam_is_key_account ->> %(c)s)::bool, FALSE),
                   kam_tier ->> %(c)s, kam_pin ->> %(c)s, id = ANY(%(ids)s)
              FROM res_partner
             WHERE id = ANY(%(ids)s)
                OR (kam_revenue ? %(c)s AND commercial_partner_id = id)
                """,
                c=company,
                ids=ids,
            )
        )
        old = {}
        dropped_ids = []
        for pid, flag, tier, pin, in_run in self.env.cr.fetchall():
            old[pid] = (flag, tier, pin)
            if not in_run:
                dropped_ids.append(pid)
        changes = {}
        for customer, __, __, is_key, tier in rows:
            flag, old_tier, pin = old[customer.partner_id]
            if not pin and (flag, old_tier) != (is_key, tier):
                changes[customer.partner_id] = (flag, old_tier, is_key, tier)
        for pid in dropped_ids:
            flag, old_tier, pin = old[pid]
            if not pin and (flag, old_tier) != (False, self.tier_none):
                changes[pid] = (flag, old_tier, False, self.tier_none)
        if rows:
            self.env.cr.execute(
                SQL(
                    """
                UPDATE res_partner p
                   SET kam_revenue = COALESCE(p.kam_revenue, '{}')
                           || jsonb_build_object(%(c)s, v.revenue),
                       kam_margin = COALESCE(p.kam_margin, '{}')
                           || jsonb_build_object(%(c)s, v.margin),
                       kam_revenue_share = COALESCE(p.kam_revenue_share, '{}')
                           || jsonb_build_object(%(c)s, v.share),
                       kam_abc_class = COALESCE(p.kam_abc_class, '{}')
                           || jsonb_build_object(%(c)s, v.abc),
                       kam_dependence_level = COALESCE(p.kam_dependence_level,
                           '{}') || jsonb_build_object(%(c)s, v.level),
                       kam_is_loss_making = COALESCE(p.kam_is_loss_making, '{}')
                           || jsonb_build_object(%(c)s, v.amount < 0),
                       kam_last_classified = COALESCE(p.kam_last_classified,
                           '{}') || jsonb_build_object(%(c)s, %(date)s::text),
                       kam_is_key_account = CASE WHEN cp.kam_pin ->> %(c)s IS NULL
                           THEN COALESCE(p.kam_is_key_account, '{}')
                               || jsonb_build_object(%(c)s, v.is_key)
                           ELSE p.kam_is_key_account END,
                       kam_tier = CASE WHEN cp.kam_pin ->> %(c)s IS NULL
                           THEN COALESCE(p.kam_tier, '{}')
                               || jsonb_build_object(%(c)s, v.tier)
                           ELSE p.kam_tier END,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM unnest(%(ids)s::int[], %(revenues)s::float8[],
                              %(margins)s::float8[], %(amounts)s::float8[],
                              %(shares)s::float8[], %(abcs)s::varchar[],
                              %(levels)s::varchar[], %(keys)s::bool[],
                              %(tiers)s::varchar[])
                       AS v(id, revenue, margin, amount, share, abc, level,
                            is_key, tier)
                  JOIN res_partner cp ON cp.id = v.id
                 WHERE p.commercial_partner_id = v.id
                    """,
                    c=company,
                    date=run.date,
                    uid=self.env.uid,
                    now=self.env.cr.now(),
                    ids=ids,
                    **_row_arrays(rows),
                )
            )
        if dropped_ids:
            self.env.cr.execute(
                SQL(
                    """
                UPDATE res_partner p
                   SET kam_revenue = p.kam_revenue - %(c)s,
                       kam_margin = p.kam_margin - %(c)s,
                       kam_revenue_share = p.kam_revenue_share - %(c)s,
                       kam_abc_class = p.kam_abc_class - %(c)s,
                       kam_dependence_level = p.kam_dependence_level - %(c)s,
                       kam_is_loss_making = p.kam_is_loss_making - %(c)s,
                       kam_last_classified = COALESCE(p.kam_last_classified,
                           '{}') || jsonb_build_object(%(c)s, %(date)s::text),
                       kam_is_key_account = CASE WHEN cp.kam_pin ->> %(c)s IS NULL
                           THEN COALESCE(p.kam_is_key_account, '{}')
                               || jsonb_build_object(%(c)s, FALSE)
                           ELSE p.kam_is_key_account END,
                       kam_tier = CASE WHEN cp.kam_pin ->> %(c)s IS NULL
                           THEN COALESCE(p.kam_tier, '{}')
                               || jsonb_build_object(%(c)s, %(tier)s::varchar)
                           ELSE p.kam_tier END,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM res_partner cp
                 WHERE cp.id = ANY(%(ids)s) AND p.commercial_partner_id = cp.id
                    """,
                    c=company,
                    date=run.date,
                    tier=self.tier_none,
                    uid=self.env.uid,
                    now=self.env.cr.now(),
                    ids=dropped_ids,
                )
            )
        partner_model.invalidate_model(
            PARTNER_RESULT_FIELDS + ["write_uid", "write_date"]
        )
        return changes

    def _alert_recipient(self):
        """KAM Manager receiving the alerts of accounts without anybody."""
        self.ensure_one()
        if self.alert_user_id:
            return self.alert_user_id
        group = self.env.ref("kam_management.group_kam_manager")
        return (
            group.sudo()
            .users.filtered(lambda u: not u._is_superuser() and u.active)
            .sorted("id")[:1]
        )

    def _kam_customer_notes(self, rows, before, baseline):
        """{partner_id: [alert texts]} of the customers whose class,
        dependence level or loss-making state changed since ``before`` (the
        policy's previous results); no class or dependence news on a
        ``baseline`` (first) run."""
        env = self.env
        abc_labels = dict(ABC_CLASSES)
        level_labels = dict(DEPENDENCE_LEVELS)
        currency = self.company_id.currency_id
        notes = {}
        for customer, *__ in rows:
            pid = customer.partner_id
            old_abc, old_level, old_loss = before.get(pid, ("C", "none", False))
            if customer.amount < 0:
                if not old_loss:
                    notes.setdefault(pid, []).append(
                        env._(
                            "Loss-making: the basis amount of the period is "
                            "%(amount)s.",
                            amount=format_amount(env, customer.amount, currency),
                        )
                    )
                continue
            if old_loss:
                notes.setdefault(pid, []).append(env._("No longer loss-making."))
                continue
            if baseline:
                continue
            if old_abc != customer.abc_class:
                notes.setdefault(pid, []).append(
                    env._(
                        "ABC class changed from %(old)s to %(new)s.",
                        old=abc_labels.get(old_abc, "-"),
                        new=abc_labels[customer.abc_class],
                    )
                )
            if old_level != customer.dependence_level:
                notes.setdefault(pid, []).append(
                    env._(
                        "Dependence level changed from %(old)s to %(new)s.",
                        old=level_labels[old_level],
                        new=level_labels[customer.dependence_level],
                    )
                )
        current = {row[0].partner_id for row in rows}
        for pid, (old_abc, old_level, old_loss) in before.items():
            if pid in current or baseline:
                continue
            if old_loss:
                notes.setdefault(pid, []).append(env._("No longer loss-making."))
                continue
            if old_abc != "C":
                notes.setdefault(pid, []).append(
                    env._(
                        "ABC class changed from %(old)s to %(new)s.",
                        old=abc_labels.get(old_abc, "-"),
                        new=abc_labels["C"],
                    )
                )
            if old_level != "none":
                notes.setdefault(pid, []).append(
                    env._(
                        "Dependence level changed from %(old)s to %(new)s.",
                        old=level_labels[old_level],
                        new=level_labels["none"],
                    )
                )
        return notes

    def _raise_alerts(self, run, last_figures, rows, before, changes):
        """Alerts of the customers whose class, dependence level or
        loss-making state changed since the policy's previous result
        (``before``), of the largest customer's share crossing the critical
        or mono-client threshold and of the combined key-account share
        rising above the mono-dependence threshold, against the policy's
        previous run (``last_figures``: its top-1 and key-account shares).
        Comparing with the stored results makes each alert appear once, a
        re-run of the same day included. The first run of a policy is the
        baseline for class and dependence changes; a loss-making customer
        is reported by the first run too.

        The alerts reveal how much the company depends on the customer: their
        text is logged on the run, which only KAM users read, and the KAM of
        each account gets an activity on the account that names the run but
        no figure (the account's chatter and activities are read by every
        employee). Changes of the key account flag and the tier, readable by
        every employee, are logged on the account like a tracked change."""
        self.ensure_one()
        env = self.env
        tier_labels = dict(env["kam.tier"]._get_selection())
        baseline = not before and not last_figures
        notes = self._kam_customer_notes(rows, before, baseline)
        if last_figures and run.top1_partner_id:
            last_top1 = last_figures[0]
            for threshold, label in (
                (self.critical_threshold, env._("critical")),
                (self.mono_threshold, env._("mono-client")),
            ):
                if last_top1 <= threshold < run.top1_share:
                    message = env._(
                        "The largest customer's share rose above the %(label)s "
                        "threshold (%(threshold)s %%): %(old).1f %% → %(new).1f %%.",
                        label=label,
                        threshold=threshold,
                        old=last_top1,
                        new=run.top1_share,
                    )
                elif run.top1_share <= threshold < last_top1:
                    message = env._(
                        "The largest customer's share fell below the %(label)s "
                        "threshold (%(threshold)s %%): %(old).1f %% → %(new).1f %%.",
                        label=label,
                        threshold=threshold,
                        old=last_top1,
                        new=run.top1_share,
                    )
                else:
                    continue
                notes.setdefault(run.top1_partner_id.id, []).append(message)
        self._kam_alert_key_share(run, last_figures)
        logs = {}
        for pid, (old_flag, old_tier, new_flag, new_tier) in changes.items():
            if not (old_flag or new_flag):
                continue  # tiers of customers that are not key: no news
            logs.setdefault(pid, []).append(
                env._(
                    "Key account: %(old_flag)s → %(new_flag)s, tier: "
                    "%(old_tier)s → %(new_tier)s.",
                    old_flag=env._("yes") if old_flag else env._("no"),
                    new_flag=env._("yes") if new_flag else env._("no"),
                    old_tier=tier_labels.get(old_tier, "-"),
                    new_tier=tier_labels.get(new_tier, "-"),
                )
            )
        if logs:
            env["res.partner"].browse(sorted(logs))._message_log_batch(
                bodies={
                    pid: escape(run.name) + escape(": ") + escape(" ".join(texts))
                    for pid, texts in logs.items()
                }
            )
        if not notes:
            return
        partners = env["res.partner"].browse(sorted(notes))
        run.sudo()._message_log(
            body=Markup("<ul>%s</ul>")
            % Markup().join(
                Markup("<li>%s: %s</li>")
                % (partner.display_name, " ".join(notes[partner.id]))
                for partner in partners
            )
        )
        summary = env._("Key account alert (%(run)s)", run=run.name)
        note = env._(
            "The classification %(run)s changed the class, the dependence "
            "level or the loss-making state of this account: see the run "
            "(Key Accounts > Accounts > Classification Runs) or the "
            "classification history of the account.",
            run=run.name,
        )
        fallback = self._alert_recipient()
        activity_type = env.ref("kam_management.mail_activity_type_kam_alert")
        model_id = env["ir.model"]._get_id("res.partner")
        activity_vals = []
        for partner in partners:
            user = partner._kam_responsible_user(run.date) or fallback
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "note": escape(note),
                    "user_id": user.id or env.uid,
                    "date_deadline": run.date,
                }
            )
        env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(activity_vals)

    def _kam_alert_key_share(self, run, last_figures):
        """The combined share of the key accounts rising above the
        mono-dependence threshold alerts the KAM Manager (an activity on the
        run, the figures in its chatter); leaving the normal range either way
        is logged on the run."""
        self.ensure_one()
        env = self.env
        last_share = last_figures[1] if last_figures else None
        new_share = run.key_share
        readings = dict(run._fields["key_share_reading"]._description_selection(env))
        last_reading = (
            self._kam_key_share_reading(last_share) if last_share is not None else None
        )
        reading = self._kam_key_share_reading(new_share)
        if last_reading == reading:
            return
        body = env._(
            "Key accounts together: %(share).1f %% of the total (%(reading)s; "
            "normal range %(low)s-%(high)s %%, mono-dependence above %(mono)s %%).",
            share=new_share,
            reading=readings[reading],
            low=self.key_share_low,
            high=self.key_share_high,
            mono=self.key_share_mono,
        )
        if last_reading is None and reading in ("normal", "low"):
            return  # a first run within (or below) the normal range: no news
        run.sudo()._message_log(body=escape(body))
        if reading != "mono":
            return
        recipient = self._alert_recipient()
        run.sudo().with_context(mail_activity_quick_update=True).activity_schedule(
            "kam_management.mail_activity_type_kam_alert",
            date_deadline=run.date,
            summary=env._("Mono-dependence on key accounts (%(run)s)", run=run.name),
            note=escape(body),
            user_id=(recipient or env.user).id,
        )

    @api.model
    def _cron_run_classification(self):
        """Daily: classify with every active policy not yet run today, a few
        policies per call, reporting progress so that the cron resumes.

        Each policy runs in its own savepoint: one that fails is rolled back,
        its failure kept on it (``kam_last_error``, shown to the managers) and
        the others go on; it is tried again tomorrow (or by hand). A policy
        another worker or a manual run holds (``SKIP LOCKED``) is left to it.
        Killed mid-run, the next call goes on with the policies not run."""
        Failure = self.env["kam.cron.failure"]
        today = fields.Date.context_today(self)
        failed = Failure._kam_failed_today(CRON_KEY, self._name)
        policies = self.search([("active", "=", True)]).filtered(
            lambda p: (not p.last_run_id or p.last_run_id.date < today)
            and p.id not in failed
        )
        batch = Failure._kam_lock_rows(policies[:CRON_BATCH_SIZE])
        done, failures = Failure._kam_run_isolated(
            CRON_KEY, batch, lambda policy: policy._run_classification(today)
        )
        for failure in failures:
            self.browse(failure.res_id).sudo().write(
                {"kam_last_error": failure.error, "kam_last_error_date": failure.date}
            )
        self.env["kam.classification.run"]._kam_prune_runs(done, today)
        left = len(policies) - len(batch) if batch else 0
        if not batch and policies:
            Failure._kam_retry_later()
        Failure._kam_progress(
            "kam_management.ir_cron_kam_classification", len(batch), left
        )
