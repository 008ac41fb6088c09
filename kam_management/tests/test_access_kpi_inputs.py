# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""KPI access: the generic measure is no oracle, users cannot inflate their
own KPI inputs, everyone measured sees his own results (docs/kpi.md,
"Trusted inputs")."""

from contextlib import contextmanager
from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .kpi_common import KpiCommon
from .test_tenders_common import TenderCommon


class GenericRuleMixin:
    @contextmanager
    def _refused(self, exception, text):
        """``assertRaises`` (rolled back to a savepoint) and the message."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(text, str(caught.exception))

    @classmethod
    def _setup_rule_author(cls):
        # a KAM Manager who also administers access rights: the one who can
        # pick a model for a generic rule
        cls.rule_author = new_test_user(
            cls.env,
            login="kpi_rule_author",
            name="KPI Rule Author",
            groups="kam_management.group_kam_manager,base.group_erp_manager",
        )

    def _generic_rule(self, model, date_field, user_field, domain="[]", **values):
        Fields = self.env["ir.model.fields"]
        return (
            self.env["kam.kpi.rule"]
            .with_user(self.rule_author)
            .create(
                {
                    "name": f"Generic {model}",
                    "measure": "generic",
                    "target": 1,
                    "period": "month",
                    "user_ids": [Command.set(self.kam_user.ids)],
                    "model_id": self.env["ir.model"]._get_id(model),
                    "domain": domain,
                    "date_field_id": Fields._get(model, date_field).id,
                    "user_field_id": Fields._get(model, user_field).id,
                    **values,
                }
            )
            .with_env(self.env)
        )


