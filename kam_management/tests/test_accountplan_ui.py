# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged

WAIT_FOR = """
const steps = %s;
let tries = 0;
const timer = setInterval(() => {
    const [selector, click] = steps[0];
    const element = document.querySelector(selector);
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
        console.error("not rendered: " + selector);
    }
}, 100);
"""


@tagged("post_install", "-at_install")
class TestAccountPlanViews(HttpCase):
    """The account plan screens render in the web client without errors."""

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

    def _assert_renders(self, url, selector, click_first=None):
        steps = [[click_first, True]] if click_first else []
        steps.append([selector, False])
        self.browser_js(url, WAIT_FOR % json.dumps(steps), login="admin", timeout=60)

    def test_account_plan_views(self):
        action = "/odoo/action-kam_management.kam_account_plan_action"
        self._assert_renders(action, ".o_list_view .o_data_row")
        self._assert_renders(f"{action}?view_type=kanban", ".o_kanban_record")
        self._assert_renders(
            f"{action}/{self.plan.id}",
            ".o_form_view .o_field_one2many",
            click_first="a[name='competitors']",
        )

    def test_health_and_configuration_views(self):
        health = "/odoo/action-kam_management.kam_health_score_action"
        self._assert_renders(f"{health}?view_type=graph", ".o_graph_view canvas")
        self._assert_renders(f"{health}?view_type=pivot", ".o_pivot table")
        self._assert_renders(
            "/odoo/action-kam_management.kam_health_factor_action", ".o_data_row"
        )
        self._assert_renders(
            "/odoo/action-kam_management.kam_key_reason_action", ".o_data_row"
        )

    def test_partner_key_account_tab(self):
        self._assert_renders(
            f"/odoo/res.partner/{self.account.id}",
            ".o_field_widget[name='kam_payment_term_id']",
            click_first="a[name='kam_key_account']",
        )
