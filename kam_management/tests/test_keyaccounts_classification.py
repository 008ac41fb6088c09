# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import KamCommon


class KeyAccountCommon(AccountTestInvoicingCommon, KamCommon):
    """A fresh company with hand-made invoices (no demo data in it).

    Base data set of ``cls.env.company``, all within the last 12 months:
    A 5000, B 3000, C 1000, D 1000 (C created before D), E 500 - 800 refund.
    Ranked: A 50 %, B 30 %, C 10 %, D 10 %; E (-300) is not ranked.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("kam_management.group_kam_manager")
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env.user)
        cls.day = cls.today - relativedelta(days=30)
        partner = cls.env["res.partner"]
        cls.cust_a = partner.create({"name": "Cust A", "is_company": True})
        cls.cust_b = partner.create({"name": "Cust B", "is_company": True})
        cls.cust_c = partner.create({"name": "Cust C", "is_company": True})
        cls.cust_d = partner.create({"name": "Cust D", "is_company": True})
        cls.cust_e = partner.create({"name": "Cust E", "is_company": True})
        cls.contact_a = partner.create(
            {"name": "Anna of A", "parent_id": cls.cust_a.id}
        )
        cls.cust_a.kam_user_id = cls.kam_user
        cls._invoice(cls.contact_a, 5000)  # invoiced to a contact: counts for A
        cls._invoice(cls.cust_b, 1000)
        cls._invoice(cls.cust_b, 2000)
        cls._invoice(cls.cust_c, 1000)
        cls._invoice(cls.cust_d, 1000)
        cls._invoice(cls.cust_e, 500)
        cls._invoice(cls.cust_e, 800, refund=True)

    @classmethod
    def _invoice(
        cls,
        partner,
        amount,
        day=None,
        refund=False,
        company=None,
        user=None,
        team=None,
        product=None,
        quantity=1,
    ):
        company = company or cls.company
        line = {"name": "Service", "quantity": quantity, "price_unit": amount}
        line["tax_ids"] = [Command.clear()]
        if product:
            line["product_id"] = product.id
        vals = {
            "move_type": "out_refund" if refund else "out_invoice",
            "partner_id": partner.id,
            "invoice_date": day or cls.day,
            "invoice_line_ids": [Command.create(line)],
        }
        if user:
            vals["invoice_user_id"] = user.id
        if team:
            vals["team_id"] = team.id
        move = cls.env["account.move"].with_company(company).create(vals)
        move.action_post()
        return move

    def _policy(self, **vals):
        return self.env["kam.classification.policy"].create(
            {"name": "Test policy", "basis": "revenue", "company_id": self.company.id}
            | vals
        )

    def _lines(self, run):
        return {line.partner_id: line for line in run.line_ids}


@tagged("post_install", "-at_install")
class TestClassificationRun(KeyAccountCommon):
    def test_ranking_shares_ties_and_refunds(self):
        run = self._policy()._run_classification(self.today)
        lines = self._lines(run)
        ranked_lines = run.line_ids.filtered("rank").sorted("rank")
        self.assertEqual(
            ranked_lines.partner_id,
            self.cust_a | self.cust_b | self.cust_c | self.cust_d,
        )
        # negative after refund: not ranked, listed as loss-making
        self.assertFalse(lines[self.cust_e].rank)
        self.assertTrue(lines[self.cust_e].is_loss_making)
        self.assertAlmostEqual(lines[self.cust_e].amount, -300.0)
        self.assertFalse(lines[self.cust_e].abc_class)
        self.assertEqual(run.loss_count, 1)
        self.assertAlmostEqual(run.loss_amount, -300.0)
        self.assertEqual(lines[self.cust_c].rank, 3, "tie: lower id first")
        self.assertEqual(lines[self.cust_d].rank, 4)
        self.assertAlmostEqual(run.total, 10000.0)
        self.assertEqual(run.customer_count, 4)
        self.assertEqual(
            [round(line.share, 6) for line in ranked_lines],
            [50, 30, 10, 10],
        )
        self.assertEqual(
            [line.abc_class for line in ranked_lines],
            ["A", "A", "B", "B"],
        )
        self.assertEqual(
            [line.dependence_level for line in ranked_lines],
            ["critical", "critical", "none", "none"],
        )
        self.assertEqual(ranked_lines.mapped("customer_percent"), [25, 50, 75, 100])
        self.assertAlmostEqual(run.top1_share, 50.0)
        self.assertAlmostEqual(run.top5_share, 100.0)
        self.assertAlmostEqual(run.hhi, 2500 + 900 + 100 + 100)
        self.assertEqual(run.top1_partner_id, self.cust_a)
        self.assertEqual(run.period_end, self.today)
        self.assertEqual(
            run.period_start, self.today - relativedelta(months=12, days=-1)
        )

    def test_partner_results_and_contacts(self):
        policy = self._policy()
        policy._run_classification(self.today)
        a = self.cust_a
        self.assertAlmostEqual(a.kam_revenue, 5000.0)
        self.assertAlmostEqual(a.kam_revenue_share, 50.0)
        self.assertEqual(a.kam_abc_class, "A")
        self.assertEqual(a.kam_dependence_level, "critical")
        self.assertEqual(a.kam_last_classified, self.today)
        self.assertTrue(a.kam_is_key_account)
        self.assertEqual(a.kam_tier, "strategic")
        self.assertFalse(self.cust_c.kam_is_key_account, "10 % is not above 10 %")
        self.assertEqual(self.cust_c.kam_tier, "regular")
        # contacts show the values of their company
        self.assertAlmostEqual(self.contact_a.kam_revenue_share, 50.0)
        self.assertEqual(self.contact_a.kam_abc_class, "A")
        self.assertTrue(self.contact_a.kam_is_key_account)
        new_contact = self.env["res.partner"].create(
            {"name": "Bob of A", "parent_id": a.id}
        )
        self.assertEqual(new_contact.kam_dependence_level, "critical")
        # the flag change is in the chatter of the account
        self.assertIn(
            "Key account: no → yes",
            "\n".join(a.message_ids.mapped("body")),
        )
        self.assertEqual(a.kam_classification_line_ids.run_id, policy.last_run_id)

    def test_history_keeps_runs(self):
        policy = self._policy()
        first = policy._run_classification(self.today - relativedelta(days=1))
        second = policy._run_classification(self.today)
        self.assertEqual(policy.run_count, 2)
        self.assertEqual(policy.last_run_id, second)
        self.assertFalse(first.is_last)
        self.assertEqual(len(self.cust_a.kam_classification_line_ids), 2)
        self.assertEqual(
            set(self.cust_a.kam_classification_line_ids.mapped("abc_class")), {"A"}
        )

    def test_period_boundaries(self):
        policy = self._policy(scope="salesperson", user_id=self.kam_user_other.id)
        start, end = policy._period(self.today)
        self.assertEqual(end, self.today)
        self.assertEqual(
            start, self.today - relativedelta(months=12) + relativedelta(days=1)
        )
        partner = self.env["res.partner"].create({"name": "Period", "is_company": True})
        user = self.kam_user_other
        self._invoice(partner, 100, day=start - relativedelta(days=1), user=user)
        self._invoice(partner, 10, day=start, user=user)
        self._invoice(partner, 1, day=end, user=user)
        self._invoice(partner, 1000, day=end + relativedelta(days=1), user=user)
        run = policy._run_classification(self.today)
        self.assertEqual(run.line_ids.partner_id, partner)
        self.assertAlmostEqual(run.line_ids.revenue, 11.0)

    def test_margin_basis(self):
        product = self.env["product.product"].create(
            {"name": "Sensor", "type": "consu", "lst_price": 100.0}
        )
        product.with_company(self.company).standard_price = 60.0
        # C: + 10 x 100 with a cost of 60 -> revenue 2000, margin 1000 + 400
        self._invoice(self.cust_c, 100, product=product, quantity=10)
        run = self._policy(basis="margin")._run_classification(self.today)
        lines = self._lines(run)
        self.assertAlmostEqual(lines[self.cust_c].revenue, 2000.0)
        self.assertAlmostEqual(lines[self.cust_c].margin, 1400.0)
        self.assertAlmostEqual(run.total, 5000 + 3000 + 1400 + 1000)
        self.assertAlmostEqual(lines[self.cust_c].share, 1400 / 10400 * 100)
        self.assertEqual(lines[self.cust_c].rank, 3)
        self.assertAlmostEqual(self.cust_c.kam_margin, 1400.0)

    def test_amounts_equal_invoicing_analysis(self):
        """_gather_amounts computes over account_move_line what the Invoicing
        analysis shows: same revenue and margin per customer, with product
        costs, another unit of measure, refunds, scopes, other companies and
        invoices outside the period."""
        team = self.env["crm.team"].create({"name": "South"})
        seller = new_test_user(
            self.env, login="kam_report_seller", groups="sales_team.group_sale_salesman"
        )
        product = self.env["product.product"].create(
            {"name": "Valve", "type": "consu", "lst_price": 10.0}
        )
        product.with_company(self.company).standard_price = 7.5
        other = self.setup_other_company(name="KAM Report Other")["company"]
        self.env.user.company_ids |= other
        product.with_company(other).standard_price = 1.0
        dozen = self.env.ref("uom.product_uom_dozen")
        move = self._invoice(self.cust_b, 100, product=product, quantity=3, team=team)
        move.button_draft()
        move.invoice_line_ids.product_uom_id = dozen  # 3 dozens = 36 units
        move.invoice_line_ids.price_unit = 100
        move.action_post()
        self._invoice(self.cust_c, 40, product=product, quantity=2, refund=True)
        self._invoice(self.cust_c, 60, product=product, quantity=5, user=seller)
        self._invoice(self.cust_d, 999, day=self.today - relativedelta(years=2))
        self._invoice(self.cust_a, 700, product=product, company=other)
        report = self.env["account.invoice.report"]
        for policy in (
            self._policy(),
            self._policy(scope="team", team_id=team.id),
            self._policy(scope="salesperson", user_id=seller.id),
            self._policy(company_id=other.id),
        ):
            date_from, date_to = policy._period(self.today)
            domain = [
                ("company_id", "=", policy.company_id.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
                ("commercial_partner_id", "!=", False),
            ]
            if policy.scope == "team":
                domain.append(("team_id", "=", team.id))
            elif policy.scope == "salesperson":
                domain.append(("invoice_user_id", "=", seller.id))
            expected = {
                partner.id: (revenue, margin)
                for partner, revenue, margin in report.with_company(policy.company_id)
                .with_context(allowed_company_ids=policy.company_id.ids)
                ._read_group(
                    domain,
                    ["commercial_partner_id"],
                    ["price_subtotal:sum", "price_margin:sum"],
                )
            }
            amounts = policy._gather_amounts(date_from, date_to)
            self.assertEqual(set(amounts), set(expected), policy.scope)
            for pid, (revenue, margin) in expected.items():
                self.assertAlmostEqual(amounts[pid][0], revenue, places=6)
                self.assertAlmostEqual(amounts[pid][1], margin, places=6)
        # hand-computed: B 3000 + 3 dozens at 100 = 3300, cost 36 x 7.5 = 270
        amounts = self._policy()._gather_amounts(*self._policy()._period(self.today))
        self.assertAlmostEqual(amounts[self.cust_b.id][0], 3300.0)
        self.assertAlmostEqual(amounts[self.cust_b.id][1], 3300.0 - 270.0)
        # C: 1000 - 2 x 40 (refund, cost back +15) + 5 x 60 (cost -37.5)
        self.assertAlmostEqual(amounts[self.cust_c.id][0], 1220.0)
        self.assertAlmostEqual(amounts[self.cust_c.id][1], 1220.0 + 15.0 - 37.5)

    def test_absolute_threshold(self):
        run = self._policy(absolute_threshold=1000.0)._run_classification(self.today)
        lines = self._lines(run)
        self.assertTrue(lines[self.cust_c].is_key, "revenue reaches 1000")
        self.assertEqual(lines[self.cust_c].dependence_level, "none")
        self.assertTrue(self.cust_d.kam_is_key_account)
        self.assertEqual(self.cust_d.kam_tier, "developing")
        run = self._policy(absolute_threshold=1000.01)._run_classification(self.today)
        self.assertFalse(self._lines(run)[self.cust_c].is_key)

    def test_pinned_account_keeps_flag_and_tier(self):
        self.cust_b.with_user(self.kam_manager).write(
            {"kam_pin": "not_key", "kam_pin_reason": "Reseller, not an end customer"}
        )
        self.cust_c.with_user(self.kam_manager).write(
            {"kam_pin": "key", "kam_pin_reason": "Strategic partner", "kam_tier": "key"}
        )
        self.assertFalse(self.cust_b.kam_is_key_account)
        self.assertTrue(self.cust_c.kam_is_key_account)
        for __ in range(2):
            self._policy()._run_classification(self.today)
            self.assertFalse(self.cust_b.kam_is_key_account)
            self.assertFalse(self.cust_b.kam_tier)
            self.assertEqual(self.cust_b.kam_dependence_level, "critical")
            self.assertTrue(self.cust_c.kam_is_key_account)
            self.assertEqual(self.cust_c.kam_tier, "key")
            self.assertEqual(self.cust_c.kam_pin, "key")

    def test_pin_propagates_to_new_contacts_of_any_user(self):
        self.cust_b.with_user(self.kam_manager).write(
            {"kam_pin": "key", "kam_pin_reason": "Framework agreement"}
        )
        contact = (
            self.env["res.partner"]
            .with_user(self.kam_user)
            .create({"name": "Berta of B", "parent_id": self.cust_b.id})
        )
        self.assertEqual(contact.kam_pin, "key")
        self.assertTrue(contact.kam_is_key_account)
        self.cust_b.with_user(self.kam_manager).write({"kam_user_id": self.kam_user.id})
        self.assertEqual(contact.kam_user_id, self.kam_user)

    def test_manual_changes_are_tracked(self):
        self.env.cr.precommit.run()  # records created in this transaction
        partner = self.cust_b.with_user(self.kam_manager).with_context(
            tracking_disable=False, mail_notrack=False
        )
        partner.write(
            {
                "kam_tier": "key",
                "kam_user_id": self.kam_user.id,
                "kam_pin": "key",
                "kam_pin_reason": "Framework agreement",
            }
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        tracked = self.cust_b.message_ids.tracking_value_ids.field_id.mapped("name")
        for fname in ("kam_is_key_account", "kam_tier", "kam_user_id", "kam_pin"):
            self.assertIn(fname, tracked)

    def test_partner_form_pin_editable_by_managers_only(self):
        for user, readonly in ((self.kam_user, "1"), (self.kam_manager, "parent_id")):
            views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
            arch = etree.fromstring(views["views"]["form"]["arch"])
            pins = arch.xpath("//field[@name='kam_pin']")
            self.assertEqual(len(pins), 1, user.name)
            self.assertEqual(pins[0].get("readonly"), readonly, user.name)
            self.assertTrue(arch.xpath("//field[@name='kam_classification_line_ids']"))

    def test_pin_needs_manager_and_reason(self):
        with self.assertRaises(AccessError):
            self.cust_b.with_user(self.kam_user).write(
                {"kam_pin": "key", "kam_pin_reason": "Mine"}
            )
        with self.assertRaises(ValidationError):
            self.cust_b.with_user(self.kam_manager).write({"kam_pin": "key"})
        self.assertFalse(self.cust_b.kam_pin)

    def test_alerts_created_once(self):
        policy = self._policy(alert_user_id=self.kam_manager.id)
        policy._run_classification(self.today - relativedelta(days=2))
        self.assertEqual(
            self.env["mail.activity"]
            .search([("res_model", "=", "res.partner"), ("res_id", "in", self._ids())])
            .mapped("res_id"),
            self.cust_e.ids,
            "the first run is the baseline of classes; E is loss-making",
        )
        # A + 20000: A 25000 (83.3 %, mono), B 3000 (10 %, B, none),
        # C 1000 (B, none), D 1000 (before 96.7 % -> C)
        self._invoice(self.cust_a, 20000)
        run = policy._run_classification(self.today - relativedelta(days=1))
        alerts = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", self._ids()),
                ("res_id", "!=", self.cust_e.id),
            ]
        )
        self.assertEqual(
            alerts.mapped("res_id"),
            sorted((self.cust_a | self.cust_b | self.cust_d).ids),
        )
        by_partner = {alert.res_id: alert for alert in alerts}
        self.assertEqual(by_partner[self.cust_a.id].user_id, self.kam_user)
        self.assertEqual(by_partner[self.cust_b.id].user_id, self.kam_manager)
        # the alerts reveal the dependence: their text is on the run (KAM
        # users only), the activity on the account names the run only
        self.assertIn(run.name, by_partner[self.cust_a.id].note)
        self.assertNotIn("Mono-client", by_partner[self.cust_a.id].note)
        logged = "\n".join(run.message_ids.mapped("body"))
        self.assertIn("mono-client threshold", logged)
        self.assertIn("Cust A: ", logged)
        self.assertIn("from Critical to Mono-client", logged)
        self.assertIn("from B to C", logged)
        self.assertNotIn(
            "from B to C", "\n".join(self.cust_d.message_ids.mapped("body"))
        )
        self.assertFalse(self.cust_b.kam_is_key_account)
        # the same data again (next day): nothing changed, no new alert
        policy._run_classification(self.today)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", self._ids())]
            ),
            4,
        )
        self.assertEqual(
            alerts.activity_type_id,
            self.env.ref("kam_management.mail_activity_type_kam_alert"),
        )

    def _ids(self):
        return (self.cust_a | self.cust_b | self.cust_c | self.cust_d | self.cust_e).ids

    def test_kam_user_reads_results_but_cannot_run(self):
        policy = self._policy()
        run = policy._run_classification(self.today)
        self.assertEqual(
            run.with_user(self.kam_user).line_ids.partner_id.ids,
            run.line_ids.partner_id.ids,
        )
        with self.assertRaises(AccessError):
            policy.with_user(self.kam_user).action_run()
        with self.assertRaises(AccessError):
            run.with_user(self.kam_user).write({"total": 1})
        with self.assertRaises(AccessError):
            run.line_ids[:1].with_user(self.kam_user).unlink()
        with self.assertRaises(AccessError):
            self.env["kam.classification.run"].with_user(self.sales_user).search([])

    def test_cron_runs_each_active_policy_once_a_day(self):
        policy = self._policy()
        archived = self._policy(active=False)
        self.env["kam.classification.policy"]._cron_run_classification()
        self.assertEqual(policy.run_count, 1)
        self.assertEqual(policy.last_run_id.date, self.today)
        self.assertEqual(archived.run_count, 0)
        self.env["kam.classification.policy"]._cron_run_classification()
        self.assertEqual(policy.run_count, 1)

    def test_run_button_opens_pareto(self):
        action = self._policy().with_user(self.kam_manager).action_run()
        self.assertEqual(action["res_model"], "kam.classification.line")
        run = self.env["kam.classification.run"].search(
            [("id", "in", [action["domain"][0][2]])]
        )
        self.assertEqual(run.customer_count, 4)


@tagged("post_install", "-at_install")
class TestClassificationPolicy(KeyAccountCommon):
    def test_thresholds_validation(self):
        policy = self._policy()
        bad_values = [
            {"a_threshold": 0},
            {"a_threshold": 95},
            {"a_threshold": 96},
            {"b_threshold": 100.5},
            {"key_threshold": -1},
            {"key_threshold": 20},
            {"critical_threshold": 75},
            {"mono_threshold": 101},
            {"absolute_threshold": -5},
            {"scope": "team"},
            {"scope": "salesperson"},
        ]
        for vals in bad_values:
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                policy.write(vals)
                policy.flush_recordset()
        policy.write({"a_threshold": 70, "b_threshold": 100, "mono_threshold": 100})
        self.assertEqual(policy.b_threshold, 100)

    def test_policy_form_scope(self):
        team = self.env["crm.team"].create({"name": "North"})
        with Form(self.env["kam.classification.policy"]) as form:
            form.name = "Team North"
            form.scope = "team"
            form.team_id = team
            form.scope = "company"
            self.assertFalse(form.team_id)
            form.scope = "team"
            form.team_id = team
        self.assertEqual(form.record.team_id, team)

    def test_scope_team_and_salesperson(self):
        team = self.env["crm.team"].create({"name": "North"})
        seller = new_test_user(
            self.env, login="kam_seller", groups="sales_team.group_sale_salesman"
        )
        f = self.env["res.partner"].create({"name": "F", "is_company": True})
        g = self.env["res.partner"].create({"name": "G", "is_company": True})
        self._invoice(f, 300, team=team)
        self._invoice(g, 100, team=team, user=seller)
        self._invoice(f, 700, user=seller)
        run = self._policy(scope="team", team_id=team.id)._run_classification(
            self.today
        )
        self.assertEqual(
            {line.partner_id: line.revenue for line in run.line_ids},
            {f: 300.0, g: 100.0},
        )
        self.assertAlmostEqual(self._lines(run)[f].share, 75.0)
        run = self._policy(scope="salesperson", user_id=seller.id)._run_classification(
            self.today
        )
        self.assertEqual(
            {line.partner_id: line.revenue for line in run.line_ids},
            {f: 700.0, g: 100.0},
        )
        self.assertEqual(self._lines(run)[f].dependence_level, "mono")

    def test_several_companies(self):
        other = self.setup_other_company(name="KAM Other")["company"]
        self.env.user.company_ids |= other
        self._invoice(self.cust_a, 700, company=other)
        self._invoice(self.cust_b, 300, company=other)
        run = self._policy()._run_classification(self.today)
        self.assertAlmostEqual(self._lines(run)[self.cust_a].revenue, 5000.0)
        run_other = self._policy(company_id=other.id)._run_classification(self.today)
        self.assertEqual(run_other.company_id, other)
        self.assertEqual(
            {line.partner_id: line.revenue for line in run_other.line_ids},
            {self.cust_a: 700.0, self.cust_b: 300.0},
        )
        self.assertEqual(run_other.line_ids.company_id, other)
        # a user of the first company only does not see the other's lines
        self.assertNotIn(
            run_other.line_ids[0].id,
            self.env["kam.classification.line"]
            .with_user(self.kam_manager)
            .search([])
            .ids,
        )

    def _scoped_policy(self, size):
        """A policy over the invoices of a new salesperson: two large
        customers (key) and ``size`` small ones."""
        seller = new_test_user(
            self.env, login=f"kam_bench_{size}", groups="sales_team.group_sale_salesman"
        )
        partners = self.env["res.partner"].create(
            [{"name": f"Big {size} {i}", "is_company": True} for i in range(2)]
            + [{"name": f"Small {size} {i}", "is_company": True} for i in range(size)]
        )
        for i, partner in enumerate(partners):
            self._invoice(partner, 10000 if i < 2 else 10 + i, user=seller)
        return self._policy(scope="salesperson", user_id=seller.id), partners, seller

    def _count_queries(self, policy, date):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        policy._run_classification(date)
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_query_count_independent_of_customers(self):
        small, small_partners, small_seller = self._scoped_policy(3)
        large, large_partners, large_seller = self._scoped_policy(30)
        days = [self.today - relativedelta(days=n) for n in (2, 1, 0)]
        count = self._count_queries(small, days[0])
        self.assertEqual(small.last_run_id.customer_count, 5)
        self.env.invalidate_all()
        with self.assertQueryCount(count):
            large._run_classification(days[0])
        self.assertEqual(large.last_run_id.customer_count, 32)
        # second runs (comparison with the previous run) are constant too
        count = self._count_queries(small, days[1])
        self.env.invalidate_all()
        with self.assertQueryCount(count):
            large._run_classification(days[1])
        # third runs with alerts: the largest customer becomes mono-client, the
        # second falls from A / critical to B / key, in both sizes
        self._invoice(small_partners[0], 100000, user=small_seller)
        self._invoice(large_partners[0], 100000, user=large_seller)
        count = self._count_queries(small, days[2])
        self.env.invalidate_all()
        with self.assertQueryCount(count):
            large._run_classification(days[2])
        for policy, partners in ((small, small_partners), (large, large_partners)):
            alerted = self.env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            )
            self.assertEqual(sorted(alerted.mapped("res_id")), partners[:2].ids)
            self.assertEqual(
                policy.last_run_id.line_ids.filtered(
                    lambda line, p=partners[1]: line.partner_id == p
                ).abc_class,
                "B",
            )