@tagged("post_install", "-at_install")
class TestGenericMeasure(GenericRuleMixin, KpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_rule_author()

    def _lead(self, day, revenue, **values):
        return self.env["crm.lead"].create(
            {
                "name": "Deal",
                "type": "opportunity",
                "user_id": self.kam_user.id,
                "date_deadline": day,
                "expected_revenue": revenue,
                **values,
            }
        )

    def test_birthday_oracle_refused_at_save(self):
        """A rule on contacts filtering on the birthday, or a rule on orders
        reaching it through a dotted path or an ``any`` sub-domain, is
        refused when saved."""
        generic = [("measure", "=", "generic")]
        before = self.env["kam.kpi.rule"].search_count(generic)
        with self._refused(ValidationError, "cannot be measured"):
            self._generic_rule(
                "res.partner",
                "create_date",
                "user_id",
                domain="[('kam_birthdate', '>=', '1980-01-01')]",
            )
        for domain in (
            "[('partner_id.kam_birthdate', '>=', '1980-01-01')]",
            "[('partner_id', 'any', [('kam_birthdate', '>=', '1980-01-01')])]",
        ):
            with self._refused(ValidationError, "kam_birthdate"):
                self._generic_rule("sale.order", "date_order", "user_id", domain=domain)
        self.assertEqual(self.env["kam.kpi.rule"].search_count(generic), before)

    def test_model_outside_whitelist_refused(self):
        for model, date_field, user_field in (
            ("res.partner", "create_date", "user_id"),
            ("res.users", "create_date", "create_uid"),
        ):
            with self._refused(ValidationError, "cannot be measured"):
                self._generic_rule(model, date_field, user_field)
        # an invalid domain is refused too, with its reason
        with self._refused(ValidationError, "domain is not valid"):
            self._generic_rule(
                "crm.lead", "date_deadline", "user_id", domain="[('no_such', '=', 1)]"
            )

    def test_restricted_rule_refused_at_evaluation(self):
        """A rule made an oracle by other means than the form (SQL) does not
        run: the evaluation checks it again."""
        rule = self._generic_rule("sale.order", "date_order", "user_id")
        self.env.cr.execute(
            "UPDATE kam_kpi_rule SET domain = %s WHERE id = %s",
            ("[('partner_id.kam_birthdate', '>=', '1980-01-01')]", rule.id),
        )
        rule.invalidate_recordset(["domain"])
        with self._refused(UserError, "kam_birthdate"):
            rule._measure_values(self.kam_user, *self.march)
        self.env.cr.execute(
            "UPDATE kam_kpi_rule SET domain = '[]', model_id = %s WHERE id = %s",
            (self.env["ir.model"]._get_id("res.partner"), rule.id),
        )
        rule.invalidate_recordset(["domain", "model_id"])
        with self._refused(UserError, "cannot be measured"):
            rule._measure_values(self.kam_user, *self.march)
        # the hourly evaluation skips it and goes on with the other rules
        calls = self._rule("calls", 1, self.kam_user)
        self.env["kam.kpi.rule"]._cron_evaluate()
        self.assertTrue(calls.result_ids)
        self.assertFalse(rule.result_ids)

    def test_measure_runs_as_author_in_rule_company(self):
        """Only the records the author can read, of the rule's company."""
        company_b = self.env["res.company"].create({"name": "KPI Company B"})
        self.rule_author.company_ids = [Command.link(company_b.id)]
        self.kam_user.company_ids = [Command.link(company_b.id)]
        rule = self._generic_rule(
            "crm.lead",
            "date_deadline",
            "user_id",
            aggregate="sum",
            sum_field_id=self.env["ir.model.fields"]
            ._get("crm.lead", "expected_revenue")
            .id,
        )
        self._lead(date(2026, 3, 5), 10.0)
        self._lead(date(2026, 3, 6), 500.0, company_id=company_b.id)
        self._lead(date(2026, 3, 7), 7000.0, company_id=False)
        self.assertEqual(
            rule._measure_values(self.kam_user, *self.march),
            {self.kam_user.id: 10.0},
        )
        # a KAM Manager who cannot read ir.model evaluates it all the same
        self.assertEqual(
            rule.with_user(self.kam_manager)._measure_values(
                self.kam_user, *self.march
            ),
            {self.kam_user.id: 10.0},
        )
        # an author who can read only his own leads measures none of others'
        rule.sudo().generic_author_id = self.sales_user
        self.assertEqual(rule._measure_values(self.kam_user, *self.march), {})
        # an author who left the company: the rule does not run
        rule.sudo().generic_author_id = self.rule_author
        self.rule_author.write(
            {
                "company_id": company_b.id,
                "company_ids": [Command.unlink(self.env.company.id)],
            }
        )
        with self._refused(UserError, "no longer an active user"):
            rule._measure_values(self.kam_user, *self.march)

    def test_author_follows_who_sets_the_measure(self):
        rule = self._generic_rule("crm.lead", "date_deadline", "user_id")
        admin = new_test_user(
            self.env,
            login="kpi_rule_admin_2",
            groups="kam_management.group_kam_manager,base.group_erp_manager",
        )
        rule.with_user(admin).target = 5
        self.assertEqual(rule.generic_author_id, self.rule_author)
        rule.with_user(admin).domain = "[('type', '=', 'opportunity')]"
        self.assertEqual(rule.generic_author_id, admin)
        # nobody names another author
        rule.with_user(admin).write({"generic_author_id": self.rule_author.id})
        self.assertEqual(rule.generic_author_id, admin)


@tagged("post_install", "-at_install")
class TestDoneActivitiesOnly(KpiCommon):
    def test_message_with_activity_type_is_not_a_call(self):
        """``message_post`` accepts any message field: a message carrying
        the Call type and the Activities subtype is not a done call; an
        activity marked done is."""
        rule = self._rule("calls", 30, self.kam_user, period="day")
        customer = self.customer.with_user(self.kam_user)
        for __ in range(3):
            customer.message_post(
                body="Call",
                message_type="notification",
                subtype_xmlid="mail.mt_activities",
                mail_activity_type_id=self.call_type.id,
            )
        # the flag itself cannot be posted
        with self.assertRaises(ValueError):
            customer.message_post(body="Call", kam_activity_done=True)
        forged = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("mail_activity_type_id", "=", self.call_type.id),
            ]
        )
        self.assertEqual(len(forged), 3)
        today = fields.Date.context_today(self.customer.with_user(self.kam_user))
        window = (today - timedelta(days=1), today + timedelta(days=1))
        self.assertEqual(rule._measure_values(self.kam_user, *window), {})
        self.assertFalse(any(forged.mapped("kam_activity_done")))
        forged.sudo().write({"kam_activity_done": True})
        self.assertFalse(any(forged.mapped("kam_activity_done")))
        self.assertEqual(rule._measure_values(self.kam_user, *window), {})
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.kam_user.id
        )
        activity.with_user(self.kam_user).action_feedback(feedback="Reached")
        self.assertEqual(
            rule._measure_values(self.kam_user, *window), {self.kam_user.id: 1.0}
        )


