# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""History is kept (KPI results, attestation snapshots, confirmed commission
lines) and bad input is refused, through the ORM, JSON-RPC and the import."""

import json
from datetime import date
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.kam_management.models.kam_kpi_rule import KamKpiRule

from .common import KamCommon
from .kpi_common import KpiCommon

APRIL = (date(2026, 4, 1), date(2026, 4, 30))
RULE_LOGGER = "odoo.addons.kam_management.models.kam_kpi_rule"


@tagged("post_install", "-at_install")
class TestKpiHistory(KpiCommon):
    def _evaluate_march(self, rules):
        rules._evaluate_period(*self.march, today=date(2026, 4, 15))

    def _generic_rule(self, domain="[]", **values):
        fields_ = self.env["ir.model.fields"]
        return self._rule(
            "generic",
            1,
            self.kam_user,
            model_id=self.env["ir.model"]._get("sale.order").id,
            date_field_id=fields_._get("sale.order", "date_order").id,
            user_field_id=fields_._get("sale.order", "user_id").id,
            domain=domain,
            **values,
        )

    def test_rule_with_results_is_archived_not_deleted(self):
        rule = self._rule("calls", 3, self.kam_user)
        self._evaluate_march(rule)
        results = rule.result_ids
        self.assertTrue(results)
        with self.assertRaisesText(UserError, "archive them instead"):
            rule.unlink()
        self.assertTrue(rule.exists())
        self.assertEqual(rule.result_ids, results)
        # archiving keeps the history
        rule.active = False
        self.assertEqual(results.exists(), results)
        # a rule without results is deleted
        empty = self._rule("calls", 3, self.kam_user)
        empty.unlink()
        self.assertFalse(empty.exists())

    def test_results_are_not_deleted_with_their_rule_in_the_database(self):
        rule = self._rule("calls", 3, self.kam_user)
        self._evaluate_march(rule)
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute("DELETE FROM kam_kpi_rule WHERE id = %s", [rule.id])
        # uninstalling the module of a generic field empties the field, the
        # rule and its results stay
        self.env.cr.execute(
            """
            SELECT conname, confdeltype FROM pg_constraint
             WHERE conrelid = 'kam_kpi_rule'::regclass AND contype = 'f'
               AND conname IN ('kam_kpi_rule_model_id_fkey',
                               'kam_kpi_rule_date_field_id_fkey',
                               'kam_kpi_rule_user_field_id_fkey',
                               'kam_kpi_rule_sum_field_id_fkey')
            """
        )
        self.assertEqual(
            dict(self.env.cr.fetchall()),
            dict.fromkeys(
                (
                    "kam_kpi_rule_model_id_fkey",
                    "kam_kpi_rule_date_field_id_fkey",
                    "kam_kpi_rule_user_field_id_fkey",
                    "kam_kpi_rule_sum_field_id_fkey",
                ),
                "n",
            ),
        )

    def test_results_keep_the_rule_of_their_evaluation(self):
        rule = self._rule("calls", 3, self.kam_user, name="Calls a month")
        self._evaluate_march(rule)
        result = rule.result_ids
        rule.write(
            {
                "name": "Offers a month",
                "measure": "offers_email",
                "target": 10,
                "direction": "at_most",
            }
        )
        self.assertRecordValues(
            result,
            [
                {
                    "rule_name": "Calls a month",
                    "measure": "calls",
                    "measure_label": "Calls done",
                    "direction": "at_least",
                    "target": 3.0,
                    "display_name": "Calls a month",
                }
            ],
        )
        # a new evaluation writes the rule of that evaluation
        self._evaluate_march(rule)
        self.assertRecordValues(
            result,
            [{"rule_name": "Offers a month", "measure": "offers_email", "target": 10}],
        )

    def test_attestation_snapshot_is_a_copy(self):
        rule = self._rule("calls", 4, self.kam_user, name="Calls a month")
        self._done(self.kam_user, self.call_type, "2026-03-10 09:00:00")
        self._evaluate_march(rule)
        attestation = self.env["kam.attestation"].create(
            {
                "user_id": self.kam_user.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 6, 30),
            }
        )
        attestation.action_snapshot()
        self.assertRecordValues(
            attestation.line_ids,
            [
                {
                    "rule_name": "Calls a month",
                    "value": 1.0,
                    "target": 4.0,
                    "status": "missed",
                    "date_from": date(2026, 3, 1),
                }
            ],
        )
        # the rule and its result change later: the snapshot does not
        rule.write({"name": "Calls renamed", "target": 1})
        self._done(self.kam_user, self.call_type, "2026-03-11 09:00:00")
        self._evaluate_march(rule)
        self.assertEqual(rule.result_ids.value, 2.0)
        self.assertEqual(rule.result_ids.status, "met")
        attestation.invalidate_recordset()
        self.assertRecordValues(
            attestation.line_ids,
            [
                {
                    "rule_name": "Calls a month",
                    "value": 1.0,
                    "target": 4.0,
                    "status": "missed",
                }
            ],
        )
        self.assertEqual(attestation.result_missed_count, 1)
        # a done attestation keeps what was reviewed
        attestation.write({"rating": "3"})
        attestation.action_done()
        with self.assertRaisesText(UserError, "not taken again"):
            attestation.action_snapshot()

    def test_generic_domain_checked_against_its_model_when_saved(self):
        for domain, error in (
            ("[('no_such_field', '=', 1)]", "Invalid field"),
            ("[('state', '=',", "not valid"),
            # parses, but PostgreSQL refuses it: found by a trial query
            ("[('date_order', '>', 'not a date')]", "not valid"),
        ):
            with (
                self.subTest(domain=domain),
                self.assertRaisesText(ValidationError, error) as catcher,
            ):
                self._generic_rule(domain, name="Bad generic")
            self.assertIn("KPI rule Bad generic", str(catcher.exception))
        rule = self._generic_rule("[('state', '=', 'sale')]", name="Good generic")
        with self.assertRaisesText(ValidationError, "KPI rule Good generic"):
            rule.domain = "[('date_order', '>', 'not a date')]"
        self.assertEqual(rule.domain, "[('state', '=', 'sale')]")

    def test_cron_one_failing_rule_does_not_stop_the_others(self):
        calls = self._rule("calls", 3, self.kam_user, name="Calls ok")
        revenue = self._rule("revenue", 3, self.kam_user, name="Revenue failing")

        def failing(rule, *args, **kwargs):
            raise ValueError("revenue measure broken")

        with (
            patch.object(KamKpiRule, "_measure_revenue", failing),
            self.assertLogs(RULE_LOGGER, "WARNING") as logs,
        ):
            self.env["kam.kpi.rule"]._cron_evaluate()
        self.assertTrue(calls.result_ids)
        self.assertFalse(calls.last_error)
        self.assertFalse(revenue.result_ids)
        self.assertIn("revenue measure broken", revenue.last_error)
        self.assertIn("Revenue failing", "\n".join(logs.output))
        # the next successful run clears the error
        self.env["kam.kpi.rule"]._cron_evaluate()
        self.assertFalse(revenue.last_error)
        self.assertTrue(revenue.result_ids)

    def test_cron_skips_a_generic_rule_broken_after_saving(self):
        calls = self._rule("calls", 3, self.kam_user)
        generic = self._generic_rule(name="Broken later")
        # written around the form's check (e.g. by a data file or in SQL)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE kam_kpi_rule SET domain = %s WHERE id = %s",
            ["[('date_order', '>', 'not a date')]", generic.id],
        )
        generic.invalidate_recordset()
        with self.assertLogs(RULE_LOGGER, "WARNING"):
            self.env["kam.kpi.rule"]._cron_evaluate()
        self.assertTrue(calls.result_ids)
        self.assertFalse(generic.result_ids)
        self.assertIn("the domain is not valid", generic.last_error)


@tagged("post_install", "-at_install")
class TestCommissionHistory(KpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["kam.commission.plan"].create(
            {
                "name": "Margin 12 %",
                "basis": "margin",
                "tier_ids": [Command.create({"from_amount": 0, "rate": 12})],
                "user_ids": [Command.set(cls.kam_user.ids)],
            }
        )

    def _lines(self):
        return self.env["kam.commission.line"].search(
            [("plan_id", "=", self.plan.id)], order="id"
        )

    def _confirmed_march_line(self, quantity=10):
        # 10 x 100, margin 40 a unit: base 400 at 12 % = 48
        move = self._invoice(
            self.kam_user, self.customer, date(2026, 3, 5), quantity=quantity
        )
        self.plan._compute_lines(*self.march)
        line = self._lines()
        line.sudo().action_confirm()
        self.assertRecordValues(line, [{"state": "confirmed", "amount": 48.0}])
        return move, line

    def test_confirmed_line_survives_its_invoice_line(self):
        move, line = self._confirmed_march_line()
        number = move.name
        # a draft line of another invoice follows its invoice
        other = self._invoice(self.kam_user, self.customer_b, date(2026, 3, 6))
        self.plan._compute_lines(*self.march)
        draft = self._lines() - line
        self.assertEqual(draft.state, "draft")
        move.button_draft()
        move.write({"invoice_line_ids": [Command.delete(move.invoice_line_ids.id)]})
        other.button_draft()
        other.unlink()
        self.env.flush_all()
        self.assertTrue(line.exists())
        self.assertRecordValues(
            line,
            [
                {
                    "state": "confirmed",
                    "move_line_id": False,
                    "move_name": number,
                    "invoice_date": date(2026, 3, 5),
                    "base_amount": 400.0,
                    "amount": 48.0,
                }
            ],
        )
        # the next statement corrects it by a new line; computing again does
        # not correct twice, the draft line of the deleted invoice is gone
        for _run in range(2):
            self.plan._compute_lines(*APRIL)
        correction = self._lines() - line
        self.assertFalse(draft.exists())
        self.assertRecordValues(
            correction,
            [
                {
                    "state": "draft",
                    "corrected_line_id": line.id,
                    "move_name": number,
                    "date_from": APRIL[0],
                    "base_amount": -400.0,
                    "rate": 12.0,
                    "amount": -48.0,
                }
            ],
        )
        self.assertIn("Correction of", correction.display_name)
        # once the correction is confirmed, nothing is left to correct
        correction.sudo().action_confirm()
        self.plan._compute_lines(date(2026, 5, 1), date(2026, 5, 31))
        self.assertEqual(self._lines(), line | correction)

    def test_changed_invoice_corrected_by_the_difference(self):
        move, line = self._confirmed_march_line()
        move.button_draft()
        move.write(
            {
                "invoice_line_ids": [
                    Command.update(move.invoice_line_ids.id, {"quantity": 12})
                ]
            }
        )
        move.action_post()
        self.plan._compute_lines(*self.march)
        correction = self._lines() - line
        self.assertRecordValues(
            line, [{"state": "confirmed", "base_amount": 400.0, "amount": 48.0}]
        )
        # margin 480 now: 80 more at 12 %
        self.assertRecordValues(
            correction,
            [{"corrected_line_id": line.id, "base_amount": 80.0, "amount": 9.6}],
        )

    def test_basis_change_corrects_nothing(self):
        __, line = self._confirmed_march_line()
        self.assertEqual(line.basis, "margin")
        self.plan.basis = "untaxed"
        self.plan._compute_lines(*APRIL)
        self.assertEqual(self._lines(), line)

    def test_invoice_deleted_line_kept(self):
        move, line = self._confirmed_march_line()
        move.button_draft()
        move.unlink()
        self.env.flush_all()
        self.assertRecordValues(
            line, [{"state": "confirmed", "move_id": False, "move_line_id": False}]
        )
        self.assertTrue(line.move_name)


@tagged("post_install", "-at_install")
class TestBounds(KamCommon):
    assertRaisesText = KpiCommon.assertRaisesText

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["res.partner"].create(
            {"name": "Bounds Account", "is_company": True}
        )
        cls.plan = cls.env["kam.account.plan"].create(
            {"partner_id": cls.account.id, "year": 2026}
        )

    def _refused_by_database(self):
        return mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError)

    def test_account_plan_bounds(self):
        Objective = self.env["kam.account.objective"]
        guard, raises = self._refused_by_database()
        with guard, raises:
            Objective.create(
                {"name": "Negative", "plan_id": self.plan.id, "target": -1}
            )
        objective = Objective.create(
            {"name": "Revenue 2026", "plan_id": self.plan.id, "target": 10}
        )
        with self.assertRaisesText(ValidationError, "Revenue 2026"):
            objective.target = -5
        self.assertEqual(objective.target, 10)
        self.assertEqual(Objective.search_count([("plan_id", "=", self.plan.id)]), 1)
        with self.assertRaisesText(ValidationError, "estimated wallet cannot be"):
            self.plan.wallet_amount = -100
        # the share of wallet is bounded in the database too
        competitor = self.env["kam.account.plan.competitor"].create(
            {"plan_id": self.plan.id, "name": "Rival", "share": 30}
        )
        self.env.flush_all()
        guard, raises = self._refused_by_database()
        with guard, raises, self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE kam_account_plan_competitor SET share = 150 WHERE id = %s",
                [competitor.id],
            )

    def test_kpi_target_bounds_in_the_database(self):
        self.env.flush_all()
        for table in ("kam_kpi_rule", "kam_kpi_target"):
            with self.subTest(table=table):
                self.env.cr.execute(
                    "SELECT 1 FROM pg_constraint WHERE conname = %s",
                    [f"{table}_target_positive"],
                )
                self.assertTrue(self.env.cr.fetchone())

    def test_claim_severity_response_days(self):
        Severity = self.env["kam.claim.severity"]
        for days in (0, 366, 10**7):
            guard, raises = self._refused_by_database()
            with self.subTest(days=days), guard, raises:
                Severity.create({"name": f"Bad {days}", "response_days": days})
        severity = Severity.create({"name": "Slow", "response_days": 30})
        with self.assertRaisesText(ValidationError, "Claim severity Slow"):
            severity.response_days = 10**7
        self.assertFalse(Severity.search([("name", "like", "Bad ")]))

    def test_working_days_bounded(self):
        company = self.env.company
        day = date(2026, 3, 2)
        self.assertEqual(company._kam_add_working_days(day, 5), date(2026, 3, 9))
        with self.assertRaisesText(UserError, "too far ahead"):
            company._kam_add_working_days(day, 10**5)
        company.resource_calendar_id = False
        self.assertEqual(company._kam_add_working_days(day, 5), date(2026, 3, 9))
        with self.assertRaisesText(UserError, "too far ahead"):
            company._kam_add_working_days(day, 10**7)

    def test_commission_line_bounds(self):
        Line = self.env["kam.commission.line"].sudo()
        plan = self.env["kam.commission.plan"].create({"name": "Bounds plan"})
        for values in ({"rate": 150.0}, {"multiplier": 4.0}, {"deal_amount": -1.0}):
            guard, raises = self._refused_by_database()
            with self.subTest(values=values), guard, raises:
                Line.create({"plan_id": plan.id, "user_id": self.kam_user.id, **values})
        self.assertFalse(plan.line_ids)
        # within the bounds (a correcting line has no invoice line)
        line = Line.create(
            {"plan_id": plan.id, "user_id": self.kam_user.id, "rate": 100.0}
        )
        self.assertEqual(plan.line_ids, line)

    def test_claim_reference_unique(self):
        Claim = self.env["kam.claim"]
        claim = Claim.create({"name": "Broken pallet", "partner_id": self.account.id})
        other = Claim.create({"name": "Late truck", "partner_id": self.account.id})
        self.assertNotEqual(claim.reference, other.reference)
        guard, raises = self._refused_by_database()
        with guard, raises:
            other.reference = claim.reference
            self.env.flush_all()

    def test_import_all_or_nothing(self):
        """Two rows, the second out of bounds: nothing is imported and the
        error names the row."""
        data = b"name,response_days\nImported ok,3\nImported too slow,10000000\n"
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "kam.claim.severity",
                "file": data,
                "file_name": "severities.csv",
                "file_type": "text/csv",
            }
        )
        with mute_logger("odoo.sql_db"):
            result = wizard.execute_import(
                ["name", "response_days"],
                ["name", "response_days"],
                {"has_headers": True, "separator": ",", "quoting": '"'},
            )
        self.assertFalse(result["ids"])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(errors)
        self.assertEqual(errors[0]["rows"], {"from": 1, "to": 1})
        self.assertIn("between 1 and 365", errors[0]["message"])
        self.assertFalse(
            self.env["kam.claim.severity"].search([("name", "like", "Imported")])
        )


@tagged("post_install", "-at_install")
class TestBoundsRpc(KamCommon, HttpCase):
    def _rpc_error(self, model, method, args):
        """The error data of a call through ``/web/dataset/call_kw``."""
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json().get("error", {}).get("data")

    def test_duplicate_claim_reference_through_rpc(self):
        account = self.env["res.partner"].create(
            {"name": "RPC Account", "is_company": True}
        )
        claim = self.env["kam.claim"].create(
            {"name": "Broken pallet", "partner_id": account.id}
        )
        self.authenticate(self.kam_manager.login, self.kam_manager.login)
        with mute_logger("odoo.sql_db", "odoo.http"):
            error = self._rpc_error(
                "kam.claim",
                "create",
                [
                    {
                        "name": "Copy",
                        "partner_id": account.id,
                        "reference": claim.reference,
                    }
                ],
            )
        self.assertTrue(error, "the duplicate reference was accepted")
        self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
        self.assertIn("unique in its company", error["message"])
        self.assertEqual(
            self.env["kam.claim"].search_count([("reference", "=", claim.reference)]),
            1,
        )
