# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.classification import concentration, is_key_account, rank_customers
from .kam_tier import KamTierSelection

ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]
DEPENDENCE_LEVELS = [
    ("none", "None"),
    ("key", "Key"),
    ("critical", "Critical"),
    ("mono", "Mono-client"),
]
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
# policies classified per call of the daily cron before it reports progress
CRON_BATCH_SIZE = 5


class KamClassificationPolicy(models.Model):
    """Rules that decide, from posted invoices, which customers are key."""

    _name = "kam.classification.policy"
    _description = "Key Account Classification Policy"
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

    @api.constrains("key_threshold", "critical_threshold", "mono_threshold")
    def _check_dependence_thresholds(self):
        for policy in self:
            key, critical, mono = (
                policy.key_threshold,
                policy.critical_threshold,
                policy.mono_threshold,
            )
            if not (0 <= key < critical < mono <= 100):
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

    def _run_classification(self, date=None):
        """Rank the customers of the period ending on ``date`` (default: today),
        store the run and its lines, write the result on the partners and raise
        alerts on changes. The number of queries does not depend on the number
        of customers."""
        self.ensure_one()
        self = self.with_company(self.company_id)
        date = date or fields.Date.context_today(self)
        date_from, date_to = self._period(date)
        amounts = self._gather_amounts(date_from, date_to)
        basis_index = 0 if self.basis == "revenue" else 1
        ranked = rank_customers(
            {pid: values[basis_index] for pid, values in amounts.items()},
            self.a_threshold,
            self.b_threshold,
            self.key_threshold,
            self.critical_threshold,
            self.mono_threshold,
        )
        stats = concentration(ranked)
        previous = self.last_run_id
        run = self.env["kam.classification.run"].create(
            {
                "policy_id": self.id,
                "date": date,
                "period_start": date_from,
                "period_end": date_to,
                "basis": self.basis,
                "total": stats.total,
                "customer_count": stats.count,
                "top1_share": stats.top1_share,
                "top5_share": stats.top5_share,
                "hhi": stats.hhi,
                "top1_partner_id": ranked[0].partner_id if ranked else False,
                "is_last": True,
            }
        )
        if previous:
            previous.is_last = False
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
        run._insert_lines(rows)
        run._kam_record_changes(
            self.env["kam.classification.run"].search(
                [("policy_id", "=", self.id), ("date", "<", run.date)],
                order="date desc, id desc",
                limit=1,
            )
        )
        before = previous._line_results() if previous else {}
        changes = self._write_partner_results(run, rows, before)
        self._raise_alerts(run, previous, rows, before, changes)
        return run

    def _write_partner_results(self, run, rows, before):
        """Write the result of ``run`` on the ranked partners and their
        contacts (one UPDATE), reset the partners of the previous run that are
        no longer ranked (one UPDATE). Flag and tier of pinned accounts are
        left untouched. Returns {partner_id: (old flag, old tier, new flag,
        new tier)} of the flags and tiers that changed."""
        self.ensure_one()
        partner_model = self.env["res.partner"]
        result_fields = [
            "kam_revenue",
            "kam_margin",
            "kam_revenue_share",
            "kam_abc_class",
            "kam_dependence_level",
            "kam_last_classified",
            "kam_is_key_account",
            "kam_tier",
        ]
        partner_model.flush_model(result_fields + ["kam_pin", "commercial_partner_id"])
        ranked_ids = [row[0].partner_id for row in rows]
        dropped_ids = sorted(set(before) - set(ranked_ids))
        self.env.cr.execute(
            SQL(
                "SELECT id, kam_is_key_account, kam_tier, kam_pin FROM res_partner "
                "WHERE id = ANY(%s)",
                ranked_ids + dropped_ids,
            )
        )
        old = {
            pid: (flag or False, tier, pin)
            for pid, flag, tier, pin in self.env.cr.fetchall()
        }
        changes = {}
        for customer, __, __, is_key, tier in rows:
            flag, old_tier, pin = old[customer.partner_id]
            if not pin and (flag, old_tier) != (is_key, tier):
                changes[customer.partner_id] = (flag, old_tier, is_key, tier)
        for pid in dropped_ids:
            flag, old_tier, pin = old.get(pid, (False, None, None))
            if not pin and (flag, old_tier) != (False, self.tier_none):
                changes[pid] = (flag, old_tier, False, self.tier_none)
        if rows:
            self.env.cr.execute(
                SQL(
                    """
                UPDATE res_partner p
                   SET kam_revenue = v.revenue,
                       kam_margin = v.margin,
                       kam_revenue_share = v.share,
                       kam_abc_class = v.abc,
                       kam_dependence_level = v.level,
                       kam_last_classified = %(date)s,
                       kam_is_key_account = CASE WHEN cp.kam_pin IS NULL
                           THEN v.is_key ELSE p.kam_is_key_account END,
                       kam_tier = CASE WHEN cp.kam_pin IS NULL
                           THEN v.tier ELSE p.kam_tier END,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM unnest(%(ids)s::int[], %(revenues)s::float8[],
                              %(margins)s::float8[], %(shares)s::float8[],
                              %(abcs)s::varchar[], %(levels)s::varchar[],
                              %(keys)s::bool[], %(tiers)s::varchar[])
                       AS v(id, revenue, margin, share, abc, level, is_key, tier)
                  JOIN res_partner cp ON cp.id = v.id
                 WHERE p.commercial_partner_id = v.id
                    """,
                    date=run.date,
                    uid=self.env.uid,
                    now=self.env.cr.now(),
                    ids=ranked_ids,
                    revenues=[row[1] for row in rows],
                    margins=[row[2] for row in rows],
                    shares=[row[0].share for row in rows],
                    abcs=[row[0].abc_class for row in rows],
                    levels=[row[0].dependence_level for row in rows],
                    keys=[row[3] for row in rows],
                    tiers=[row[4] for row in rows],
                )
            )
        if dropped_ids:
            self.env.cr.execute(
                SQL(
                    """
                UPDATE res_partner p
                   SET kam_revenue = 0, kam_margin = 0, kam_revenue_share = 0,
                       kam_abc_class = NULL, kam_dependence_level = 'none',
                       kam_last_classified = %(date)s,
                       kam_is_key_account = CASE WHEN cp.kam_pin IS NULL
                           THEN FALSE ELSE p.kam_is_key_account END,
                       kam_tier = CASE WHEN cp.kam_pin IS NULL
                           THEN %(tier)s ELSE p.kam_tier END,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM res_partner cp
                 WHERE cp.id = ANY(%(ids)s) AND p.commercial_partner_id = cp.id
                    """,
                    date=run.date,
                    tier=self.tier_none,
                    uid=self.env.uid,
                    now=self.env.cr.now(),
                    ids=dropped_ids,
                )
            )
        partner_model.invalidate_model(result_fields + ["write_uid", "write_date"])
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

    def _raise_alerts(self, run, previous, rows, before, changes):
        """Alerts of the partners whose class or dependence level changed
        since ``previous``, or whose top-1 share crossed the critical or
        mono-client threshold; comparing with the previous run makes each
        alert appear once.

        The alerts reveal how much the company depends on the customer: their
        text is logged on the run, which only KAM users read, and the KAM of
        each account gets an activity on the account that names the run but
        no figure (the account's chatter and activities are read by every
        employee). Changes of the key account flag and the tier, readable by
        every employee, are logged on the account like a tracked change."""
        self.ensure_one()
        env = self.env
        abc_labels = dict(ABC_CLASSES)
        level_labels = dict(DEPENDENCE_LEVELS)
        tier_labels = dict(env["kam.tier"]._get_selection())
        notes = {}
        current = {}
        for customer, *__ in rows:
            current[customer.partner_id] = (
                customer.abc_class,
                customer.dependence_level,
            )
        # the first run of a policy is the baseline: nothing changed yet
        for pid in (set(current) | set(before)) if previous else ():
            old_abc, old_level = before.get(pid, ("C", "none"))
            new_abc, new_level = current.get(pid, ("C", "none"))
            if old_abc != new_abc:
                notes.setdefault(pid, []).append(
                    env._(
                        "ABC class changed from %(old)s to %(new)s.",
                        old=abc_labels[old_abc],
                        new=abc_labels[new_abc],
                    )
                )
            if old_level != new_level:
                notes.setdefault(pid, []).append(
                    env._(
                        "Dependence level changed from %(old)s to %(new)s.",
                        old=level_labels[old_level],
                        new=level_labels[new_level],
                    )
                )
        if previous and run.top1_partner_id:
            for threshold, label in (
                (self.critical_threshold, env._("critical")),
                (self.mono_threshold, env._("mono-client")),
            ):
                if previous.top1_share <= threshold < run.top1_share:
                    message = env._(
                        "The largest customer's share rose above the %(label)s "
                        "threshold (%(threshold)s %%): %(old).1f %% → %(new).1f %%.",
                        label=label,
                        threshold=threshold,
                        old=previous.top1_share,
                        new=run.top1_share,
                    )
                elif run.top1_share <= threshold < previous.top1_share:
                    message = env._(
                        "The largest customer's share fell below the %(label)s "
                        "threshold (%(threshold)s %%): %(old).1f %% → %(new).1f %%.",
                        label=label,
                        threshold=threshold,
                        old=previous.top1_share,
                        new=run.top1_share,
                    )
                else:
                    continue
                notes.setdefault(run.top1_partner_id.id, []).append(message)
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
            "The classification %(run)s changed the class or the dependence "
            "level of this account: see the run (Key Accounts > Accounts > "
            "Classification Runs) or the classification history of the "
            "account.",
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

    @api.model
    def _cron_run_classification(self):
        """Daily: classify with every active policy not yet run today, a few
        policies per call, reporting progress so that the cron resumes."""
        today = fields.Date.context_today(self)
        policies = self.search([("active", "=", True)]).filtered(
            lambda p: not p.last_run_id or p.last_run_id.date < today
        )
        batch = policies[:CRON_BATCH_SIZE]
        for policy in batch:
            policy._run_classification(today)
        self.env["kam.classification.run"]._kam_prune_runs(batch, today)
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=len(policies) - len(batch)
        )
