# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .kam_commission_plan_step import MULTIPLIER_MAX

# the fields the confirmation writes; every other field of a line is the
# engine's (Compute Commissions) and written by nobody else
CONFIRM_FIELDS = frozenset({"state", "confirm_user_id", "confirm_date"})


class KamCommissionLine(models.Model):
    """The commission of one salesperson on one posted invoice line.

    Lines are made by the commission engine (``kam.commission.plan.
    _compute_lines``, run by *Compute Commissions*) in a superuser
    environment: nobody creates a line or writes its values by hand, KAM
    Managers and Sales administrators included; the amount is computed from
    the base, the rate and the multiplier. What a KAM Manager does on a line
    is confirming it (never their own) and writing notes in its chatter."""

    _name = "kam.commission.line"
    _description = "Commission Line"
    _inherit = ["mail.thread"]
    # notes on a line: by whoever reads it (the salesperson, the team leader)
    _mail_post_access = "read"
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
    # a line survives its invoice: deleting the invoice or its line (reset to
    # draft, edited) empties the link; the line keeps its copy (invoice
    # number, invoice date, base) and the next computation corrects it
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    move_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Invoice Line",
        readonly=True,
        index=True,
        ondelete="set null",
    )
    move_name = fields.Char(
        string="Invoice Number",
        readonly=True,
        help="Number of the invoice when the line was computed (kept when the "
        "invoice is reset to draft or deleted).",
    )
    corrected_line_id = fields.Many2one(
        comodel_name="kam.commission.line",
        string="Corrects",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The confirmed line this line corrects: its invoice line was "
        "deleted, reset to draft or changed after the confirmation. The "
        "correction is the difference of the base, at the confirmed rate and "
        "multiplier.",
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
    basis = fields.Selection(
        selection=[("margin", "Margin"), ("untaxed", "Untaxed Amount")],
        readonly=True,
        help="What the base was taken from (the plan's basis at the "
        "computation): a correction compares the same amount.",
    )
    rate = fields.Float(
        string="Rate (%)",
        readonly=True,
        aggregator=None,
        help="Rate of the plan's tier for the deal size, between 0 and 100 %.",
    )
    multiplier = fields.Float(
        readonly=True,
        aggregator=None,
        default=1.0,
        help="Factor of the plan's attainment step for the salesperson, between "
        f"0 and {MULTIPLIER_MAX:g}; 1 without multiplier.",
    )
    amount = fields.Monetary(
        string="Commission",
        compute="_compute_amount",
        store=True,
        readonly=True,
        help="Base x rate x multiplier.",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("confirmed", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    confirm_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Confirmed By",
        readonly=True,
        copy=False,
        tracking=True,
    )
    confirm_date = fields.Datetime(
        string="Confirmed On", readonly=True, copy=False, tracking=True
    )

    _sql_constraints = [
        (
            "plan_move_line_uniq",
            "UNIQUE(plan_id, move_line_id)",
            "An invoice line earns commission once per plan.",
        ),
        (
            "rate_multiplier_range",
            f"CHECK(rate >= 0 AND rate <= 100 AND multiplier >= 0 "
            f"AND multiplier <= {MULTIPLIER_MAX})",
            "The rate of a commission line is between 0 and 100 % and its "
            f"multiplier between 0 and {MULTIPLIER_MAX:g}.",
        ),
        (
            "deal_amount_positive",
            "CHECK(deal_amount >= 0)",
            "The deal size of a commission line cannot be negative.",
        ),
    ]

    @api.depends("move_name", "user_id.name", "corrected_line_id")
    def _compute_display_name(self):
        for line in self:
            name = f"{line.move_name or line.move_id.name or ''} ({line.user_id.name})"
            if line.corrected_line_id:
                name = self.env._("Correction of %(line)s", line=name)
            line.display_name = name

    @api.depends("base_amount", "rate", "multiplier")
    def _compute_amount(self):
        for line in self:
            line.amount = line.base_amount * line.rate / 100.0 * line.multiplier

    def _engine_fields(self):
        """The fields of the line written by the commission engine only."""
        return {
            name
            for name, field in self._fields.items()
            if field._module == self._module and name not in CONFIRM_FIELDS
        }

    def _check_engine(self, field_names=None):
        """Refuse outside the engine (a superuser environment): creating a
        line, or writing ``field_names`` of the engine or the confirmation."""
        if self.env.su:
            return
        if field_names is None:
            raise AccessError(
                self.env._(
                    "Commission lines are made by Compute Commissions only: "
                    "they cannot be created by hand."
                )
            )
        own = set(field_names) & (self._engine_fields() | CONFIRM_FIELDS)
        if own:
            raise AccessError(
                self.env._(
                    "The commission lines %(lines)s are computed from the plan "
                    "and the invoices: %(fields)s cannot be written by hand "
                    "(confirm them with Confirm, recompute them with Compute "
                    "Commissions).",
                    lines=", ".join(self[:5].mapped("display_name")),
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in sorted(own)
                    ),
                )
            )

    def _check_draft(self):
        confirmed = self.filtered(lambda line: line.state == "confirmed")
        if confirmed:
            raise UserError(
                self.env._(
                    "Confirmed commission lines cannot be changed or deleted "
                    "(%(lines)s).",
                    lines=", ".join(confirmed[:5].mapped("display_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_engine()
        return super().create(vals_list)

    def write(self, vals):
        self._check_engine(vals)
        if set(vals) - CONFIRM_FIELDS or vals.get("state") == "draft":
            self._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        self._check_draft()

    def action_confirm(self):
        """Confirm the draft lines: by a KAM Manager who reads them and is not
        their salesperson (nobody confirms their own commission)."""
        if not self.env.su and not self.env.user.has_group(
            "kam_management.group_kam_manager"
        ):
            raise AccessError(
                self.env._("Only a KAM Manager confirms commission lines.")
            )
        self.check_access("read")
        own = self.filtered(lambda line: line.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    "%(user)s cannot confirm their own commission (%(lines)s): "
                    "another KAM Manager confirms it.",
                    user=self.env.user.display_name,
                    lines=", ".join(own[:5].mapped("display_name")),
                )
            )
        self.filtered(lambda line: line.state == "draft").sudo().write(
            {
                "state": "confirmed",
                "confirm_user_id": self.env.uid,
                "confirm_date": fields.Datetime.now(),
            }
        )
        return True
