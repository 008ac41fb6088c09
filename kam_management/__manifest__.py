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
        "resource",
        "sale_management",
    ],
    "data": [
        # security
        "security/kam_security.xml",
        "security/ir.model.access.csv",
        "security/kam_rules.xml",
        "security/kam_kpi_rules.xml",
        # data: key accounts
        # data: dossiers
        # data: tenders
        # data: KPI rules
        "data/kam_kpi_data.xml",
        # data: proposals and service
        # views: foundation
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        # views: key accounts
        "views/kam_classification_policy_views.xml",
        # views: dossiers
        # views: tenders
        # views: KPI rules
        "wizards/kam_commission_compute_views.xml",
        "views/kam_kpi_rule_views.xml",
        "views/kam_kpi_target_views.xml",
        "views/kam_kpi_result_views.xml",
        "views/kam_monthly_report_views.xml",
        "views/kam_attestation_views.xml",
        "views/kam_commission_plan_views.xml",
        "views/kam_commission_line_views.xml",
        "views/res_config_settings_views.xml",
        # views: proposals and service
        # menus, then reports
        "views/kam_menus.xml",
        # reports: KPI rules
        "report/kam_monthly_report_report.xml",
        "report/kam_commission_statement_report.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/account_move_demo.xml",
        # demo: KPI rules
        "demo/kam_kpi_demo.xml",
    ],
}
