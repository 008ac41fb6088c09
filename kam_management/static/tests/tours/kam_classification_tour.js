/** @odoo-module **/
// Copyright 2026 kam_management contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("kam_classification_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("kam_management.kam_menu_root", "Open the Key Accounts app"),
        {
            content: "Open the Accounts menu",
            trigger: '.o_main_navbar [data-menu-xmlid="kam_management.kam_menu_accounts"]',
            run: "click",
        },
        {
            content: "Open the key accounts",
            trigger: '[data-menu-xmlid="kam_management.kam_menu_key_accounts"]',
            run: "click",
        },
        {
            content: "Its tier badge shows the label of the tier in its colour",
            trigger:
                ".o_kanban_record:contains('Baltic Rail Logistics') " +
                ".o_tag.o_tag_color_10:contains('Strategic')",
        },
        {
            content: "Open the largest key account",
            trigger: ".o_kanban_view .o_kanban_record:contains('Baltic Rail Logistics')",
            run: "click",
        },
        {
            content: "Open its Key Account tab",
            trigger: ".o_form_view .o_notebook a:contains('Key Account')",
            run: "click",
        },
        {
            content: "Its ABC class is shown",
            trigger: ".o_form_view .o_field_widget[name='kam_abc_class']:contains('A')",
        },
        {
            content: "The history lists the share of each run",
            trigger:
                ".o_form_view .o_field_widget[name='kam_classification_line_ids'] " +
                ".o_data_row td[name='share']",
        },
        {
            content: "The manager can pin the account",
            trigger: ".o_form_view .o_field_widget[name='kam_pin'] select",
        },
        {
            content: "Open the configuration for the tiers",
            trigger: '.o_main_navbar [data-menu-xmlid="kam_management.kam_menu_config"]',
            run: "click",
        },
        {
            content: "Open the tiers",
            trigger: '[data-menu-xmlid="kam_management.kam_menu_config_tiers"]',
            run: "click",
        },
        {
            content: "The four tiers are listed in their order with their labels",
            trigger:
                ".o_list_view .o_data_row:nth-child(4) td[name='name']:contains('Regular')",
        },
        {
            content: "Open the configuration",
            trigger: '.o_main_navbar [data-menu-xmlid="kam_management.kam_menu_config"]',
            run: "click",
        },
        {
            content: "Open the classification policies",
            trigger:
                '[data-menu-xmlid="kam_management.kam_menu_config_classification_policy"]',
            run: "click",
        },
        {
            content: "Open the demo policy",
            trigger: ".o_list_view .o_data_row td:contains('Revenue, last 12 months')",
            run: "click",
        },
        {
            content: "Run the classification",
            trigger: '.o_form_view button[name="action_run"]',
            run: "click",
        },
        {
            content: "The Pareto chart of the new run is drawn",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            content: "Open the dashboard",
            trigger: '.o_main_navbar [data-menu-xmlid="kam_management.kam_menu_dashboard"]',
            run: "click",
        },
        {
            content: "Open the Pareto dashboard",
            trigger: '[data-menu-xmlid="kam_management.kam_menu_dashboard_pareto"]',
            run: "click",
        },
        {
            content: "The Pareto chart of the last runs is drawn",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            content: "Open the dashboard for the Pareto by share of customers",
            trigger: '.o_main_navbar [data-menu-xmlid="kam_management.kam_menu_dashboard"]',
            run: "click",
        },
        {
            content: "Open the Pareto by share of customers",
            trigger: '[data-menu-xmlid="kam_management.kam_menu_dashboard_pareto_percent"]',
            run: "click",
        },
        {
            content: "The Pareto curve by share of customers is drawn",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            content: "Open the dashboard again",
            trigger: '.o_main_navbar [data-menu-xmlid="kam_management.kam_menu_dashboard"]',
            run: "click",
        },
        {
            content: "Open the concentration figures",
            trigger: '[data-menu-xmlid="kam_management.kam_menu_dashboard_concentration"]',
            run: "click",
        },
        {
            content: "Top-1, top-5 and HHI of the last run are shown",
            trigger: ".o_list_view .o_data_row td[name='hhi']",
            run: "click",
        },
        {
            content: "The run shows its ranked customers",
            trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_data_row td[name='abc_class']",
        },
        {
            content: "Open the dashboard once more",
            trigger: '.o_main_navbar [data-menu-xmlid="kam_management.kam_menu_dashboard"]',
            run: "click",
        },
        {
            content: "Open the key accounts by dependence level",
            trigger: '[data-menu-xmlid="kam_management.kam_menu_dashboard_dependence"]',
            run: "click",
        },
        {
            content: "The chart of key accounts by dependence is drawn",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
    ],
});
