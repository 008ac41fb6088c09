# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.tools.sql import create_index

# Done activities by type and date: what the KPI measures "calls", "offers by
# phone" and "reconciliations" read every hour. Partial (only messages of a
# done activity), so it costs nothing on ordinary chatter messages.
ACTIVITY_DATE_INDEX = "kam_mail_message_activity_type_date_idx"


class MailMessage(models.Model):
    _inherit = "mail.message"

    def init(self):
        super().init()
        create_index(
            self.env.cr,
            ACTIVITY_DATE_INDEX,
            self._table,
            ["mail_activity_type_id", "date"],
            where="mail_activity_type_id IS NOT NULL",
        )
