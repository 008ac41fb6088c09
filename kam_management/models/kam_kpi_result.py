# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools import kpi_periods
from .kam_kpi_rule import MEASURES


class KamKpiResult(models.Model):
    """The value of a rule for a user and a period. Written only by the
    evaluation (nobody edits results by hand). A result is history: it keeps
    the rule's name, measure, direction and target of its evaluation
    (snapshot fields), and its rule cannot be deleted (archive it)."""

    _name = "kam.kpi.result"
    _description = "KPI Result"
    _order = "date_from desc, rule_id, user_id"
    _rec_name = "rule_name"

    rule_id = fields.Many2one(
        comodel_name="kam.kpi.rule",
        required=True,
        readonly=True,
        # history: a rule with results is archived, never deleted
        ondelete="restrict",
        index=True,
    )
    # snapshot of the rule at the evaluation: what the result was measured on
    rule_name = fields.Char(readonly=True)
    measure_label = fields.Char(string="Measure Description", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        readonly=True,
        index=True,
    )
    # company and period are written by the evaluation (the period the result
    # was computed for), not related: creating results stays cheap
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    measure = fields.Selection(selection=MEASURES, readonly=True)
    period = fields.Selection(
        selection=[
            ("day", "Day"),
            ("week", "Week"),
            ("month", "Month"),
            ("quarter", "Quarter"),
            ("half_year", "Half-year"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    direction = fields.Selection(
        selection=[("at_least", "At least"), ("at_most", "At most")],
        readonly=True,
    )
    date_from = fields.Date(string="Period Start", required=True, readonly=True)
    date_to = fields.Date(string="Period End", required=True, readonly=True)
    value = fields.Float(readonly=True, aggregator="sum")
    target = fields.Float(readonly=True, aggregator="sum")
    attainment = fields.Float(
        string="Attainment (%)",
        readonly=True,
        aggregator="avg",
        help="At least: value / target x 100. At most: 100 while the value stays "
        "within the target, else target / value x 100.",
    )
    status = fields.Selection(
        selection=[
            ("in_progress", "In Progress"),
            ("met", "Met"),
            ("missed", "Missed"),
        ],
        required=True,
        default="in_progress",
        readonly=True,
        index=True,
    )
    color = fields.Selection(
        selection=[("green", "Green"), ("amber", "Amber"), ("red", "Red")],
        compute="_compute_color",
        help="Met: green; missed: red. While the period runs, the attainment is "
        "compared with the share of the period elapsed: on pace green, from 80 % "
        "of the pace amber, below red.",
    )
    progress = fields.Float(
        compute="_compute_color", help="Attainment capped at 100, for progress bars."
    )

    _sql_constraints = [
        (
            "rule_user_period_uniq",
            "UNIQUE(rule_id, user_id, date_from)",
            "A user has one result per rule and period.",
        ),
    ]

    @api.depends("attainment", "status", "date_from", "date_to", "direction")
    @api.depends_context("tz")
    def _compute_color(self):
        today = fields.Date.context_today(self)
        for result in self:
            share = kpi_periods.elapsed_share(result.date_from, result.date_to, today)
            result.color = kpi_periods.rag(
                result.attainment, result.status, share, result.direction
            )
            result.progress = min(result.attainment, 100.0)
