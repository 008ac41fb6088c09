# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

#: the most working days ``_kam_add_working_days`` counts (two years)
KAM_WORKING_DAYS_MAX = 2 * 366


class ResCompany(models.Model):
    _inherit = "res.company"

    # --- accountplan ---
    kam_health_red_below = fields.Float(
        string="Health Red Below",
        default=40.0,
        help="A key account health score below this value is red.",
    )
    kam_health_green_from = fields.Float(
        string="Health Green From",
        default=70.0,
        help="A key account health score from this value on is green; "
        "between the two thresholds it is amber.",
    )
    kam_reconciliations_per_month = fields.Integer(
        string="Reconciliations per Month",
        default=1,
        help="Reconciliations with each key account expected per month; the "
        "monthly cadence schedules the missing ones (0 turns it off).",
    )

    @api.constrains(
        "kam_health_red_below", "kam_health_green_from", "kam_reconciliations_per_month"
    )
    def _check_kam_accountplan_settings(self):
        for company in self:
            if not (
                0
                <= company.kam_health_red_below
                <= company.kam_health_green_from
                <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s: the health thresholds must satisfy "
                        "0 ≤ red below ≤ green from ≤ 100.",
                        company=company.name,
                    )
                )
            if company.kam_reconciliations_per_month < 0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the number of reconciliations per month "
                        "cannot be negative.",
                        company=company.name,
                    )
                )

    # --- tenders ---
    kam_tender_due_soon_days = fields.Integer(
        string="Tender Deadline Due Soon (days)",
        default=14,
        help="A submission deadline (or a milestone) this many days away or "
        "less is 'due soon'.",
    )
    kam_tender_retender_months = fields.Integer(
        string="Re-tender Lead Time (months)",
        default=12,
        help="A new tender is created in the first stage this many months "
        "before the end of a won contract.",
    )
    kam_tender_outcome_confirmation = fields.Boolean(
        string="Tender Outcomes Confirmed by a KAM Manager",
        help="A tender won, lost or cancelled by a KAM User (and its awarded "
        "amount and award day) counts in KPI results and commissions only "
        "once a KAM Manager confirms it. Outcomes set by a KAM Manager are "
        "confirmed at once.",
    )
    kam_tender_guarantee_notice_days = fields.Integer(
        string="Guarantee Expiry Notice (days)",
        default=14,
        help="The KAM gets an activity this many days before a bid guarantee "
        "expires.",
    )

    # --- KPI rules ---
    kam_report_due_day = fields.Integer(
        string="Monthly Report Due Day",
        default=3,
        help="The monthly report of a month is due on this day of the next month.",
    )
    kam_attestation_months = fields.Integer(
        string="Attestation Interval (months)",
        default=6,
        help="Months between two attestations of a user.",
    )

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
    kam_referral_ask_delivered = fields.Boolean(
        string="Ask after a Delivered Order",
        default=True,
        help="When a confirmed order of a satisfied key account is fully "
        "delivered (every line's delivered quantity reaches the ordered "
        "quantity), schedule an activity to ask for a recommendation or a "
        "referral (daily).",
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
        "recommendation, or a referral request was marked done on it, within "
        "this many days.",
    )

    # one list for every pillar: a second assignment would replace the first
    _sql_constraints = [
        (
            "kam_tender_settings_positive",
            "CHECK(kam_tender_due_soon_days >= 0 AND kam_tender_retender_months "
            ">= 0 AND kam_tender_guarantee_notice_days >= 0)",
            "The tender lead times and notice days cannot be negative.",
        ),
        (
            "kam_report_due_day_range",
            "CHECK(kam_report_due_day BETWEEN 1 AND 28)",
            "The monthly report due day must be between 1 and 28.",
        ),
        (
            "kam_attestation_months_positive",
            "CHECK(kam_attestation_months > 0)",
            "The attestation interval must be at least one month.",
        ),
        (
            "kam_service_days_positive",
            "CHECK(kam_quotation_validity_days >= 0 "
            "AND kam_quotation_expiry_notice_days >= 0 "
            "AND kam_referral_ask_delay_days >= 0 "
            "AND kam_referral_interval_days >= 0)",
            "Quotation validity, reminder, referral delay and interval days "
            "cannot be negative.",
        ),
        (
            "kam_referral_ask_delay_days_max",
            "CHECK(kam_referral_ask_delay_days <= 365)",
            "The referral request delay is at most 365 working days.",
        ),
    ]

    def _kam_add_working_days(self, day, days):
        """The date days working days after day in the company's
        working schedule (its public holidays included); days <= 0
        returns day. Without a schedule, Monday to Friday count. More than
        ``KAM_WORKING_DAYS_MAX`` working days is refused: the schedule is
        walked day by day (a claim severity allows 365 at most)."""
        self.ensure_one()
        if days <= 0:
            return day
        if days > KAM_WORKING_DAYS_MAX:
            raise UserError(
                self.env._(
                    "%(company)s: %(days)s working days is too far ahead; at "
                    "most %(max)s working days can be counted.",
                    company=self.name,
                    days=days,
                    max=KAM_WORKING_DAYS_MAX,
                )
            )
        calendar = self.resource_calendar_id
        if not calendar:
            result = day
            # bounded: 5 working days in every 7 days
            for _step in range(days * 7 // 5 + 7):
                if not days:
                    break
                result += timedelta(days=1)
                if result.weekday() < 5:
                    days -= 1
            return result
        tz = pytz.timezone(calendar.tz or "UTC")
        start = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
        end = calendar.plan_days(days, start, compute_leaves=True)
        return end.astimezone(tz).date() if end else day + timedelta(days=days)
