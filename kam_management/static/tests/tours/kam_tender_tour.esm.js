/* Copyright 2026 kam_management contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("kam_tender_tour", {
    steps: () => [
        {
            content: "Open the tenders of the key account",
            trigger: ".o_form_view button[name=action_kam_view_tenders]",
            run: "click",
        },
        {
            content: "Create a tender",
            trigger: ".o_kanban_view .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The customer is the key account",
            trigger:
                ".o_form_view .o_field_widget[name=partner_id] input:value(Tour Port Authority)",
        },
        {
            content: "Name the tender",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour crane maintenance",
        },
        {
            content: "Set the submission deadline",
            trigger: ".o_form_view .o_field_widget[name=date_submission] input",
            run: "edit 12/31/2030",
        },
        {
            content: "Open the timeline tab",
            trigger: ".o_notebook .nav-link[name=milestones]",
            run: "click",
        },
        {
            content: "Choose the milestone template",
            trigger: ".o_form_view .o_field_widget[name=milestone_template_id] input",
            run: "edit Standard bid",
        },
        {
            content: "Pick the standard timeline",
            trigger: ".o-autocomplete--dropdown-item:contains(Standard bid timeline)",
            run: "click",
        },
        {
            content: "Apply the template",
            trigger: ".o_form_view button[name=action_apply_milestone_template]",
            run: "click",
        },
        {
            content: "The milestones are planned",
            trigger:
                ".o_field_widget[name=milestone_ids] .o_data_row:contains(Documents and guarantee ready)",
        },
        {
            content: "The last milestone is the day before the deadline",
            trigger:
                ".o_field_widget[name=milestone_ids] .o_data_row:contains(12/30/2030)",
        },
        {
            content: "Move the tender to Submitted",
            trigger: ".o_statusbar_status button:contains(Submitted)",
            run: "click",
        },
        {
            content: "The tender is submitted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Submitted)",
        },
        {
            content: "Moving the stage saved the tender",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Open the visual timeline of the milestones",
            trigger: ".o_form_view button[name=action_view_milestone_timeline]",
            run: "click",
        },
        {
            content: "The milestones are drawn on the timeline",
            trigger: ".oe_timeline_view .vis-item:contains(Bid team and plan)",
        },
        {
            content: "Back to the tenders of the key account",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Tenders)",
            run: "click",
        },
        {
            content: "The card shows the deadline (no colour once submitted)",
            trigger:
                ".o_kanban_record:contains(Tour crane maintenance) div[name=deadline]:not(.text-success):contains(12/31/2030)",
        },
    ],
});
