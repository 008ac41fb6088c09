# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # --- accountplan ---
    kam_health_red_below = fields.Float(
        related="company_id.kam_health_red_below", readonly=False
    )
    kam_health_green_from = fields.Float(
        related="company_id.kam_health_green_from", readonly=False
    )
    kam_reconciliations_per_month = fields.Integer(
        related="company_id.kam_reconciliations_per_month", readonly=False
    )

    # --- dossiers ---
    kam_dossier_greeting_days = fields.Integer(
        string="Greeting Reminder (days ahead)",
        config_parameter="kam_management.dossier_greeting_days",
        default=3,
        help="The 'Greeting' activity is scheduled this many days before a "
        "birthday or professional holiday of a dossier member.",
    )
    kam_dossier_stale_days = fields.Integer(
        string="Stale Contact (days)",
        config_parameter="kam_management.dossier_stale_days",
        default=90,
        help="A high-influence member not contacted for longer is a coaching gap.",
    )
    kam_dossier_weight_decision_maker = fields.Integer(
        string="Weight: Decision Maker Known",
        config_parameter="kam_management.dossier_weight_decision_maker",
        default=20,
    )
    kam_dossier_weight_economic_buyer = fields.Integer(
        string="Weight: Economic Buyer Known",
        config_parameter="kam_management.dossier_weight_economic_buyer",
        default=20,
    )
    kam_dossier_weight_coach = fields.Integer(
        string="Weight: Coach Known",
        config_parameter="kam_management.dossier_weight_coach",
        default=15,
    )
    kam_dossier_weight_non_supporter = fields.Integer(
        string="Weight: Opponents Identified",
        config_parameter="kam_management.dossier_weight_non_supporter",
        default=15,
    )
    kam_dossier_weight_personal_data = fields.Integer(
        string="Weight: Personal Data of High-Influence Members",
        config_parameter="kam_management.dossier_weight_personal_data",
        default=15,
    )
    kam_dossier_weight_recent_contact = fields.Integer(
        string="Weight: Recent Contact with High-Influence Members",
        config_parameter="kam_management.dossier_weight_recent_contact",
        default=15,
    )

    # --- KPI rules ---
    kam_report_due_day = fields.Integer(
        related="company_id.kam_report_due_day", readonly=False
    )
    kam_attestation_months = fields.Integer(
        related="company_id.kam_attestation_months", readonly=False
    )
    kam_tender_outcome_confirmation = fields.Boolean(
        related="company_id.kam_tender_outcome_confirmation", readonly=False
    )

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
    kam_referral_ask_delivered = fields.Boolean(
        related="company_id.kam_referral_ask_delivered",
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
