# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamAccountObjective(models.Model):
    """A measurable objective of an account plan; its actions are ordinary
    activities scheduled on the objective."""

    _name = "kam.account.objective"
    _description = "Key Account Objective"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    plan_id = fields.Many2one(
        comodel_name="kam.account.plan",
        string="Account Plan",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, index=True, string="Key Account"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    date_deadline = fields.Date(string="Due Date", tracking=True)
    state = fields.Selection(
        selection=[
            ("not_started", "Not Started"),
            ("on_track", "On Track"),
            ("at_risk", "At Risk"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="not_started",
        tracking=True,
    )
    measure = fields.Char(
        help="What is measured, e.g. 'annual revenue' or 'share of wallet %'."
    )
    target = fields.Float(tracking=True)
    actual = fields.Float(string="Achieved", tracking=True)
    progress = fields.Float(
        compute="_compute_progress",
        string="Progress (%)",
        digits=(16, 1),
        help="Achieved / target × 100 (0 without a target).",
    )
    is_on_track = fields.Boolean(
        compute="_compute_is_on_track",
        string="On Track Today",
        help="Done, or on track and not past its due date.",
    )

    _sql_constraints = [
        (
            "target_positive",
            "CHECK(target >= 0)",
            "The target of an objective cannot be negative.",
        ),
    ]

    @api.constrains("target")
    def _check_target(self):
        for objective in self:
            if objective.target < 0:
                raise ValidationError(
                    self.env._(
                        "Objective %(objective)s of %(plan)s: the target cannot "
                        "be negative (%(target)s).",
                        objective=objective.name,
                        plan=objective.plan_id.display_name,
                        target=objective.target,
                    )
                )

    @api.depends("target", "actual")
    def _compute_progress(self):
        for objective in self:
            objective.progress = (
                objective.actual / objective.target * 100.0 if objective.target else 0.0
            )

    @api.depends("state", "date_deadline")
    def _compute_is_on_track(self):
        today = fields.Date.context_today(self)
        for objective in self:
            objective.is_on_track = objective._kam_on_track(today)

    def _kam_on_track(self, day):
        """Definition used by the health score: done, or on track and not
        past its due date on ``day``."""
        self.ensure_one()
        return self.state == "done" or (
            self.state == "on_track"
            and (not self.date_deadline or self.date_deadline >= day)
        )
