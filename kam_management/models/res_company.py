# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kam_quotation_validity_days = fields.Integer(
        string="Key Account Quotation Validity",
        default=30,
        help="Days a quotation of a key account stays valid. It replaces the "
        "default quotation validity of Sales for key accounts; 0 keeps the "
        "default of Sales.",
    )
    kam_quotation_expiry_notice_days = fields.Integer(
        string="Expiry Reminder (days before)",
        default=3,
        help="An activity is scheduled for the key account manager this many "
        "days before a key-account quotation expires; 0 disables the reminder.",
    )
    kam_referral_ask = fields.Boolean(
        string="Ask Satisfied Key Accounts for a Referral",
        default=True,
        help="After a won deal (confirmed order or won opportunity) of a "
        "satisfied key account, schedule an activity to ask for a "
        "recommendation or a referral.",
    )
    kam_referral_ask_delay_days = fields.Integer(
        string="Referral Request Delay",
        default=14,
        help="Working days after the won deal when the referral request is due.",
    )
    kam_referral_interval_days = fields.Integer(
        string="Referral Request Interval",
        default=180,
        help="No new referral request while the account gave a referral or a "
        "recommendation within this many days.",
    )

    _sql_constraints = [
        (
            "kam_service_days_positive",
            "CHECK(kam_quotation_validity_days >= 0 "
            "AND kam_quotation_expiry_notice_days >= 0 "
            "AND kam_referral_ask_delay_days >= 0 "
            "AND kam_referral_interval_days >= 0)",
            "Quotation validity, reminder, referral delay and interval days "
            "cannot be negative.",
        ),
    ]

    def _kam_add_working_days(self, day, days):
        """The date days working days after day in the company's
        working schedule (its public holidays included); days <= 0
        returns day. Without a schedule, Monday to Friday count."""
        self.ensure_one()
        if days <= 0:
            return day
        calendar = self.resource_calendar_id
        if not calendar:
            result = day
            while days:
                result += timedelta(days=1)
                if result.weekday() < 5:
                    days -= 1
            return result
        tz = pytz.timezone(calendar.tz or "UTC")
        start = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
        end = calendar.plan_days(days, start, compute_leaves=True)
        return end.astimezone(tz).date() if end else day + timedelta(days=days)