@tagged("post_install", "-at_install")
class TestOwnInputs(KpiCommon):
    def _report(self):
        return self.env["kam.monthly.report"].create(
            {
                "user_id": self.kam_user.id,
                "manager_id": self.kam_manager.id,
                "date_from": date(2026, 2, 1),
                "date_to": date(2026, 2, 28),
            }
        )

    def test_author_cannot_move_due_date(self):
        report = self._report()
        self.assertEqual(report.due_date, date(2026, 3, 3))
        with self.assertRaises(AccessError):
            report.with_user(self.kam_user).write({"due_date": date(2026, 3, 20)})
        # a KAM Manager cannot move his own either
        own = self.env["kam.monthly.report"].create(
            {
                "user_id": self.kam_manager.id,
                "date_from": date(2026, 2, 1),
                "date_to": date(2026, 2, 28),
            }
        )
        with self.assertRaises(AccessError):
            own.with_user(self.kam_manager).write({"due_date": date(2026, 3, 20)})
        self.assertEqual(report.due_date, date(2026, 3, 3))
        report.write({"submitted_date": date(2026, 3, 10), "state": "submitted"})
        self.assertTrue(report.is_late)
        report.with_user(self.kam_manager).write({"due_date": date(2026, 3, 12)})
        self.assertEqual(report.due_date, date(2026, 3, 12))
        self.assertFalse(report.is_late)

    def test_no_past_absence_for_oneself(self):
        today = fields.Date.context_today(self.kam_user)
        me = self.kam_user.with_user(self.kam_user)
        for vals in (
            {"kam_absent_from": today - timedelta(days=3)},
            {
                "kam_absent_from": today - timedelta(days=3),
                "kam_absent_until": today + timedelta(days=3),
            },
        ):
            with self.assertRaises(AccessError):
                me.write(vals)
        self.assertFalse(self.kam_user.kam_absent_from)
        # a future absence (or one from today) is declared freely
        me.write(
            {
                "kam_absent_from": today,
                "kam_absent_until": today + timedelta(days=5),
            }
        )
        self.assertEqual(self.kam_user.kam_absent_from, today)
        # once it runs, it cannot be extended backwards
        self.kam_user.sudo().kam_absent_from = today - timedelta(days=2)
        with self.assertRaises(AccessError):
            me.write({"kam_absent_from": today - timedelta(days=4)})
        # but it can be shortened
        me.write({"kam_absent_until": today})
        # a KAM Manager records a past absence of another user, not his own
        wizard = self.env["kam.absence.wizard"].with_user(self.kam_manager)
        wizard.create(
            {
                "user_id": self.kam_user.id,
                "date_from": today - timedelta(days=10),
                "date_until": today - timedelta(days=8),
            }
        ).action_apply()
        self.assertEqual(self.kam_user.kam_absent_from, today - timedelta(days=10))
        with self.assertRaises(AccessError):
            wizard.create(
                {"user_id": self.kam_manager.id, "date_from": today - timedelta(days=3)}
            ).action_apply()
        self.assertFalse(self.kam_manager.kam_absent_from)


@tagged("post_install", "-at_install")
class TestOwnInputsJsonRpc(GenericRuleMixin, KpiCommon, HttpCase):
    def test_author_cannot_move_due_date_rpc(self):
        report = self.env["kam.monthly.report"].create(
            {
                "user_id": self.kam_user.id,
                "date_from": date(2026, 2, 1),
                "date_to": date(2026, 2, 28),
            }
        )
        self.authenticate(self.kam_user.login, self.kam_user.login)

        def rpc(method, args, kwargs=None):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/kam.monthly.report/{method}",
                {
                    "model": "kam.monthly.report",
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            )

        with self._refused(JsonRpcException, "AccessError"):
            rpc("write", [report.ids, {"due_date": "2026-03-25"}])
        with self._refused(JsonRpcException, "AccessError"):
            rpc(
                "web_save",
                [report.ids, {"due_date": "2026-03-25"}],
                {"specification": {}},
            )
        report.invalidate_recordset()
        self.assertEqual(report.due_date, date(2026, 3, 3))


