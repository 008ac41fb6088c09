# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Conventions every addition to the addon keeps: menus behind a group, access
rows for every model and for every group a menu leads to it, multi-company
rules, no Enterprise dependency, every SQL constraint in the database, no name
defined twice in a class body."""

import ast
from pathlib import Path

from odoo.models import is_definition_class
from odoo.tests import TransactionCase, tagged
from odoo.tools import sql

ADDON_DIR = Path(__file__).resolve().parents[1]
ADDON_PACKAGE = "odoo.addons.kam_management."


def _addon_sources():
    """(path relative to the addon, parsed module) of every Python file of the
    addon but its tests."""
    for path in sorted(ADDON_DIR.rglob("*.py")):
        relative = path.relative_to(ADDON_DIR)
        if relative.parts[0] == "tests":
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), str(relative))


def _defined_names(statement):
    """Names a statement of a class or module body binds: assignment targets
    (tuples unpacked), annotated assignments with a value, functions and
    classes."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets = [statement.target]
    else:
        return []
    return [
        node.id
        for target in targets
        for node in ast.walk(target)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    ]


def _twice_defined(statements, keep=lambda name: True):
    """[(name, first line, line)] of the names the statements define again."""
    seen, twice = {}, []
    for statement in statements:
        for name in _defined_names(statement):
            if not keep(name):
                continue
            if name in seen:
                twice.append((name, seen[name], statement.lineno))
            else:
                seen[name] = statement.lineno
    return twice


def _class_model(node):
    """Model name of an Odoo model class definition (its _name, else its first
    _inherit), None when the class defines neither as a literal."""
    values = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign):
            for name in _defined_names(statement):
                if name in ("_name", "_inherit"):
                    try:
                        values[name] = ast.literal_eval(statement.value)
                    except ValueError:  # not a literal: not a model name
                        values[name] = None
    model = values.get("_name") or values.get("_inherit")
    if isinstance(model, list | tuple):
        model = model[0] if model else None
    return model if isinstance(model, str) else None


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

    def _assert_constraint_exists(self, model, key, definition=None):
        """The constraint ``key`` of ``model`` exists as Odoo names it
        (``<table>_<key>``, shortened with a hash past 63 characters, see
        ``BaseModel._add_sql_constraints``) with ``definition`` when given."""
        table = self.env[model]._table
        conname = sql.make_identifier(f"{table}_{key}")
        if definition == "":  # a virtual constraint, implemented by an index
            self.assertTrue(
                sql.index_exists(self.env.cr, conname), f"no index {conname}"
            )
            return
        current = sql.constraint_definition(self.env.cr, table, conname)
        self.assertIsNotNone(current, f"no constraint {conname} on {table}")
        if definition is not None:
            self.assertEqual(current, definition, f"{conname} has another definition")

    def test_sql_constraints_of_the_source_exist(self):
        """Every entry of every ``_sql_constraints`` list written in a class of
        the addon, every assignment of it counted (a second assignment in one
        class body replaces the first, whose constraints Odoo never sees),
        exists in the database."""
        entries = []
        for path, tree in _addon_sources():
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef):
                    continue
                lists = [
                    statement.value
                    for statement in node.body
                    if isinstance(statement, ast.Assign)
                    and "_sql_constraints" in _defined_names(statement)
                ]
                if not lists:
                    continue
                model = _class_model(node)
                self.assertTrue(model, f"{path}: {node.name} names no model")
                for value in lists:
                    self.assertIsInstance(value, ast.List | ast.Tuple, f"{path}")
                    for entry in value.elts:
                        key = entry.elts[0] if isinstance(entry, ast.Tuple) else None
                        self.assertTrue(
                            isinstance(key, ast.Constant)
                            and isinstance(key.value, str),
                            f"{path}:{entry.lineno}: constraint name not a string",
                        )
                        entries.append((path, entry.lineno, model, key.value))
        self.assertIn(
            ("res.company", "kam_report_due_day_range"),
            [(model, key) for _path, _line, model, key in entries],
        )
        for path, line, model, key in entries:
            with self.subTest(model=model, constraint=key, source=f"{path}:{line}"):
                self._assert_constraint_exists(model, key)

    def test_sql_constraints_of_the_models_exist(self):
        """Every ``_sql_constraints`` entry a class of the addon gives a model,
        its own models and the ones it extends (res.company, res.partner,
        res.users, sale.order...), exists in the database with its
        definition."""
        checked = set()
        for model, model_class in self.env.registry.items():
            if model_class._abstract:
                continue
            for base in model_class.__mro__:
                if not (
                    is_definition_class(base)
                    and base.__module__.startswith(ADDON_PACKAGE)
                ):
                    continue
                for key, definition, _message in vars(base).get("_sql_constraints", []):
                    checked.add((model, key))
                    with self.subTest(model=model, constraint=key):
                        self._assert_constraint_exists(model, key, definition)
        self.assertIn(("res.users", "kam_absence_order"), checked)

    def test_no_name_defined_twice(self):
        """No class body of the addon defines a name (field, attribute such as
        ``_sql_constraints``, method) twice, and no module assigns one of its
        UPPERCASE constants twice: Python keeps the last one silently."""
        for path, tree in _addon_sources():
            for name, first, line in _twice_defined(tree.body, keep=str.isupper):
                with self.subTest(source=f"{path}:{line}", name=name):
                    self.fail(f"{name} is already assigned on line {first}")
            for node in ast.walk(tree):
                if not isinstance(node, ast.ClassDef):
                    continue
                for name, first, line in _twice_defined(node.body):
                    with self.subTest(
                        source=f"{path}:{line}", name=f"{node.name}.{name}"
                    ):
                        self.fail(f"{name} is already defined on line {first}")
