/* Copyright 2026 kam_management contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("kam_dossier_org_chart", {
    steps: () => [
        {
            content: "Open the org chart of the dossier",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Org Chart)",
            run: "click",
        },
        {
            content: "The employee is nested under the manager",
            trigger:
                ".o_kam_org_chart > li:contains(Tour Boss) > ul > li:contains(Tour Aide)",
        },
        {
            content: "The members are listed in the buying group tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Buying Group)",
            run: "click",
        },
        {
            trigger: ".o_field_one2many[name=member_ids] .o_data_row:contains(Tour Aide)",
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