@tagged("post_install", "-at_install")
class TestTenderOutcome(TenderCommon):
    def _won_count(self, user):
        rule = self.env["kam.kpi.rule"].create(
            {
                "name": "Tenders won",
                "measure": "tenders_won",
                "target": 1,
                "period": "month",
                "user_ids": [Command.set(user.ids)],
            }
        )
        return rule._measure_values(user, self.today, self.today).get(user.id, 0)

    def test_outcome_recorded_and_confirmed(self):
        self.company.kam_tender_outcome_confirmation = True
        tender = self._tender(
            user_id=self.kam_user.id,
            bid_amount=1000.0,
            date_submission=self.today - timedelta(days=1),
        ).with_context(tracking_disable=False, mail_notrack=False)
        as_kam = tender.with_user(self.kam_user)
        as_kam.write({"stage_id": self.stage_won.id})
        self.assertEqual(tender.outcome, "won")
        self.assertEqual(tender.outcome_user_id, self.kam_user)
        self.assertTrue(tender.outcome_date)
        self.assertFalse(tender.outcome_confirmed)
        self.assertEqual(self._won_count(self.kam_user), 0)
        # the KAM neither confirms nor writes the record of the outcome
        with self.assertRaises(AccessError):
            as_kam.action_confirm_outcome()
        with self.assertRaises(AccessError):
            as_kam.write({"outcome_confirmed": True})
        tender.with_user(self.kam_manager).action_confirm_outcome()
        self.assertTrue(tender.outcome_confirmed)
        self.assertEqual(tender.outcome_confirmed_by_id, self.kam_manager)
        self.assertEqual(tender.outcome_user_id, self.kam_user)
        self.assertEqual(self._won_count(self.kam_user), 1)
        # raising the awarded amount afterwards needs a new confirmation
        as_kam.write({"awarded_amount": 5000.0})
        self.assertFalse(tender.outcome_confirmed)
        self.assertEqual(self._won_count(self.kam_user), 0)
        # who set and who confirmed are tracked in the chatter
        for fname in (
            "outcome_user_id",
            "outcome_date",
            "outcome_confirmed",
            "outcome_confirmed_by_id",
        ):
            self.assertTrue(tender._fields[fname].tracking)

    def test_outcome_without_confirmation(self):
        self.company.kam_tender_outcome_confirmation = False
        tender = self._tender(
            user_id=self.kam_user.id,
            bid_amount=1000.0,
            date_submission=self.today - timedelta(days=1),
        )
        tender.with_user(self.kam_user).write({"stage_id": self.stage_won.id})
        self.assertEqual(tender.outcome_user_id, self.kam_user)
        self.assertTrue(tender.outcome_confirmed)
        self.assertEqual(self._won_count(self.kam_user), 1)
        tender.with_user(self.kam_user).write({"stage_id": self.stage_submitted.id})
        self.assertFalse(tender.outcome_user_id)
        self.assertFalse(tender.outcome_confirmed)


@tagged("post_install", "-at_install")
class TestOwnResults(KpiCommon):
    def test_salesperson_sees_own_results(self):
        users = self.sales_user | self.kam_user
        rule = self._rule("calls", 30, users, period="month")
        rule._evaluate(today=date(2026, 3, 15))
        own = rule.result_ids.filtered(lambda r: r.user_id == self.sales_user)
        other = rule.result_ids - own
        self.assertTrue(own and other)
        Result = self.env["kam.kpi.result"].with_user(self.sales_user)
        self.assertEqual(Result.search([]), own)
        rows = own.with_user(self.sales_user).read(
            ["rule_id", "value", "target", "status", "measure", "direction"]
        )
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0]["rule_id"][0], rule.id)
        with self.assertRaises(AccessError):
            other.with_user(self.sales_user).read(["value"])
        with self.assertRaises(AccessError):
            own.with_user(self.sales_user).write({"value": 99})
        self.assertFalse(
            Result.read_group([("user_id", "=", self.kam_user.id)], ["value:sum"], [])[
                0
            ]["value"]
        )
        menu = self.env.ref("kam_management.kam_menu_sale_my_kpi")
        visible = self.env["ir.ui.menu"].with_user(self.sales_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(menu.parent_id.id, visible)
