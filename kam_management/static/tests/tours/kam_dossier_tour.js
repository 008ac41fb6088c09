/* Copyright 2026 kam_management contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("kam_dossier_org_chart", {
    steps: () => [
        {
            content: "The members are listed in the buying group tab",
            trigger: ".o_field_one2many[name=member_ids] .o_data_row:contains(Tour Aide)",
        },
        {
            content: "Open the org chart of the dossier",
            trigger: ".o_form_view button[name=action_kam_open_org_chart]",
            run: "click",
        },
        {
            content: "The manager's card: red, an opponent",
            trigger:
                ".o_hierarchy_view .o_hierarchy_node:contains(Tour Boss) .o_hierarchy_node_color_1",
        },
        {
            content: "The employee's card, under the manager: green, a supporter",
            trigger:
                ".o_hierarchy_view .o_hierarchy_row:last .o_hierarchy_node:contains(Tour Aide) .o_hierarchy_node_color_10",
        },
    ],
});

registry.category("web_tour.tours").add("kam_quotation_buying_group", {
    steps: () => [
        {
            content: "Open the buying group of the quotation",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Buying Group)",
            run: "click",
        },
        {
            content: "The person, the role and its argument hint are listed",
            trigger:
                ".o_field_one2many[name=kam_deal_role_ids] .o_data_row:contains(Tour Boss):contains(Values exclusivity)",
        },
    ],
});
