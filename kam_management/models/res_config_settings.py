# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_quotation_validity_days = fields.Integer(
        related="company_id.kam_quotation_validity_days",
        readonly=False,
    )
    kam_quotation_expiry_notice_days = fields.Integer(
        related="company_id.kam_quotation_expiry_notice_days",
        readonly=False,
    )
    kam_referral_ask = fields.Boolean(
        related="company_id.kam_referral_ask",
        readonly=False,
    )
    kam_referral_ask_delay_days = fields.Integer(
        related="company_id.kam_referral_ask_delay_days",
        readonly=False,
    )
    kam_referral_interval_days = fields.Integer(
        related="company_id.kam_referral_interval_days",
        readonly=False,
    )
