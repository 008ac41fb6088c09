# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .kam_classification_policy import KEY_SHARE_READINGS


class KamClassificationRun(models.Model):
    """One classification of the customers of a company by a policy."""

    _name = "kam.classification.run"
    _description = "Key Account Classification Run"
    # the alerts of the run are logged in its chatter: KAM users only
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    policy_id = fields.Many2one(
        comodel_name="kam.classification.policy",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        related="policy_id.company_id",
        store=True,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    basis = fields.Selection(
        selection=[("revenue", "Revenue"), ("margin", "Margin")], required=True
    )
    total = fields.Monetary(
        help="Sum of the basis amounts of the ranked customers (those with a "
        "positive amount)."
    )
    customer_count = fields.Integer(
        string="Ranked Customers", help="Customers with a positive basis amount."
    )
    top1_share = fields.Float(
        string="Top-1 Share (%)",
        digits=(16, 2),
        aggregator="avg",
        help="Share of the largest customer in the total.",
    )
    top5_share = fields.Float(
        string="Top-5 Share (%)",
        digits=(16, 2),
        aggregator="avg",
        help="Share of the five largest customers together.",
    )
    hhi = fields.Float(
        string="HHI",
        digits=(16, 0),
        aggregator="avg",
        help="Herfindahl-Hirschman index: sum of the squared shares in %, from "
        "near 0 (many small customers) to 10000 (one customer).",
    )
    top1_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Largest Customer"
    )
    key_share = fields.Float(
        string="Key Accounts' Share (%)",
        digits=(16, 2),
        aggregator="avg",
        help="Combined share of all key accounts of the run (their basis "
        "amounts / total x 100). The seeds: normally 30-55 %; above 75 % the "
        "company is mono-dependent on its key accounts.",
    )
    key_share_reading = fields.Selection(
        selection=KEY_SHARE_READINGS,
        string="Key Accounts' Share Reading",
        help="The combined key-account share against the thresholds the "
        "policy had at the run.",
    )
    loss_count = fields.Integer(
        string="Loss-making Customers",
        help="Customers whose basis amount in the period is negative (not " "ranked).",
    )
    loss_amount = fields.Monetary(
        string="Loss-making Total",
        help="Sum of the negative basis amounts of the loss-making customers.",
    )
    is_last = fields.Boolean(
        string="Last Run",
        index=True,
        help="The most recent run of its policy.",
    )
    line_ids = fields.One2many(
        comodel_name="kam.classification.line",
        inverse_name="run_id",
        string="Ranked Customers Lines",
    )
    key_count = fields.Integer(
        string="Key Accounts",
        compute="_compute_key_count",
        help="Ranked customers above the key threshold or the key revenue.",
    )
    scope = fields.Selection(related="policy_id.scope", store=True)
    previous_run_id = fields.Many2one(
        comodel_name="kam.classification.run",
        string="Compared With",
        ondelete="set null",
        readonly=True,
        help="The run of the same policy this run was compared with: the latest "
        "one with an earlier date. Empty for the first run of a policy.",
    )
    change_ids = fields.One2many(
        comodel_name="kam.classification.change",
        inverse_name="run_id",
        string="Changes",
    )
    change_count = fields.Integer(
        string="Number of Changes",
        compute="_compute_change_counts",
        help="Rows of changes against the previous run (a customer can have "
        "several: one per kind of change).",
    )
    new_key_count = fields.Integer(
        string="New Key Accounts",
        compute="_compute_change_counts",
        help="Customers key in this run and not in the previous one.",
    )
    dropped_key_count = fields.Integer(
        string="No Longer Key",
        compute="_compute_change_counts",
        help="Customers key in the previous run and not in this one.",
    )

    _sql_constraints = [
        (
            "policy_date_unique",
            "UNIQUE(policy_id, date)",
            "A classification policy has at most one run per day: run it again "
            "to replace the run of the day.",
        ),
    ]

    @api.depends(
        "policy_id.name",
        "policy_id.scope",
        "policy_id.team_id.name",
        "policy_id.user_id.name",
        "date",
    )
    def _compute_name(self):
        for run in self:
            policy = run.policy_id
            if policy.scope == "team":
                scope = self.env._("Team: %(team)s", team=policy.team_id.name or "")
            elif policy.scope == "salesperson":
                scope = self.env._(
                    "Salesperson: %(user)s", user=policy.user_id.name or ""
                )
            else:
                scope = self.env._("Company")
            run.name = self.env._(
                "%(policy)s (%(scope)s) %(date)s",
                policy=policy.name or "",
                scope=scope,
                date=run.date or "",
            )

    def _compute_key_count(self):
        counts = dict(
            self.env["kam.classification.line"]._read_group(
                [("run_id", "in", self.ids), ("is_key", "=", True)],
                ["run_id"],
                ["__count"],
            )
        )
        for run in self:
            run.key_count = counts.get(run, 0)

    def action_view_pareto(self):
        """Pareto chart (cumulative share by rank) of this run."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_classification_line_action_pareto"
        )
        action["domain"] = [("run_id", "=", self.id), ("rank", "!=", False)]
        action["display_name"] = self.env._("Pareto: %(run)s", run=self.name)
        return action

    def action_view_losses(self):
        """The loss-making customers of this run, most negative first."""
        self.ensure_one()
        action = self.action_view_lines()
        action["domain"] = [("run_id", "=", self.id), ("is_loss_making", "=", True)]
        action["display_name"] = self.env._(
            "Loss-making customers: %(run)s", run=self.name
        )
        action["context"] = {}
        return action

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_classification_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}  # all the lines of this run, last run or not
        return action

    def _insert_lines(self, rows):
        """Insert the lines of this run in one statement. ``rows`` are tuples
        (RankedCustomer, revenue, margin, is_key, tier); loss-making
        customers (rank 0) get a line without rank."""
        self.ensure_one()
        if not rows:
            return
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO kam_classification_line (
                run_id, company_id, run_date, partner_id, rank, customer_percent,
                revenue, margin,
                amount, share, cumulative_share, abc_class, dependence_level,
                is_key, is_loss_making, create_uid, create_date, write_uid,
                write_date)
            SELECT %(run)s, %(company)s, %(date)s, v.partner_id,
                   NULLIF(v.rank, 0), v.customer_percent, v.revenue, v.margin,
                   v.amount, v.share, v.cumulative_share,
                   v.abc, v.level, v.is_key, v.amount < 0, %(uid)s, %(now)s,
                   %(uid)s, %(now)s
              FROM unnest(%(partners)s::int[], %(ranks)s::int[],
                          %(percents)s::int[],
                          %(revenues)s::float8[], %(margins)s::float8[],
                          %(amounts)s::float8[], %(shares)s::float8[],
                          %(cumulative)s::float8[], %(abcs)s::varchar[],
                          %(levels)s::varchar[], %(keys)s::bool[])
                   AS v(partner_id, rank, customer_percent, revenue, margin,
                        amount, share, cumulative_share, abc, level, is_key)
                """,
                run=self.id,
                company=self.company_id.id,
                date=self.date,
                uid=self.env.uid,
                now=self.env.cr.now(),
                partners=[row[0].partner_id for row in rows],
                ranks=[row[0].rank for row in rows],
                percents=[row[0].customer_percent for row in rows],
                revenues=[row[1] for row in rows],
                margins=[row[2] for row in rows],
                amounts=[row[0].amount for row in rows],
                shares=[row[0].share for row in rows],
                cumulative=[row[0].cumulative_share for row in rows],
                abcs=[row[0].abc_class for row in rows],
                levels=[row[0].dependence_level for row in rows],
                keys=[row[3] for row in rows],
            )
        )
        self.env["kam.classification.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])

    def _line_results(self):
        """{partner_id: (abc_class, dependence_level)} of this run, one query."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, abc_class, dependence_level "
                "FROM kam_classification_line WHERE run_id = %s",
                self.id,
            )
        )
        return {pid: (abc, level) for pid, abc, level in self.env.cr.fetchall()}

    # ------------------------------------------------------------------
    # comparison with the previous run
    # ------------------------------------------------------------------
    @api.depends("change_ids.change_type")
    def _compute_change_counts(self):
        counts = {}
        for run, change_type, count in self.env[
            "kam.classification.change"
        ]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "change_type"], ["__count"]
        ):
            counts.setdefault(run, {})[change_type] = count
        for run in self:
            by_type = counts.get(run, {})
            run.change_count = sum(by_type.values())
            run.new_key_count = by_type.get("new_key", 0)
            run.dropped_key_count = by_type.get("dropped_key", 0)

    def _kam_record_changes(self, previous):
        """Replace the change rows of this run by its differences with
        ``previous`` (a run of the same policy, or empty: the first run is
        the baseline and has no change). One DELETE and one INSERT ... SELECT
        over a FULL OUTER JOIN of both runs' lines: the number of queries does
        not depend on the number of customers. A customer ranked by one run
        only counts with share 0, no class and dependence level none there."""
        self.ensure_one()
        if previous:
            previous.ensure_one()
        change_model = self.env["kam.classification.change"]
        self.env["kam.classification.line"].flush_model()
        self.flush_recordset()
        self.env.cr.execute(
            SQL("DELETE FROM kam_classification_change WHERE run_id = %s", self.id)
        )
        self.env.cr.execute(
            SQL(
                "UPDATE kam_classification_run SET previous_run_id = %s WHERE id = %s",
                previous.id or None,
                self.id,
            )
        )
        if previous:
            threshold = self.policy_id.share_move_threshold
            self.env.cr.execute(
                SQL(
                    """
                WITH pair AS (
                    SELECT COALESCE(new.partner_id, old.partner_id) AS partner_id,
                           COALESCE(old.is_key, FALSE) AS old_key,
                           COALESCE(new.is_key, FALSE) AS new_key,
                           old.abc_class AS old_abc,
                           new.abc_class AS new_abc,
                           COALESCE(old.dependence_level, 'none') AS old_level,
                           COALESCE(new.dependence_level, 'none') AS new_level,
                           COALESCE(old.share, 0) AS old_share,
                           COALESCE(new.share, 0) AS new_share
                      FROM (SELECT * FROM kam_classification_line
                             WHERE run_id = %(run)s) new
           FULL OUTER JOIN (SELECT * FROM kam_classification_line
                             WHERE run_id = %(previous)s) old
                        ON old.partner_id = new.partner_id
                )
                INSERT INTO kam_classification_change (
                    run_id, previous_run_id, company_id, run_date, partner_id,
                    change_type, old_abc_class, new_abc_class,
                    old_dependence_level, new_dependence_level,
                    old_share, new_share, share_delta,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(run)s, %(previous)s, %(company)s, %(date)s, pair.partner_id,
                       kind.change_type, pair.old_abc, pair.new_abc,
                       pair.old_level, pair.new_level,
                       pair.old_share, pair.new_share,
                       pair.new_share - pair.old_share,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM pair
                  JOIN LATERAL (
                        SELECT 'new_key' AS change_type
                         WHERE pair.new_key AND NOT pair.old_key
                     UNION ALL
                        SELECT 'dropped_key' WHERE pair.old_key AND NOT pair.new_key
                     UNION ALL
                        SELECT 'class'
                         WHERE pair.old_abc IS DISTINCT FROM pair.new_abc
                     UNION ALL
                        SELECT 'dependence' WHERE pair.old_level <> pair.new_level
                     UNION ALL
                        SELECT 'share'
                         WHERE ROUND((pair.new_share - pair.old_share)::numeric, 6)
                               <> 0
                           AND ABS(ROUND((pair.new_share - pair.old_share)::numeric,
                                         6)) >= %(threshold)s
                  ) kind ON TRUE
                    """,
                    run=self.id,
                    previous=previous.id,
                    company=self.company_id.id,
                    date=self.date,
                    threshold=threshold,
                    uid=self.env.uid,
                    now=self.env.cr.now(),
                )
            )
        change_model.invalidate_model()
        self.invalidate_recordset(["previous_run_id", "change_ids"])

    def action_view_changes(self):
        """The changes of these runs against their previous runs; with
        ``kam_change_type`` in the context, filtered on that kind."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_classification_change_action"
        )
        action["domain"] = [("run_id", "in", self.ids)]
        if len(self) == 1:
            action["display_name"] = self.env._("Changes: %(run)s", run=self.name)
        change_type = self.env.context.get("kam_change_type")
        if change_type in dict(
            self.env["kam.classification.change"]._fields["change_type"].selection
        ):
            action["context"] = {f"search_default_{change_type}": 1}
        else:
            action["context"] = {"search_default_group_type": 1}
        return action

    # ------------------------------------------------------------------
    # retention
    # ------------------------------------------------------------------
    @api.model
    def _kam_prune_runs(self, policies, today):
        """Delete the old runs of ``policies``: a run dated before ``today``
        minus the policy's retention days goes, unless it is the latest run
        of its calendar month (by date) or the policy's last run. Their lines
        and change rows go with them (ON DELETE CASCADE); the chatter of a
        deleted run (its alerts) moves to the run kept for its month. A few
        queries for all the policies together. Returns (runs deleted, lines
        deleted)."""
        if not policies:
            return 0, 0
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            WITH ranked AS (
                SELECT run.id, run.date, run.is_last, policy.run_retention_days,
                       FIRST_VALUE(run.id) OVER (
                           PARTITION BY run.policy_id, date_trunc('month', run.date)
                           ORDER BY run.date DESC, run.id DESC) AS month_run_id
                  FROM kam_classification_run run
                  JOIN kam_classification_policy policy
                    ON policy.id = run.policy_id
                 WHERE run.policy_id = ANY(%(policies)s)
            )
            SELECT id, month_run_id
              FROM ranked
             WHERE date < %(today)s::date - run_retention_days
               AND id <> month_run_id
               AND NOT COALESCE(is_last, FALSE)
                """,
                policies=policies.ids,
                today=today,
            )
        )
        pairs = self.env.cr.fetchall()
        if not pairs:
            return 0, 0
        doomed = [run_id for run_id, __ in pairs]
        self.env.cr.execute(
            SQL(
                """
            UPDATE mail_message message
               SET res_id = v.month_run_id
              FROM unnest(%(doomed)s::int[], %(kept)s::int[]) AS v(id, month_run_id)
             WHERE message.model = %(model)s AND message.res_id = v.id
                """,
                doomed=doomed,
                kept=[kept for __, kept in pairs],
                model=self._name,
            )
        )
        self.env.cr.execute(
            SQL(
                "DELETE FROM mail_followers WHERE res_model = %s AND res_id = ANY(%s)",
                self._name,
                doomed,
            )
        )
        self.env.cr.execute(
            SQL(
                """
            WITH deleted AS (
                DELETE FROM kam_classification_run WHERE id = ANY(%(doomed)s)
                RETURNING id
            )
            SELECT (SELECT COUNT(*) FROM deleted),
                   (SELECT COUNT(*) FROM kam_classification_line
                     WHERE run_id = ANY(%(doomed)s))
                """,
                doomed=doomed,
            )
        )
        runs_deleted, lines_deleted = self.env.cr.fetchone()
        for model in (
            "kam.classification.run",
            "kam.classification.line",
            "kam.classification.change",
            "kam.classification.policy",
            "mail.message",
            "mail.followers",
        ):
            self.env[model].invalidate_model()
        return runs_deleted, lines_deleted
