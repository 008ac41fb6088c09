# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_index

# Done activities by type and date: what the KPI measures "calls", "offers by
# phone" and "reconciliations" read every hour. Partial (only messages of a
# done activity), so it costs nothing on ordinary chatter messages; covering
# (author, document and done flag included), so those measures read the
# index only.
ACTIVITY_DATE_INDEX = "kam_mail_message_activity_type_date_idx"


class MailMessage(models.Model):
    _inherit = "mail.message"

    # Set only by ``mail.activity._action_done`` (in SQL): a message posted
    # with an activity type (``message_post`` accepts any message field) is
    # not a done activity and does not count in the KPI measures.
    kam_activity_done = fields.Boolean(
        string="Done Activity",
        readonly=True,
        copy=False,
        help="The message Odoo logged when an activity was marked done.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("kam_activity_done", None)
        return super().create(vals_list)

    def write(self, vals):
        vals.pop("kam_activity_done", None)
        return super().write(vals)

    def _kam_mark_activity_done(self):
        """Flag ``self`` as the messages of done activities."""
        if not self:
            return
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE mail_message SET kam_activity_done = TRUE WHERE id = ANY(%s)",
                self.ids,
            )
        )
        self.invalidate_recordset(["kam_activity_done"])

    def init(self):
        res = super().init()
        cr = self.env.cr
        cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            [ACTIVITY_DATE_INDEX],
        )
        row = cr.fetchone()
        if row and "kam_activity_done" not in row[0]:
            # before 18.0.1.1.0 the index did not cover the done flag
            drop_index(cr, ACTIVITY_DATE_INDEX, self._table)
            row = None
        if not row:
            cr.execute(
                SQL(
                    "CREATE INDEX %s ON %s (mail_activity_type_id, date) "
                    "INCLUDE (author_id, model, res_id, kam_activity_done) "
                    "WHERE mail_activity_type_id IS NOT NULL",
                    SQL.identifier(ACTIVITY_DATE_INDEX),
                    SQL.identifier(self._table),
                )
            )
        return res
