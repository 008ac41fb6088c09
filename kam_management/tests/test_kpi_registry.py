# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import importlib.util
import inspect
from pathlib import Path

from odoo import Command
from odoo.tests import TransactionCase, tagged

from ..models import kam_kpi_rule
from .common import KamCommon


@tagged("post_install", "-at_install")
class TestKpiRegistry(TransactionCase):
    """Measures are registered by their pillar; the engine holds none of the
    pillars' tables."""

    def test_every_measure_is_registered(self):
        Rule = self.env["kam.kpi.rule"]
        registry = Rule._kam_measures()
        codes = [code for code, __ in Rule._fields["measure"].selection]
        self.assertEqual(set(codes), set(registry))
        for code in codes:
            entry = registry[code]
            self.assertTrue(entry["label"], code)
            self.assertTrue(entry["definition"], code)
            self.assertIn(entry["direction"], ("at_least", "at_most"), code)
            self.assertTrue(callable(getattr(Rule, entry["method"], None)), code)
        self.assertEqual(registry["claims_overdue"]["direction"], "at_most")
        self.assertEqual(registry["claims_received"]["direction"], "at_most")
        self.assertEqual(registry["tenders_won"]["method"], "_measure_tenders_won")

    def test_snapshots_accept_every_measure(self):
        """Results and attestation lines store every registered code."""
        codes = {c for c, __ in self.env["kam.kpi.rule"]._fields["measure"].selection}
        for model in ("kam.kpi.result", "kam.attestation.line"):
            field = self.env[model]._fields["measure"]
            self.assertEqual({c for c, __ in field.selection}, codes, model)

    def test_engine_has_no_pillar_tables(self):
        source = inspect.getsource(kam_kpi_rule)
        for text in ("kam_tender", "kam_claim", "TENDER_", "_measure_claims"):
            self.assertNotIn(text, source)


@tagged("post_install", "-at_install")
class TestKpiAppliesTo(KamCommon):
    """Issue #18: a salespeople quota does not measure the KAMs unless the
    rule says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["kam.kpi.rule"].create(
            {
                "name": "Calls of the sales floor",
                "measure": "calls",
                "target": 30,
                "period": "day",
                "applies_to": "non_kam",
                "group_ids": [
                    Command.link(cls.env.ref("sales_team.group_sale_salesman").id)
                ],
            }
        )

    def test_non_kam_quota(self):
        users = self.rule._applicable_users()[self.rule]
        self.assertIn(self.sales_user, users)
        self.assertNotIn(self.kam_user, users)
        self.assertNotIn(self.kam_manager, users)

    def test_kam_and_everyone(self):
        self.rule.applies_to = "kam"
        users = self.rule._applicable_users()[self.rule]
        self.assertIn(self.kam_user, users)
        self.assertNotIn(self.sales_user, users)
        self.rule.applies_to = "all"
        users = self.rule._applicable_users()[self.rule]
        self.assertIn(self.kam_user, users)
        self.assertIn(self.sales_user, users)

    def test_default_and_shipped_rules(self):
        rule = self.env["kam.kpi.rule"].create(
            {
                "name": "Any",
                "measure": "revenue",
                "target": 1,
                "period": "month",
                "user_ids": [Command.link(self.kam_user.id)],
            }
        )
        self.assertEqual(rule.applies_to, "all")
        shipped = self.env["kam.kpi.rule"].browse()
        for xmlid in (
            "kam_kpi_rule_calls",
            "kam_kpi_rule_offers_email",
            "kam_kpi_rule_offers_phone",
        ):
            shipped |= self.env.ref(f"kam_management.{xmlid}")
        revenue = self.env.ref("kam_management.kam_kpi_rule_new_clients")
        # a database of the previous release: the column got its default
        (shipped | revenue).write({"applies_to": "all"})
        self.env.flush_all()
        path = (
            Path(__file__).parents[1] / "migrations/18.0.1.2.0/post-kpi_applies_to.py"
        )
        spec = importlib.util.spec_from_file_location("post_kpi_applies_to", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, False)  # fresh install: nothing to do
        shipped.invalidate_recordset(["applies_to"])
        self.assertEqual(set(shipped.mapped("applies_to")), {"all"})
        migration.migrate(self.env.cr, "18.0.1.1.0")
        (shipped | revenue).invalidate_recordset(["applies_to"])
        self.assertEqual(set(shipped.mapped("applies_to")), {"non_kam"})
        self.assertEqual(revenue.applies_to, "all")

    def test_count_shown(self):
        users = self.rule._applicable_users()[self.rule]
        self.assertEqual(self.rule.applicable_user_count, len(users))
        self.assertTrue(
            self.rule.applicable_user_summary.startswith(
                f"Measures {len(users)} users: "
            )
        )
        self.rule.write(
            {
                "group_ids": [Command.clear()],
                "user_ids": [Command.set((self.sales_user | self.kam_user).ids)],
            }
        )
        self.assertEqual(self.rule.applicable_user_count, 1)
        self.assertEqual(
            self.rule.applicable_user_summary,
            f"Measures 1 users: {self.sales_user.name}",
        )
