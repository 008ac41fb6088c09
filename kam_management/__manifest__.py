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
        # tenders
        "web_timeline",
    ],
    "data": [
        # security
        "security/kam_security.xml",
        "security/ir.model.access.csv",
        "security/kam_rules.xml",
        "security/kam_tenders_rules.xml",
        # data: key accounts
        # data: dossiers
        # data: tenders
        "data/kam_tender_data.xml",
        # data: KPI rules
        # data: proposals and service
        # views: foundation
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        # views: key accounts
        "views/kam_classification_policy_views.xml",
        # views: dossiers
        # views: tenders
        "views/kam_tender_views.xml",
        "views/kam_tender_milestone_views.xml",
        "views/kam_tender_bid_views.xml",
        "views/kam_tender_config_views.xml",
        "views/sale_order_views.xml",
        "views/crm_lead_views.xml",
        "views/res_company_views.xml",
        # views: KPI rules
        # views: proposals and service
        # menus, then reports
        "views/kam_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/account_move_demo.xml",
        # demo: tenders
        "demo/kam_tender_demo.xml",
    ],
    "assets": {
        # tenders
        "web.assets_tests": [
            "kam_management/static/tests/tours/**/*",
        ],
    },
}
