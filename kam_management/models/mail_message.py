# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.tools import SQL
from odoo.tools.sql import index_exists

# Done activities by type and date: what the KPI measures "calls", "offers by
# phone" and "reconciliations" read every hour. Partial (only messages of a
# done activity), so it costs nothing on ordinary chatter messages; covering
# (author and document included), so those measures read the index only.
ACTIVITY_DATE_INDEX = "kam_mail_message_activity_type_date_idx"


class MailMessage(models.Model):
    _inherit = "mail.message"

    def init(self):
        res = super().init()
        if not index_exists(self.env.cr, ACTIVITY_DATE_INDEX):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX %s ON %s (mail_activity_type_id, date) "
                    "INCLUDE (author_id, model, res_id) "
                    "WHERE mail_activity_type_id IS NOT NULL",
                    SQL.identifier(ACTIVITY_DATE_INDEX),
                    SQL.identifier(self._table),
                )
            )
        return res
