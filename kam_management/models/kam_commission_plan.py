# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import kpi_periods
from .kam_commission_plan_step import MULTIPLIER_MAX


class KamCommissionPlan(models.Model):
    """How much of a deal a salesperson earns: a rate by deal size, on the
    margin or on the untaxed amount, optionally multiplied by the attainment
    of a KPI rule."""

    _name = "kam.commission.plan"
    _description = "Commission Plan"
    _inherit = ["mail.thread"]
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    basis = fields.Selection(
        selection=[("margin", "Margin"), ("untaxed", "Untaxed Amount")],
        required=True,
        default="margin",
        tracking=True,
        help="Amount of each invoice line the rate applies to: its margin "
        "(untaxed amount minus product cost) or its untaxed amount, in company "
        "currency, negative for refunds.",
    )
    tier_ids = fields.One2many(
        comodel_name="kam.commission.plan.tier",
        inverse_name="plan_id",
        string="Tiers",
        copy=True,
    )
    use_multiplier = fields.Boolean(
        string="Multiply by Attainment",
        tracking=True,
        help=f"Multiply the commission by a factor (between 0 and {MULTIPLIER_MAX:g}, "
        "see the steps) depending on the user's average attainment of a KPI rule in "
        "the period.",
    )
    multiplier_rule_id = fields.Many2one(
        comodel_name="kam.kpi.rule",
        string="Attainment Rule",
        check_company=True,
    )
    step_ids = fields.One2many(
        comodel_name="kam.commission.plan.step",
        inverse_name="plan_id",
        string="Multiplier Steps",
        copy=True,
    )
    user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="kam_commission_plan_user_rel",
        column1="plan_id",
        column2="user_id",
        string="Salespeople",
        domain="[('share', '=', False)]",
    )
    line_ids = fields.One2many(
        comodel_name="kam.commission.line", inverse_name="plan_id", string="Lines"
    )

    @api.constrains("use_multiplier", "multiplier_rule_id")
    def _check_multiplier(self):
        for plan in self:
            if plan.use_multiplier and not plan.multiplier_rule_id:
                raise ValidationError(
                    self.env._(
                        "Commission plan %(plan)s: choose the KPI rule whose "
                        "attainment multiplies the commission.",
                        plan=plan.display_name,
                    )
                )

    @api.constrains("user_ids", "active", "company_id")
    def _check_one_plan_per_user(self):
        groups = self._read_group(
            [("user_ids", "in", self.user_ids.ids), ("active", "=", True)],
            ["company_id", "user_ids"],
            ["id:recordset"],
        )
        for _company, user, plans in groups:
            if len(plans) > 1:
                raise ValidationError(
                    self.env._(
                        "%(user)s is in two active commission plans (%(plans)s): "
                        "remove the user from all but one in 'Salespeople'.",
                        user=user.display_name,
                        plans=", ".join(plans.mapped("display_name")),
                    )
                )

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_commission_line_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        return action

    def _invoice_lines(self, date_from, date_to):
        """Rows ``(line_id, move_id, user_id, partner_id, invoice_date,
        untaxed, margin, deal)`` of the posted customer invoice and refund
        lines of the plan's users in the period, in one query. The deal size
        is the untaxed amount of the sales order the line comes from, else of
        the invoice (company currency, absolute)."""
        self.ensure_one()
        report = self.env["account.invoice.report"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id, r.move_id, r.invoice_user_id, r.commercial_partner_id,
                       r.invoice_date, r.price_subtotal, r.price_margin,
                       COALESCE(
                           (SELECT MAX(so.amount_untaxed / NULLIF(so.currency_rate, 0))
                              FROM sale_order_line_invoice_rel rel
                              JOIN sale_order_line sol ON sol.id = rel.order_line_id
                              JOIN sale_order so ON so.id = sol.order_id
                             WHERE rel.invoice_line_id = r.id),
                           ABS(m.amount_untaxed_signed)
                       )
                  FROM (%(report)s) r
                  JOIN account_move m ON m.id = r.move_id
                 WHERE r.state = 'posted'
                   AND r.move_type IN ('out_invoice', 'out_refund')
                   AND r.company_id = %(company_id)s
                   AND r.invoice_user_id = ANY(%(user_ids)s)
                   AND r.invoice_date BETWEEN %(date_from)s AND %(date_to)s
                 -- lines are created in a stable order (statements list them so)
              ORDER BY r.invoice_date, r.move_id, r.id
                """,
                report=report._table_query,
                company_id=self.company_id.id,
                user_ids=self.user_ids.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return self.env.cr.fetchall()

    def _compute_lines(self, date_from, date_to):
        """Recompute the commission lines of the period: draft lines are
        replaced, confirmed lines are kept and their invoice lines skipped.
        The engine of the lines: it alone writes them (superuser environment,
        see ``kam.commission.line._check_engine``); callers check who may run
        it (the compute wizard: KAM Managers, on plans they read)."""
        Line = (
            self.env["kam.commission.line"].sudo().with_context(tracking_disable=True)
        )
        for plan in self:
            existing = Line.search(
                [
                    ("plan_id", "=", plan.id),
                    ("invoice_date", ">=", date_from),
                    ("invoice_date", "<=", date_to),
                    ("corrected_line_id", "=", False),
                ]
            )
            confirmed = existing.filtered(lambda line: line.state == "confirmed")
            # draft corrections (of any period) are made again below, in the
            # period computed now; draft lines whose invoice line is gone
            # follow it
            drafts = (existing - confirmed) | Line.search(
                [
                    ("plan_id", "=", plan.id),
                    ("state", "=", "draft"),
                    "|",
                    ("corrected_line_id", "!=", False),
                    ("move_line_id", "=", False),
                ]
            )
            drafts.unlink()
            done = set(confirmed.move_line_id.ids)
            factors = plan._multipliers(date_from, date_to)
            tiers = [(tier.from_amount, tier.rate) for tier in plan.tier_ids]
            vals_list = []
            rows = plan._invoice_lines(date_from, date_to)
            # the invoice numbers, kept on the lines: one read for all
            moves = self.env["account.move"].browse({row[1] for row in rows})
            move_names = {move.id: move.name for move in moves}
            for row in rows:
                line_id, move_id, user_id, partner_id, day, untaxed, margin, deal = row
                if line_id in done:
                    continue
                base = margin if plan.basis == "margin" else untaxed
                rate = kpi_periods.tier_rate(deal or 0.0, tiers)
                factor = factors.get(user_id, 1.0)
                vals_list.append(
                    {
                        "plan_id": plan.id,
                        "user_id": user_id,
                        "move_id": move_id,
                        "move_name": move_names[move_id],
                        "move_line_id": line_id,
                        "partner_id": partner_id,
                        "invoice_date": day,
                        "date_from": date_from,
                        "date_to": date_to,
                        "deal_amount": deal or 0.0,
                        "base_amount": base or 0.0,
                        "basis": plan.basis,
                        "rate": rate,
                        "multiplier": factor,
                    }
                )
            vals_list += plan._correction_vals(date_from, date_to)
            Line.create(vals_list)
        return True

    def _correction_vals(self, date_from, date_to):
        """Values of the correcting lines of the period ``[date_from,
        date_to]``: for every confirmed line of the plan invoiced on or before
        ``date_to`` whose invoice line was deleted, is no longer posted or has
        another base now, a line of the difference (current base minus the
        base already confirmed by the line and its confirmed corrections) at
        the confirmed line's rate and multiplier. A confirmed line is never
        changed: what was paid stays, the statement of the period corrects
        it. Two queries for the plan."""
        self.ensure_one()
        Line = self.env["kam.commission.line"].sudo()
        confirmed = Line.search(
            [
                ("plan_id", "=", self.id),
                ("state", "=", "confirmed"),
                ("invoice_date", "<=", date_to),
            ]
        )
        originals = confirmed.filtered(lambda line: not line.corrected_line_id)
        if not originals:
            return []
        confirmed_base = defaultdict(float)
        for line in confirmed:
            confirmed_base[line.corrected_line_id or line] += line.base_amount
        current = self._current_bases(originals.move_line_id.ids)
        rounding = self.company_id.currency_id
        vals_list = []
        for line in originals:
            # the amount the line was computed on, whatever the plan says now
            untaxed, margin = current.get(line.move_line_id.id, (0.0, 0.0))
            basis = line.basis or self.basis
            base = margin if basis == "margin" else untaxed
            difference = base - confirmed_base[line]
            if rounding.is_zero(difference):
                continue
            vals_list.append(
                {
                    "plan_id": self.id,
                    "user_id": line.user_id.id,
                    "move_id": line.move_id.id,
                    "move_name": line.move_name,
                    "move_line_id": False,
                    "corrected_line_id": line.id,
                    "partner_id": line.partner_id.id,
                    "invoice_date": line.invoice_date,
                    "date_from": date_from,
                    "date_to": date_to,
                    "deal_amount": line.deal_amount,
                    "base_amount": difference,
                    "basis": basis,
                    "rate": line.rate,
                    "multiplier": line.multiplier,
                }
            )
        return vals_list

    def _current_bases(self, move_line_ids):
        """``{move line id: (untaxed, margin)}`` of the invoice lines that
        are posted customer invoice or refund lines today, in one query."""
        self.ensure_one()
        if not move_line_ids:
            return {}
        report = self.env["account.invoice.report"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id, r.price_subtotal, r.price_margin
                  FROM (%(report)s) r
                 WHERE r.id = ANY(%(ids)s)
                   AND r.state = 'posted'
                   AND r.move_type IN ('out_invoice', 'out_refund')
                """,
                report=report._table_query,
                ids=move_line_ids,
            )
        )
        return {
            line_id: (untaxed or 0.0, margin or 0.0)
            for line_id, untaxed, margin in self.env.cr.fetchall()
        }

    def _multipliers(self, date_from, date_to):
        """``{user_id: factor}`` from the average attainment of the plan's
        rule over the results inside the period (one grouped query)."""
        self.ensure_one()
        if not self.use_multiplier:
            return {}
        steps = [(step.from_attainment, step.multiplier) for step in self.step_ids]
        groups = (
            self.env["kam.kpi.result"]
            .sudo()
            ._read_group(
                [
                    ("rule_id", "=", self.multiplier_rule_id.id),
                    ("user_id", "in", self.user_ids.ids),
                    ("date_from", ">=", date_from),
                    ("date_to", "<=", date_to),
                ],
                ["user_id"],
                ["attainment:avg"],
            )
        )
        return {
            user.id: kpi_periods.multiplier_for(attainment or 0.0, steps)
            for user, attainment in groups
        }
