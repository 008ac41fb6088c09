# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # --- accountplan ---
    @api.model_create_multi
    def create(self, vals_list):
        self._kam_route_to_deputy(vals_list)
        return super().create(vals_list)

    @api.model
    def _kam_route_to_deputy(self, vals_list):
        """Activities assigned to the KAM of a key account for a day the KAM
        is absent go to the account's deputy instead.

        The key account of an activity is the commercial partner of its
        record: the record itself for a partner, else the record's
        ``partner_id`` (quotations, opportunities, invoices, account plans...).
        """
        if self.env.context.get("kam_no_deputy_routing"):
            return
        today = fields.Date.context_today(self)
        by_model = {}
        for vals in vals_list:
            if vals.get("user_id") and vals.get("res_id"):
                model = vals.get("res_model") or (
                    vals.get("res_model_id")
                    and self.env["ir.model"].sudo().browse(vals["res_model_id"]).model
                )
                if model:
                    by_model.setdefault(model, []).append(vals)
        assignees = (
            self.env["res.users"]
            .sudo()
            .browse(
                sorted(
                    {
                        vals["user_id"]
                        for model_vals in by_model.values()
                        for vals in model_vals
                    }
                )
            )
        )
        if not any(assignees.mapped("kam_absent_from")):
            return
        for model, model_vals in by_model.items():
            Model = self.env[model].sudo()
            if model == "res.partner":
                partner_of = {
                    rec.id: rec
                    for rec in Model.browse([v["res_id"] for v in model_vals])
                }
            elif (
                "partner_id" in Model._fields
                and Model._fields["partner_id"].comodel_name == "res.partner"
            ):
                records = Model.browse([v["res_id"] for v in model_vals]).exists()
                partner_of = {rec.id: rec.partner_id for rec in records}
            else:
                continue
            for vals in model_vals:
                partner = partner_of.get(vals["res_id"])
                if not partner:
                    continue
                account = partner.commercial_partner_id
                if account.kam_user_id.id != vals["user_id"]:
                    continue
                day = fields.Date.to_date(vals.get("date_deadline")) or today
                responsible = account._kam_responsible_user(day)
                if responsible:
                    vals["user_id"] = responsible.id

    kam_followup_step_id = fields.Many2one(
        comodel_name="kam.followup.step",
        string="Follow-up Step",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        order_ids = [
            activity.res_id
            for activity in self
            if activity.kam_followup_step_id and activity.res_model == "sale.order"
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        # the messages left by the done activities: what KPI measures count
        result[0]._kam_mark_activity_done()
        if order_ids:
            self.env["sale.order"].sudo().browse(
                order_ids
            ).exists()._kam_followup_advance()
        return result
