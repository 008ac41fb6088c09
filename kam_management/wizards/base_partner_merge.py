# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """The merge moves every document of the merged partners to the
        destination (in SQL) before deleting them: across accounts, it moves
        them out of the account that serves them (see
        ``res.partner._kam_check_merge``)."""
        self.env["res.partner"].browse(partner_ids)._kam_check_merge()
        return super()._merge(
            partner_ids, dst_partner=dst_partner, extra_checks=extra_checks
        )
