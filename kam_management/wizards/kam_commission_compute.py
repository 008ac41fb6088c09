# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class KamCommissionCompute(models.TransientModel):
    _name = "kam.commission.compute"
    _description = "Compute Commissions"

    plan_ids = fields.Many2many(
        comodel_name="kam.commission.plan",
        string="Plans",
        required=True,
        default=lambda self: self._default_plans(),
    )
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self)
        + relativedelta(months=-1, day=1),
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self)
        + relativedelta(day=1, days=-1),
    )

    @api.model
    def _default_plans(self):
        if self.env.context.get("active_model") == "kam.commission.plan":
            return self.env["kam.commission.plan"].browse(
                self.env.context.get("active_ids", [])
            )
        return self.env["kam.commission.plan"].search([("active", "=", True)])

    def action_compute(self):
        """Compute the lines of the chosen plans: by a KAM Manager, on plans
        they may read (their companies). The engine replaces draft lines with
        what the plan and the posted invoices give; nothing of the result is
        chosen by the user, so the manager may compute every salesperson of
        the plan, themselves included (confirming is another manager's)."""
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group(
            "kam_management.group_kam_manager"
        ):
            raise AccessError(self.env._("Only a KAM Manager computes commissions."))
        refused = self.plan_ids - self.plan_ids._filtered_access("read")
        if refused:
            raise AccessError(
                self.env._(
                    "Compute Commissions: %(count)s of the chosen plans cannot be "
                    "read by %(user)s (another company); compute the plans of "
                    "your companies only.",
                    count=len(refused),
                    user=self.env.user.display_name,
                )
            )
        if self.date_from > self.date_to:
            raise UserError(
                self.env._("The period must end on or after the day it starts.")
            )
        self.plan_ids._compute_lines(self.date_from, self.date_to)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_commission_line_action"
        )
        action["domain"] = [
            ("plan_id", "in", self.plan_ids.ids),
            ("date_from", "=", self.date_from),
        ]
        return action
