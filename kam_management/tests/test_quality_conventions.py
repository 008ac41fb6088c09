# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Conventions every addition to the addon keeps: menus behind a group, access
rows for every model and for every group a menu leads to it, multi-company
rules, no Enterprise dependency."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestQualityConventions(TransactionCase):
    def _kam_models(self):
        names = (
            self.env["ir.model"].search([("model", "=like", "kam.%")]).mapped("model")
        )
        return [name for name in names if not self.env[name]._abstract]

    def _addon_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", "kam_management"), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def _menu_groups(self, menu):
        """Groups of the menu, else of its closest parent that has some."""
        while menu and not menu.groups_id:
            menu = menu.parent_id
        return menu.groups_id

    def test_every_menu_has_a_group(self):
        menus = self._addon_records("ir.ui.menu")
        self.assertIn(self.env.ref("kam_management.kam_menu_root"), menus)
        for menu in menus:
            with self.subTest(menu=menu.complete_name):
                self.assertTrue(
                    self._menu_groups(menu),
                    "a menu of the addon needs a group (on it or on a parent)",
                )

    def test_menu_groups_can_read_their_model(self):
        """A group a menu shows an action to has read access to its model."""
        Access = self.env["ir.model.access"]
        for menu in self._addon_records("ir.ui.menu"):
            action = menu.action
            if not action or action._name != "ir.actions.act_window":
                continue
            for group in self._menu_groups(menu):
                with self.subTest(menu=menu.complete_name, group=group.full_name):
                    rows = Access.search(
                        [
                            ("model_id.model", "=", action.res_model),
                            ("perm_read", "=", True),
                            "|",
                            ("group_id", "=", False),
                            ("group_id", "in", (group | group.trans_implied_ids).ids),
                        ]
                    )
                    self.assertTrue(rows, f"no read access to {action.res_model}")

    def test_every_model_has_access_rows(self):
        models = self._kam_models()
        self.assertIn("kam.classification.policy", models)
        Access = self.env["ir.model.access"]
        for model in models:
            with self.subTest(model=model):
                rows = Access.search([("model_id.model", "=", model)])
                self.assertTrue(rows, "no ir.model.access row")
                self.assertTrue(
                    rows.filtered("group_id"), "access rows without a group only"
                )

    def test_company_models_have_a_multi_company_rule(self):
        for model in self._kam_models():
            if "company_id" not in self.env[model]._fields:
                continue
            with self.subTest(model=model):
                rules = self.env["ir.rule"].search(
                    [("model_id.model", "=", model), ("global", "=", True)]
                )
                self.assertTrue(
                    any("company_ids" in (rule.domain_force or "") for rule in rules),
                    "no global rule on company_ids",
                )

    def test_no_enterprise_dependency(self):
        module = self.env["ir.module.module"].search([("name", "=", "kam_management")])
        seen = self.env["ir.module.module"]
        todo = module
        while todo:
            seen |= todo
            todo = todo.dependencies_id.depend_id - seen
        self.assertIn("sale_management", seen.mapped("name"))
        for dependency in seen:
            with self.subTest(module=dependency.name):
                self.assertNotIn(dependency.license, ("OEEL-1", "OPL-1"))
