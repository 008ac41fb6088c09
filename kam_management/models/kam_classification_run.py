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

    @api.depends("policy_id.name", "date")
    def _compute_name(self):
        for run in self:
            run.name = f"{run.policy_id.name or ''} {run.date or ''}"

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
