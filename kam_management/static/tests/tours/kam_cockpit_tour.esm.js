/* Copyright 2026 kam_management contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const TILE = (key) => `.o_kam_cockpit .o_kam_cockpit_tile[data-tile='${key}']`;

registry.category("web_tour.tours").add("kam_cockpit_director_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("kam_management.kam_menu_root", "Open the Key Accounts app"),
        {
            content: "The app opens on the director's cockpit",
            trigger: `${TILE("hhi")} .o_kam_cockpit_reading:contains(concentration)`,
        },
        {
            content: "The Pareto names its largest customer",
            trigger: `${TILE("pareto")} .o_kam_cockpit_row:contains(Baltic Rail Logistics)`,
        },
        {
            content: "The tiles of the key accounts and the KPIs are there",
            trigger: `${TILE("tiers")}, ${TILE("kpi_team")}`,
        },
        {
            content: "Open the key accounts by tier",
            trigger: `${TILE("tiers")} .o_kam_cockpit_open`,
            run: "click",
        },
        {
            content: "The key accounts are listed",
            trigger: ".o_list_view .o_data_row td:contains(Baltic Rail Logistics)",
        },
        {
            content: "Back to the cockpit",
            trigger: ".o_breadcrumb a:contains(Cockpit)",
            run: "click",
        },
        {
            content: "Switch to my own view",
            trigger: ".o_kam_cockpit .o_kam_cockpit_mine",
            run: "click",
        },
        {
            content: "My view shows my accounts",
            trigger: TILE("my_accounts"),
        },
    ],
});

registry.category("web_tour.tours").add("kam_cockpit_kam_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("kam_management.kam_menu_root", "Open the Key Accounts app"),
        {
            content: "The KAM's cockpit lists the account he serves",
            trigger: `${TILE("my_accounts")} .o_kam_cockpit_row:contains(Baltic Rail Logistics)`,
        },
        {
            content: "No director's figure and no switch",
            trigger: `.o_kam_cockpit:not(:has(${TILE("hhi")})):not(:has(.o_kam_cockpit_director))`,
        },
        {
            content: "My KPIs and my overdue work are there",
            trigger: `${TILE("my_kpi")}, ${TILE("my_overdue")}`,
        },
        {
            content: "Open the account",
            trigger: `${TILE("my_accounts")} .o_kam_cockpit_row:contains(Baltic Rail Logistics)`,
            run: "click",
        },
        {
            content: "The account's form opens",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(Baltic Rail Logistics), .o_form_view .o_field_widget[name=name] input",
        },
    ],
});
