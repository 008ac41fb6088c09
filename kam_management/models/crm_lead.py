# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def action_set_won(self):
        result = super().action_set_won()
        self.env["kam.referral"]._kam_ask_for_referral(
            self.partner_id.commercial_partner_id
        )
        return result
