# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class KamTenderMilestone(models.Model):
    _name = "kam.tender.milestone"
    _description = "Tender Milestone"
    _order = "tender_id, date, sequence, id"
    _check_company_auto = True

    tender_id = fields.Many2one(
        comodel_name="kam.tender",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="tender_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="tender_id.partner_id", string="Customer", store=True
    )
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    offset_days = fields.Integer(
        string="Days Before Deadline",
        help="Planned this many days before the submission deadline.",
    )
    date = fields.Date(
        required=True,
        help="Due date. Moves with the submission deadline until the milestone "
        "is done.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        domain="[('share', '=', False)]",
    )
    done = fields.Boolean(copy=False)
    date_done = fields.Date(string="Done On", copy=False)
    note = fields.Text()
    activity_id = fields.Many2one(
        comodel_name="mail.activity",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("planned", "Planned"),
            ("due_soon", "Due Soon"),
            ("overdue", "Overdue"),
            ("done", "Done"),
        ],
        compute="_compute_state",
        help="Done; overdue (date passed); due soon (within the company's "
        "'due soon' days); planned.",
    )

    @api.depends("done", "date", "company_id.kam_tender_due_soon_days")
    @api.depends_context("today")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for milestone in self:
            if milestone.done:
                milestone.state = "done"
            elif milestone.date < today:
                milestone.state = "overdue"
            elif milestone.date <= today + timedelta(
                days=milestone.company_id.kam_tender_due_soon_days
            ):
                milestone.state = "due_soon"
            else:
                milestone.state = "planned"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("done") and not vals.get("date_done"):
                vals["date_done"] = fields.Date.context_today(self)
        milestones = super().create(vals_list)
        milestones.filtered(lambda m: not m.done)._kam_schedule_activity()
        return milestones

    def write(self, vals):
        if vals.get("done") and "date_done" not in vals:
            vals["date_done"] = fields.Date.context_today(self)
        if "done" in vals and not vals["done"]:
            vals["date_done"] = False
        res = super().write(vals)
        if vals.get("done"):
            self._kam_close_activity()
        elif {"date", "user_id", "name", "done"} & set(vals):
            self.filtered(lambda m: not m.done)._kam_schedule_activity()
        return res

    def unlink(self):
        self.activity_id.unlink()
        return super().unlink()

    def _kam_schedule_activity(self):
        """One activity on the tender per milestone, for its responsible, due
        on its date; kept in line with the milestone."""
        activity_type = self.env.ref(
            "kam_management.mail_activity_type_tender_milestone",
            raise_if_not_found=False,
        )
        model_id = self.env["ir.model"]._get_id("kam.tender")
        for milestone in self:
            if milestone.tender_id.outcome not in (False, "open"):
                # a closed tender needs no more bid work
                continue
            vals = {
                "summary": milestone.name,
                "date_deadline": milestone.date,
                "user_id": (milestone.user_id or milestone.tender_id.user_id).id
                or self.env.uid,
            }
            if milestone.activity_id:
                milestone.activity_id.write(vals)
                continue
            vals.update(
                res_model_id=model_id,
                res_id=milestone.tender_id.id,
                activity_type_id=activity_type.id if activity_type else False,
                note=milestone.note,
            )
            milestone.activity_id = self.env["mail.activity"].create(vals)

    def _kam_close_activity(self):
        activities = self.activity_id
        self.activity_id = False
        if activities:
            activities.action_feedback(
                feedback=self.env._("Milestone done."),
            )

    def action_mark_done(self):
        self.write({"done": True})
        return True
