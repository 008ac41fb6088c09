# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import inspect

from odoo.tests import TransactionCase, tagged

from ..models import kam_kpi_rule


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
