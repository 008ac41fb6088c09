# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class KamCommissionLine(models.Model):
    """The commission of one salesperson on one posted invoice line."""

    _name = "kam.commission.line"
    _description = "Commission Line"
    _order = "date_from desc, user_id, invoice_date, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        comodel_name="kam.commission.plan",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        required=True,
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    move_id = fields.Many2one(
        comodel_name="account.move", string="Invoice", required=True, readonly=True
    )
    move_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Invoice Line",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    invoice_date = fields.Date(readonly=True, index=True)
    date_from = fields.Date(string="Period Start", readonly=True, index=True)
    date_to = fields.Date(string="Period End", readonly=True)
    deal_amount = fields.Monetary(
        string="Deal Size",
        readonly=True,
        aggregator=None,
        help="Untaxed amount of the sales order of the line, else of the invoice.",
    )
    base_amount = fields.Monetary(
        string="Base", readonly=True, help="Margin or untaxed amount of the line."
    )
    rate = fields.Float(string="Rate (%)", readonly=True, aggregator=None)
    multiplier = fields.Float(readonly=True, aggregator=None, default=1.0)
    amount = fields.Monetary(string="Commission", readonly=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("confirmed", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
    )

    _sql_constraints = [
        (
            "plan_move_line_uniq",
            "UNIQUE(plan_id, move_line_id)",
            "An invoice line earns commission once per plan.",
        ),
    ]

    def _check_draft(self):
        confirmed = self.filtered(lambda line: line.state == "confirmed")
        if confirmed:
            raise UserError(
                self.env._(
                    "Confirmed commission lines cannot be changed or deleted "
                    "(%(lines)s).",
                    lines=", ".join(confirmed[:5].mapped("move_id.name")),
                )
            )

    def write(self, vals):
        if set(vals) - {"state"} or vals.get("state") == "draft":
            self._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        self._check_draft()

    def action_confirm(self):
        self.filtered(lambda line: line.state == "draft").write({"state": "confirmed"})
        return True
