# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import date

from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

WAIT_FOR = """
// steps: [selector, click, text]: wait for an element matching selector
// whose text (or input value) contains text, then click it if asked
const steps = %s;
let tries = 0;
const shown = (element) =>
    [element, ...element.querySelectorAll("input, textarea")]
        .map((el) => el.value || "")
        .join(" ") + " " + element.textContent;
const timer = setInterval(() => {
    const [selector, click, text] = steps[0];
    const element = [...document.querySelectorAll(selector)].find(
        (el) => !text || shown(el).includes(text)
    );
    if (element) {
        tries = 0;
        steps.shift();
        if (click) {
            element.click();
        }
        if (!steps.length) {
            clearInterval(timer);
            console.log("test successful");
        }
    } else if (++tries > 150) {
        clearInterval(timer);
        console.error("not rendered: " + selector + (text ? " with " + text : ""));
    }
}, 100);
"""


@tagged("post_install", "-at_install")
class TestAccountPlanViews(HttpCase):
    """The account plan screens show the plan's data in the web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Browser Rail",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.env.ref("base.user_admin").id,
                "kam_service_level_note": "Delivery within 24 hours",
            }
        )
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "partner_id": cls.account.id,
                "year": 2025,
                "wallet_amount": 1000.0,
                "swot_strengths": "Installed base",
                "competitor_ids": [Command.create({"name": "Nordic", "share": 30.0})],
                "objective_ids": [Command.create({"name": "Renew the contract"})],
            }
        )
        cls.env["kam.health.score"]._kam_compute(cls.account, date(2025, 6, 30))
        cls.sales_user = new_test_user(
            cls.env, login="ui_sales_user", groups="sales_team.group_sale_salesman"
        )
        cls.kam_user = new_test_user(
            cls.env, login="ui_kam_user", groups="kam_management.group_kam_user"
        )
        cls.kam_manager = new_test_user(
            cls.env, login="ui_kam_manager", groups="kam_management.group_kam_manager"
        )

    def _assert_shows(self, url, *steps):
        """Open ``url`` and wait for each step: ``(selector, text)`` (an
        element showing ``text``) or ``(selector, text, True)`` (then click
        it); fails (console error) when one does not show."""
        steps = [[selector, bool(click), text] for selector, text, *click in steps]
        self.browser_js(url, WAIT_FOR % json.dumps(steps), login="admin", timeout=60)

    def test_account_plan_views(self):
        action = "/odoo/action-kam_management.kam_account_plan_action"
        self._assert_shows(action, (".o_list_view .o_data_row", "Browser Rail"))
        self._assert_shows(
            f"{action}?view_type=kanban", (".o_kanban_record", "Browser Rail")
        )
        self._assert_shows(
            f"{action}/{self.plan.id}",
            (".o_form_view .o_field_widget[name='partner_id']", "Browser Rail"),
            ("a[name='swot']", "", True),
            (".o_field_widget[name='swot_strengths'] textarea", "Installed base"),
            ("a[name='competitors']", "", True),
            (".o_field_one2many .o_data_row", "Nordic"),
            ("a[name='objectives']", "", True),
            (".o_field_one2many .o_data_row", "Renew the contract"),
        )

    def test_health_and_configuration_views(self):
        health = "/odoo/action-kam_management.kam_health_score_action"
        self._assert_shows(f"{health}?view_type=graph", (".o_graph_view canvas", ""))
        self._assert_shows(f"{health}?view_type=pivot", (".o_pivot table", ""))
        self._assert_shows(
            "/odoo/action-kam_management.kam_health_factor_action",
            (".o_data_row", "Overdue receivables"),
        )
        self._assert_shows(
            "/odoo/action-kam_management.kam_key_reason_action",
            (".o_data_row", "Large revenue or profit"),
        )

    def test_partner_key_account_tab(self):
        self._assert_shows(
            f"/odoo/res.partner/{self.account.id}",
            ("a[name='kam_key_account']", "", True),
            (".o_field_widget[name='kam_payment_term_id']", ""),
            (
                ".o_field_widget[name='kam_service_level_note'] textarea",
                "Delivery within 24 hours",
            ),
        )

    def test_key_account_tab_per_group(self):
        """The partner form: no Key Account tab without the KAM User group;
        KAM Users see the key-account flag read-only, KAM Managers edit it."""
        Partner = self.env["res.partner"]

        def form_arch(user):
            views = Partner.with_user(user).get_views([(False, "form")])
            return etree.fromstring(views["views"]["form"]["arch"])

        page = "//page[@name='kam_key_account']"
        flag = page + "//field[@name='kam_is_key_account']"
        self.assertFalse(form_arch(self.sales_user).xpath(page))
        user_flags = form_arch(self.kam_user).xpath(flag)
        self.assertEqual([f.get("readonly") for f in user_flags], ["1"])
        manager_flags = form_arch(self.kam_manager).xpath(flag)
        self.assertEqual([f.get("readonly") for f in manager_flags], ["parent_id"])
