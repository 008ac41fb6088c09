# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Key Account Management",
    "summary": "Key accounts from data, decision-maker dossiers, tenders and "
    "KPI rules for account managers",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "website": "https://github.com/kam-management/kam_management",
    "author": "kam_management contributors",
    "maintainers": ["kam-management"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": True,
    "depends": [
        "account",
        "calendar",
        "crm",
        "mail",
        "sale_management",
    ],
    "data": [
        # security
        "security/kam_security.xml",
        "security/ir.model.access.csv",
        "security/kam_rules.xml",
        "security/kam_service_rules.xml",
        # data: key accounts
        # data: dossiers
        # data: tenders
        # data: KPI rules
        # data: proposals and service
        "data/kam_service_data.xml",
        # views: foundation
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        # views: key accounts
        "views/kam_classification_policy_views.xml",
        # views: dossiers
        # views: tenders
        # views: KPI rules
        # views: proposals and service
        "views/kam_followup_sequence_views.xml",
        "views/kam_claim_stage_views.xml",
        "views/kam_claim_category_views.xml",
        "views/kam_claim_severity_views.xml",
        "views/kam_claim_views.xml",
        "views/kam_whitespace_cell_views.xml",
        "views/kam_referral_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        # menus, then reports
        "views/kam_menus.xml",
        # reports: proposals and service
        "report/sale_order_report.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/account_move_demo.xml",
        # demo: proposals and service
        "demo/kam_service_demo.xml",
    ],
}
