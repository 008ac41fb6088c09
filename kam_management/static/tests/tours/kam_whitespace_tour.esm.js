/* Copyright 2026 kam_management contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

const MATRIX = ".o_field_widget[name=kam_whitespace_cell_ids] .o_kam_whitespace_matrix";
const DEPOT_SOFTWARE = `${MATRIX} td[title*='Maintenance Depot'][title$='Software']`;

registry.category("web_tour.tours").add("kam_whitespace_tour", {
    steps: () => [
        {
            content: "Open the whitespace tab of the key account",
            trigger: ".o_notebook .nav-link[name=kam_whitespace]",
            run: "click",
        },
        {
            content: "The matrix shows the buying units as rows",
            trigger: `${MATRIX} tbody tr th:contains(Maintenance Depot)`,
        },
        {
            content: "A category without a cell yet is an empty slot",
            trigger: `${MATRIX} td.o_kam_ws_missing`,
        },
        {
            content: "Complete the matrix",
            trigger: ".o_form_view button[name=action_kam_whitespace_refresh]",
            run: "click",
        },
        {
            content: "Every unit has a cell in every category",
            trigger: `${MATRIX} tbody:not(:has(td.o_kam_ws_missing))`,
        },
        {
            content: "The depot has no need for software",
            trigger: `${DEPOT_SOFTWARE}[data-status=no_need]`,
        },
        {
            content: "The KAM learns that the depot now buys software from us",
            trigger: `${DEPOT_SOFTWARE} select.o_kam_ws_status`,
            run: "select us",
        },
        {
            content: "The cell takes the colour of its new status",
            trigger: `${DEPOT_SOFTWARE}.o_kam_ws_us`,
        },
        {
            content: "Save the key account",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The key account is saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The saved status is shown",
            trigger: `${DEPOT_SOFTWARE}[data-status=us]`,
        },
    ],
});
