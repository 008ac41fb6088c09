# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Defects a user meets on the screens: the follow-up step's name, the share
of wallet above 100 %, the person picker of the buying group, the health
breakdown and trend, the order of the dependence levels, the days since the
last contact."""

from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from ..models.kam_classification_policy import DEPENDENCE_LEVELS
from .common_accountplan import AccountPlanCommon
from .dossiers_common import DossiersCommon

DAY = date(2025, 6, 30)


def _at(days_before, hour=10):
    """A datetime ``days_before`` DAY, at ``hour`` UTC."""
    return datetime.combine(DAY - timedelta(days=days_before), datetime.min.time()) + (
        timedelta(hours=hour)
    )


@tagged("post_install", "-at_install")
class TestFollowupStepName(AccountPlanCommon):
    def test_step_named_by_sequence_number_and_summary(self):
        sequence = self.env["kam.followup.sequence"].create(
            {
                "name": "Proposal follow-up",
                "scope": "all",
                "step_ids": [
                    Command.create({"offset_days": 2, "summary": "Call the buyer"}),
                    Command.create({"offset_days": 7, "summary": "Send references"}),
                ],
            }
        )
        first, second = sequence.step_ids
        self.assertEqual(
            first.display_name, "Proposal follow-up – step 1: Call the buyer"
        )
        self.assertEqual(
            second.display_name, "Proposal follow-up – step 2: Send references"
        )
        # the quotation shows the step by that name
        customer = self.env["res.partner"].create({"name": "Step Customer"})
        order = self.env["sale.order"].create({"partner_id": customer.id})
        order.kam_followup_step_id = second
        self.assertEqual(
            Form(order).kam_followup_step_id.display_name,
            "Proposal follow-up – step 2: Send references",
        )
        # name_search finds the step by its sequence
        found = self.env["kam.followup.step"].name_search("Send references")
        self.assertIn(second.id, [step_id for step_id, _name in found])


@tagged("post_install", "-at_install")
class TestWalletShareWarning(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._key_account("Wallet Rail", kam=cls.kam_user)
        cls._invoice(cls.account, 779.0, date(2025, 3, 1))

    def _plan(self, competitor_shares):
        return self.env["kam.account.plan"].create(
            {
                "partner_id": self.account.id,
                "year": 2025,
                "wallet_amount": 1000.0,
                "competitor_ids": [
                    Command.create({"name": f"Rival {index}", "share": share})
                    for index, share in enumerate(competitor_shares)
                ],
            }
        )

    def test_form_warns_above_100_percent_and_saves(self):
        plan = self._plan([20.0, 15.0])
        form = Form(plan)
        self.assertAlmostEqual(form.our_share, 77.9, places=1)
        self.assertAlmostEqual(form.wallet_share_total, 112.9, places=1)
        self.assertTrue(form.wallet_share_exceeded)
        # warned, not refused: the plan saves
        form.long_term_goals = "Sole supplier by 2028"
        form.save()
        self.assertEqual(plan.long_term_goals, "Sole supplier by 2028")
        # lowering a competitor's share in the form removes the warning
        with form.competitor_ids.edit(0) as line:
            line.share = 5.0
        self.assertAlmostEqual(form.wallet_share_total, 97.9, places=1)
        self.assertFalse(form.wallet_share_exceeded)

    def test_no_warning_within_100_percent(self):
        plan = self._plan([22.1])
        self.assertAlmostEqual(plan.wallet_share_total, 100.0, places=1)
        self.assertFalse(plan.wallet_share_exceeded)


@tagged("post_install", "-at_install")
class TestDealRolePerson(DossiersCommon):
    def _order(self, user):
        return (
            self.env["sale.order"]
            .with_user(user)
            .create({"partner_id": self.account.id, "user_id": user.id})
        )

    def _picker(self, model, fname, **values):
        """Partners the person picker of ``model.fname`` offers."""
        domain = safe_eval(self.env[model]._fields[fname].domain, values)
        return self.env["res.partner"].search(domain)

    def test_picker_lists_the_account_contacts_only(self):
        sub = self.env["res.partner"].create(
            {
                "name": "Amber Cargo Port",
                "is_company": True,
                "parent_id": self.account.id,
            }
        )
        docker = self.env["res.partner"].create(
            {"name": "Dan Docker", "parent_id": sub.id}
        )
        for model, fname in (
            ("kam.deal.role", "account_partner_id"),
            ("kam.dossier.member", "dossier_partner_id"),
        ):
            with self.subTest(model=model):
                offered = self._picker(model, "partner_id", **{fname: self.account.id})
                self.assertIn(self.ceo, offered)
                self.assertIn(docker, offered)
                self.assertNotIn(self.other_person, offered)
                self.assertFalse(offered.filtered("is_company"))

    def test_form_line_knows_its_account(self):
        order = self._order(self.kam_user)
        form = Form(order.with_user(self.kam_user))
        with form.kam_deal_role_ids.new() as line:
            self.assertEqual(line.account_partner_id, self.account)
            line.partner_id = self.engineer
        form.save()
        self.assertIn(self.engineer, order.kam_deal_role_ids.partner_id)

    def test_person_of_another_account_refused(self):
        order = self._order(self.kam_user)
        Role = self.env["kam.deal.role"].with_user(self.kam_user)
        with self.assertRaisesRegex(ValidationError, "Dora Other.*Amber Cargo"):
            Role.create({"order_id": order.id, "partner_id": self.other_person.id})
        line = order.kam_deal_role_ids[:1].with_user(self.kam_user)
        with self.assertRaises(ValidationError):
            line.partner_id = self.other_person
        # a contact of the customer is accepted
        Role.create({"order_id": order.id, "partner_id": self.engineer.id})

    def test_outside_member_of_the_dossier_is_accepted(self):
        """A consultant of the dossier is refused on another account's deal,
        copied into the account's deals and kept by a salesperson's copy."""
        consultant_firm = self.env["res.partner"].create(
            {"name": "Consult & Co", "is_company": True}
        )
        consultant = self.env["res.partner"].create(
            {"name": "Cleo Consultant", "parent_id": consultant_firm.id}
        )
        self.env["kam.dossier.member"].create(
            {"dossier_id": self.dossier.id, "partner_id": consultant.id}
        )
        other_order = self.env["sale.order"].create(
            {"partner_id": self.other_account.id, "user_id": self.kam_user_other.id}
        )
        with self.assertRaises(ValidationError):
            self.env["kam.deal.role"].create(
                {"order_id": other_order.id, "partner_id": consultant.id}
            )
        order = self._order(self.kam_user)
        self.assertIn(consultant, order.kam_deal_role_ids.partner_id)
        # a salesperson copying the quotation keeps the copied line
        order.user_id = self.sales_user
        copy = order.with_user(self.sales_user).copy()
        self.assertIn(consultant, copy.kam_deal_role_ids.partner_id)


@tagged("post_install", "-at_install")
class TestDealRolePersonRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam_user = new_test_user(
            cls.env,
            login="kam_screen_rpc",
            password="kam_screen_rpc_pw",
            groups="kam_management.group_kam_user",
        )
        cls.account, cls.other_account = cls.env["res.partner"].create(
            [
                {
                    "name": "Rpc Cargo",
                    "is_company": True,
                    "kam_user_id": cls.kam_user.id,
                },
                {"name": "Rpc Mills", "is_company": True},
            ]
        )
        cls.stranger = cls.env["res.partner"].create(
            {"name": "Sid Stranger", "parent_id": cls.other_account.id}
        )
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.account.id, "user_id": cls.kam_user.id}
        )

    @mute_logger("odoo.http")
    def test_forced_person_refused_over_rpc(self):
        self.authenticate("kam_screen_rpc", "kam_screen_rpc_pw")
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/kam.deal.role/create",
                {
                    "model": "kam.deal.role",
                    "method": "create",
                    "args": [
                        {"order_id": self.order.id, "partner_id": self.stranger.id}
                    ],
                    "kwargs": {},
                },
            )
        self.assertEqual(str(caught.exception), "odoo.exceptions.ValidationError")
        self.assertFalse(
            self.env["kam.deal.role"].search([("order_id", "=", self.order.id)])
        )


@tagged("post_install", "-at_install")
class TestHealthScreens(AccountPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scales = {
            "overdue": (25, 0, 60),
            "payment_delay": (15, 0, 30),
            "contact": (20, 7, 60),
            "objectives": (20, 100, 0),
            "dossier": (10, 100, 0),
            "claims": (10, 0, 3),
        }
        cls.factors = cls.env["kam.health.factor"]._kam_factors(cls.env.company)
        for code, (weight, good, bad) in scales.items():
            cls.factors[code].write(
                {"weight": weight, "good_value": good, "bad_value": bad}
            )
        cls.account = cls._key_account("Health Screens", kam=cls.kam_user)
        cls.contact = cls.env["res.partner"].create(
            {"name": "Sam Screen", "parent_id": cls.account.id}
        )
        # the account is old: its creation must not count as a contact
        cls.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id IN %s",
            (datetime(2025, 6, 29, 8, 0), (cls.account.id, cls.contact.id)),
        )
        cls.account.invalidate_recordset(["create_date"])

    def _score(self, account=None):
        return self.env["kam.health.score"]._kam_compute(account or self.account, DAY)

    def test_claims_counted_once(self):
        Claim = self.env["kam.claim"]
        received = DAY - timedelta(days=10)
        overdue, fresh = Claim.create(
            [
                {
                    "name": name,
                    "partner_id": self.account.id,
                    "date_received": received,
                }
                for name in ("Late delivery", "Broken pallet")
            ]
        )
        overdue.date_due = DAY - timedelta(days=3)
        fresh.date_due = DAY + timedelta(days=3)
        score = self._score()
        self.assertEqual(score.claims_count, 2)
        self.assertEqual(score.claims_overdue_count, 1)
        # 2 open claims on the scale 0 → 3
        self.assertAlmostEqual(score.claims_score, 33.3, places=1)

    def test_form_shows_each_factor_weight(self):
        score = self._score()
        form = Form(score)
        for code in ("overdue", "payment_delay", "contact", "objectives", "dossier"):
            self.assertEqual(getattr(form, f"{code}_weight"), self.factors[code].weight)
        self.assertEqual(form.claims_weight, 10)
        # the weights of the day are kept when the configuration changes
        self.factors["claims"].weight = 50
        self.assertEqual(score.claims_weight, 10)

    def test_health_trend_opens_a_line_chart_by_date(self):
        action = self.account.action_kam_view_health()
        self.assertEqual(action["view_mode"].split(",")[0], "graph")
        arch = self.env["kam.health.score"].get_view(view_type="graph")["arch"]
        self.assertIn('type="line"', arch)
        self.assertIn('<field name="date" interval="day"', arch)
        self.assertIn('<field name="score" type="measure"', arch)

    def test_never_contacted_scores_worst(self):
        score = self._score()
        self.assertFalse(score.contact_date)
        self.assertFalse(score.contact_days)
        self.assertEqual(score.contact_score, 0.0)

    def test_posted_activity_type_is_no_contact_but_done_activity_is(self):
        # a message merely posted with an activity type is no done activity
        message = self.contact.message_post(
            body="Planned call",
            message_type="notification",
            mail_activity_type_id=self.env.ref("mail.mail_activity_data_call").id,
        )
        message.date = _at(4)
        self.assertFalse(self._score().contact_date)
        activity = self.contact.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.kam_user.id
        )
        activity.action_feedback(feedback="Spoke with Sam")
        done = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.contact.id)],
            order="id desc",
            limit=1,
        )
        self.assertTrue(done.kam_activity_done)
        done.date = _at(6)
        score = self._score()
        self.assertEqual(score.contact_date, DAY - timedelta(days=6))
        self.assertEqual(score.contact_days, 6)

    def test_message_by_or_to_a_contact_on_any_document(self):
        lead = self.env["crm.lead"].create(
            {"name": "Screens deal", "partner_id": self.account.id}
        )
        # an internal note on the opportunity is no contact
        note = lead.message_post(
            body="Internal thoughts",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        note.date = _at(1)
        self.assertFalse(self._score().contact_date)
        # a message sent to the contact
        sent = lead.message_post(
            body="Our offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.contact.ids,
        )
        sent.date = _at(9)
        self.assertEqual(self._score().contact_days, 9)
        # an e-mail of the contact
        received = lead.message_post(
            body="Thanks, we read it",
            message_type="email",
            author_id=self.contact.id,
        )
        received.date = _at(5)
        self.assertEqual(self._score().contact_days, 5)

    def test_meeting_with_a_contact(self):
        self.env["calendar.event"].create(
            {
                "name": "Quarterly review",
                "start": _at(12),
                "stop": _at(12, hour=11),
                "partner_ids": [Command.link(self.contact.id)],
            }
        )
        score = self._score()
        self.assertEqual(score.contact_date, DAY - timedelta(days=12))
        self.assertEqual(score.contact_days, 12)


@tagged("post_install", "-at_install")
class TestDependenceOrder(AccountPlanCommon):
    def test_levels_grouped_in_increasing_danger(self):
        policy = self.env["kam.classification.policy"].create(
            {"name": "Screens order", "basis": "revenue"}
        )
        run = self.env["kam.classification.run"].create(
            {
                "policy_id": policy.id,
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "basis": "revenue",
                "date": "2025-12-31",
            }
        )
        customers = self.env["res.partner"].create(
            [
                {"name": f"Order {code}", "is_company": True}
                for code, _ in DEPENDENCE_LEVELS
            ]
        )
        Line = self.env["kam.classification.line"]
        Line.create(
            [
                {
                    "run_id": run.id,
                    "company_id": self.env.company.id,
                    "run_date": run.date,
                    "partner_id": customer.id,
                    "rank": rank,
                    "dependence_level": code,
                }
                for rank, (customer, (code, _label)) in enumerate(
                    zip(customers, reversed(DEPENDENCE_LEVELS), strict=False), start=1
                )
            ]
        )
        # what the graph view asks (lazy=False), and the pivot (lazy)
        for lazy in (False, True):
            groups = Line.web_read_group(
                [("run_id", "=", run.id)],
                ["share:sum"],
                ["dependence_level"],
                lazy=lazy,
            )["groups"]
            self.assertEqual(
                [group["dependence_level"] for group in groups],
                ["none", "key", "critical", "mono"],
            )
        groups = Line._read_group(
            [("run_id", "=", run.id)],
            ["dependence_level"],
            order="dependence_level desc",
        )
        self.assertEqual(
            [level for (level,) in groups], ["mono", "critical", "key", "none"]
        )
