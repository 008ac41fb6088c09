# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .test_tenders_common import TenderCommon


@tagged("post_install", "-at_install")
class TestTenderTimeline(TenderCommon):
    """Templates on a short deadline, and the header state."""

    def test_short_deadline_compresses_the_template(self):
        # 30, 10 and 1 days before a deadline 20 days ahead: compressed in
        # proportion (x 20/30), the first milestone today
        deadline = self._days(20)
        tender = self._tender(
            date_submission=deadline, milestone_template_id=self.template.id
        )
        tender.action_apply_milestone_template()
        milestones = tender.milestone_ids.sorted("date")
        self.assertEqual(
            [(m.name, m.date, m.offset_days) for m in milestones],
            [
                ("Shape the specification", self.today, 20),
                ("Price calculation", self._days(14), 6),
                ("Submit", deadline, 0),
            ],
        )
        activities = tender.activity_ids
        self.assertEqual(len(activities), 3)
        self.assertTrue(all(a.date_deadline >= self.today for a in activities))
        self.assertEqual(tender.deadline_state, "on_track")
        self.assertIn("compressed", tender.message_ids[0].body)
        # a deadline far enough keeps the plan as it is
        roomy = self._tender(
            date_submission=self._days(40), milestone_template_id=self.template.id
        )
        roomy.action_apply_milestone_template()
        self.assertEqual(sorted(roomy.milestone_ids.mapped("offset_days")), [1, 10, 30])

    def test_shipped_nine_month_template_on_103_days(self):
        template = self.env.ref("kam_management.kam_tender_milestone_template_default")
        deadline = self._days(103)
        tender = self._tender(
            date_submission=deadline, milestone_template_id=template.id
        )
        tender.action_apply_milestone_template()
        milestones = tender.milestone_ids.sorted(lambda m: (-m.offset_days, m.id))
        self.assertEqual(len(milestones), 8)
        dates = milestones.mapped("date")
        self.assertEqual(dates, sorted(dates), "the order of the plan is kept")
        self.assertEqual(dates[0], self.today)
        self.assertTrue(all(self.today <= day <= deadline for day in dates))
        self.assertFalse(
            tender.activity_ids.filtered(lambda a: a.date_deadline < self.today)
        )
        self.assertNotEqual(tender.activity_state, "overdue")

    def test_passed_deadline_is_refused(self):
        tender = self._tender(
            date_submission=self._days(-1), milestone_template_id=self.template.id
        )
        with self.assertRaises(UserError):
            tender.action_apply_milestone_template()
        self.assertFalse(tender.milestone_ids)
        self.assertFalse(tender.activity_ids)

    def test_moving_the_deadline_earlier_stops_at_today(self):
        tender = self._tender(
            date_submission=self._days(40), milestone_template_id=self.template.id
        )
        tender.action_apply_milestone_template()
        tender.date_submission = self._days(15)
        first = tender.milestone_ids.filtered(
            lambda m: m.name == "Shape the specification"
        )
        self.assertEqual(first.date, self.today)
        self.assertEqual(first.activity_id.date_deadline, self.today)

    def test_overdue_milestone_puts_the_tender_at_risk(self):
        tender = self._tender(date_submission=self._days(40))
        self.assertEqual(tender.deadline_state, "on_track")
        late = self.env["kam.tender.milestone"].create(
            {
                "tender_id": tender.id,
                "name": "Site visit report",
                "date": self._days(-3),
            }
        )
        self.assertEqual(late.state, "overdue")
        self.assertEqual(tender.deadline_state, "at_risk")
        Tender = self.env["kam.tender"]
        self.assertIn(tender, Tender.search([("deadline_state", "=", "at_risk")]))
        self.assertNotIn(tender, Tender.search([("deadline_state", "=", "on_track")]))
        late.action_mark_done()
        self.assertEqual(tender.deadline_state, "on_track")
        self.assertIn(tender, Tender.search([("deadline_state", "=", "on_track")]))


@tagged("post_install", "-at_install")
class TestTenderClosing(TenderCommon):
    """Won, lost and cancelled: reasons, activities, next step."""

    def _planned_tender(self, **vals):
        tender = self._tender(
            stage_id=self.stage_preparation.id,
            date_submission=self._days(40),
            milestone_template_id=self.template.id,
            probability=60,
            **vals,
        )
        tender.action_apply_milestone_template()
        self.assertEqual(len(tender.activity_ids), 3)
        return tender

    def _wizard(self, tender, action):
        self.assertEqual(action["res_model"], "kam.tender.close.wizard")
        return Form(
            self.env["kam.tender.close.wizard"].with_context(**action["context"])
        )

    def test_lost_asks_a_reason_and_closes_the_activities(self):
        tender = self._planned_tender()
        self.env["kam.tender.bid"].create(
            {"tender_id": tender.id, "partner_id": self.competitor.id, "amount": 900}
        )
        action = tender.action_kam_mark_lost()
        wizard = self._wizard(tender, action)
        # discarded: nothing changed
        self.assertEqual(tender.stage_id, self.stage_preparation)
        self.assertEqual(len(tender.activity_ids), 3)
        # confirmed without a reason (the form requires it; the server too)
        with self.assertRaises(UserError):
            self.env["kam.tender.close.wizard"].create(
                {"tender_id": tender.id, "outcome": "lost"}
            ).action_confirm()
        self.assertEqual(tender.stage_id, self.stage_preparation)
        self.assertEqual(len(tender.activity_ids), 3)
        wizard.loss_reason_id = self.loss_reason
        wizard.awarded_partner_id = self.competitor
        self.assertEqual(wizard.awarded_amount, 900)
        wizard.reason = "Their price was 10 % lower."
        wizard.save().action_confirm()
        self.assertEqual(tender.stage_id, self.stage_lost)
        self.assertEqual(tender.loss_reason_id, self.loss_reason)
        self.assertEqual(tender.awarded_partner_id, self.competitor)
        self.assertEqual(tender.probability, 0)
        self.assertFalse(tender.activity_ids, "the milestone activities are cancelled")
        self.assertFalse(tender.milestone_ids.activity_id)
        self.assertFalse(any(tender.milestone_ids.mapped("done")))
        body = tender.message_ids[0].body
        self.assertIn(self.loss_reason.name, body)
        self.assertIn("10 % lower", body)

    def test_lost_without_reason_is_refused_through_the_orm(self):
        tender = self._planned_tender()
        with self.assertRaises(ValidationError) as caught:
            tender.write({"stage_id": self.stage_lost.id})
        self.assertIn("Loss Reason", str(caught.exception))
        self.assertIn(tender.name, str(caught.exception))
        self.assertEqual(tender.stage_id, self.stage_preparation)
        with self.assertRaises(ValidationError) as caught:
            tender.write({"stage_id": self.stage_cancelled.id})
        self.assertIn("Cancellation Reason", str(caught.exception))
        self.assertEqual(tender.stage_id, self.stage_preparation)

    def test_cancel_asks_a_free_text_reason(self):
        tender = self._planned_tender()
        wizard = self._wizard(tender, tender.action_kam_cancel())
        self.assertEqual(wizard.outcome, "cancelled")
        with self.assertRaises(UserError):
            self.env["kam.tender.close.wizard"].create(
                {"tender_id": tender.id, "outcome": "cancelled", "reason": "  "}
            ).action_confirm()
        self.assertEqual(tender.stage_id, self.stage_preparation)
        wizard.reason = "The buyer withdrew the procurement."
        wizard.save().action_confirm()
        self.assertEqual(tender.stage_id, self.stage_cancelled)
        self.assertEqual(tender.cancel_reason, "The buyer withdrew the procurement.")
        self.assertFalse(tender.loss_reason_id)
        self.assertFalse(tender.activity_ids)
        self.assertIn("withdrew the procurement", tender.message_ids[0].body)

    def test_won_records_the_winner_and_offers_the_quotation(self):
        tender = self._planned_tender(bid_amount=415000)
        tender.action_kam_mark_won()
        self.assertEqual(tender.stage_id, self.stage_won)
        self.assertEqual(tender.awarded_partner_id, self.company.partner_id)
        self.assertEqual(tender.awarded_amount, 415000)
        self.assertEqual(tender.probability, 100)
        self.assertTrue(tender.bid_ids.filtered("is_own").is_winner)
        self.assertFalse(tender.activity_ids, "the bid work is over")
        # the next step
        action = tender.action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.kam_tender_id, tender)
        note = order.order_line.filtered(lambda line: line.display_type == "line_note")
        self.assertIn(tender.name, note.name)
        self.assertIn("415000", note.name.replace(",", "").replace(".00", ""))
        # an order without a priced line does not reset our bid
        self.assertEqual(tender.bid_amount, 415000)

    def test_won_through_the_stage_sets_the_probability(self):
        tender = self._planned_tender()
        tender.stage_id = self.stage_won
        self.assertEqual(tender.probability, 100)
        self.assertFalse(tender.activity_ids)

    def test_only_the_editors_of_a_tender_close_it(self):
        tender = self._planned_tender()
        outsider = self.kam_user_other  # reads every tender, edits not this one
        with self.assertRaises(AccessError):
            tender.with_user(outsider).action_kam_mark_lost()
        wizard = (
            self.env["kam.tender.close.wizard"]
            .with_user(outsider)
            .create(
                {
                    "tender_id": tender.id,
                    "outcome": "lost",
                    "loss_reason_id": self.loss_reason.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(tender.stage_id, self.stage_preparation)
        self.assertEqual(len(tender.activity_ids), 3)
        # the customer's KAM does
        action = tender.with_user(self.kam_user).action_kam_mark_lost()
        self.env["kam.tender.close.wizard"].with_user(self.kam_user).with_context(
            **action["context"]
        ).create({"loss_reason_id": self.loss_reason.id}).action_confirm()
        self.assertEqual(tender.stage_id, self.stage_lost)
        self.assertFalse(tender.activity_ids)

    def test_form_buttons(self):
        arch = etree.fromstring(
            self.env["kam.tender"].get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in (
            "action_kam_mark_won",
            "action_kam_mark_lost",
            "action_kam_cancel",
        ):
            self.assertTrue(arch.xpath(f"//header/button[@name='{name}']"), name)
        self.assertEqual(
            len(arch.xpath("//page[@string='Buying Group']")),
            1,
            "one Buying Group tab",
        )


@tagged("post_install", "-at_install")
class TestTenderCloseRpc(TenderCommon, HttpCase):
    def test_lost_stage_without_reason_is_refused_through_rpc(self):
        tender = self._tender(
            stage_id=self.stage_preparation.id,
            date_submission=self._days(40),
            user_id=self.kam_user.id,
        )
        self.authenticate(self.kam_user.login, self.kam_user.login)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/kam.tender/write",
                {
                    "model": "kam.tender",
                    "method": "write",
                    "args": [tender.ids, {"stage_id": self.stage_lost.id}],
                    "kwargs": {},
                },
            )
        self.assertIn("ValidationError", str(caught.exception))
        self.assertEqual(tender.stage_id, self.stage_preparation)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/kam.tender/write",
            {
                "model": "kam.tender",
                "method": "write",
                "args": [
                    tender.ids,
                    {
                        "stage_id": self.stage_lost.id,
                        "loss_reason_id": self.loss_reason.id,
                    },
                ],
                "kwargs": {},
            },
        )
        self.assertEqual(tender.stage_id, self.stage_lost)


@tagged("post_install", "-at_install")
class TestTenderBidComparison(TenderCommon):
    def test_our_bid_follows_our_bid_line(self):
        tender = self._tender(date_submission=self._days(40))
        own = self.env["kam.tender.bid"].create(
            {
                "tender_id": tender.id,
                "partner_id": self.company.partner_id.id,
                "amount": 415000,
            }
        )
        self.assertTrue(own.is_own)
        self.assertEqual(tender.bid_amount, 415000)
        own.amount = 400000
        self.assertEqual(tender.bid_amount, 400000)
        # and the other way round, as before
        tender.bid_amount = 390000
        self.assertEqual(own.amount, 390000)

    def test_price_scores_and_ranks(self):
        tender = self._tender(date_submission=self._days(40), price_weight=40)
        Bid = self.env["kam.tender.bid"]
        cheap = Bid.create(
            {
                "tender_id": tender.id,
                "partner_id": self.competitor.id,
                "amount": 100000,
                "technical_score": 50,
            }
        )
        dear = Bid.create(
            {
                "tender_id": tender.id,
                "partner_id": self.competitor_2.id,
                "amount": 200000,
                "technical_score": 60,
            }
        )
        tender.bid_amount = 125000
        own = tender.bid_ids.filtered("is_own")
        self.assertAlmostEqual(cheap.price_score, 40)
        self.assertAlmostEqual(dear.price_score, 20)
        self.assertAlmostEqual(own.price_score, 32)
        self.assertEqual((cheap.rank, dear.rank, own.rank), (1, 2, 3))
        self.assertAlmostEqual(dear.total_score, 80)
        # a technical score moves the ranking
        own.technical_score = 55
        self.assertEqual((cheap.rank, own.rank, dear.rank), (1, 2, 3))
        # a lower price changes every price score
        dear.amount = 50000
        self.assertAlmostEqual(dear.price_score, 40)
        self.assertAlmostEqual(cheap.price_score, 20)
        self.assertEqual(dear.rank, 1)
        # a bid without an amount is not ranked
        blank = Bid.create(
            {
                "tender_id": tender.id,
                "partner_id": self.agency.id,
                "technical_score": 90,
            }
        )
        self.assertEqual((blank.rank, blank.price_score), (0, 0))

    def test_competitor_analysis_leaves_our_bids_out(self):
        tender = self._tender(date_submission=self._days(-10), bid_amount=500)
        self.env["kam.tender.bid"].create(
            {"tender_id": tender.id, "partner_id": self.competitor.id, "amount": 450}
        )
        tender.write(
            {
                "stage_id": self.stage_lost.id,
                "loss_reason_id": self.loss_reason.id,
                "awarded_partner_id": self.competitor.id,
            }
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_tender_bid_action"
        )
        domain = ast.literal_eval(action["domain"])
        bidders = (
            self.env["kam.tender.bid"]
            .search(domain + [("tender_id", "=", tender.id)])
            .partner_id
        )
        self.assertEqual(bidders, self.competitor)


@tagged("post_install", "-at_install")
class TestTenderDeadlineView(TenderCommon):
    def test_days_to_deadline_empty_without_deadline(self):
        tender = self._tender()
        field = tender._fields["days_to_deadline"]
        self.assertFalse(field.store, "never a stored 0")
        self.assertFalse(tender.deadline_state)
        for view_type in ("list", "form"):
            arch = etree.fromstring(
                self.env["kam.tender"].get_views([(False, view_type)])["views"][
                    view_type
                ]["arch"]
            )
            nodes = arch.xpath("//field[@name='days_to_deadline']")
            self.assertTrue(nodes)
            for node in nodes:
                self.assertEqual(
                    node.get("invisible"), "not date_submission", view_type
                )


@tagged("post_install", "-at_install")
class TestTenderBounds(TenderCommon):
    """Bounds on tender input, through the ORM and through an import."""

    def _refused(self, model, write=None, create=None, record=None):
        """Writing ``write`` on ``record`` (or creating ``create``) is refused
        and nothing is saved."""
        Model = self.env[model]
        before = Model.search_count([])
        with self.assertRaises(ValidationError):
            if create is not None:
                Model.create(create)
            else:
                record.write(write)
            self.env.flush_all()
        self.assertEqual(Model.search_count([]), before)
        if record is not None:
            record.invalidate_recordset()
            for name in write:
                self.assertNotEqual(record[name], write[name], name)

    def test_tender_amounts_cannot_be_negative(self):
        tender = self._tender(date_submission=self._days(40))
        for name in ("estimated_value", "bid_amount", "bid_cost", "awarded_amount"):
            with self.subTest(field=name):
                self._refused("kam.tender", write={name: -1.0}, record=tender)
                self._refused(
                    "kam.tender",
                    create={
                        "name": "Negative",
                        "partner_id": self.customer.id,
                        name: -5.0,
                    },
                )
        with self.assertRaises(ValidationError) as caught:
            tender.estimated_value = -1
        self.assertIn("Estimated Value", str(caught.exception))
        self.assertIn(tender.name, str(caught.exception))
        self._refused("kam.tender", write={"price_weight": 101.0}, record=tender)

    def test_bid_amount_and_scores_are_bounded(self):
        tender = self._tender(date_submission=self._days(40))
        bid = self.env["kam.tender.bid"].create(
            {"tender_id": tender.id, "partner_id": self.competitor.id, "amount": 10}
        )
        self._refused("kam.tender.bid", write={"amount": -10.0}, record=bid)
        self._refused("kam.tender.bid", write={"technical_score": 100.5}, record=bid)
        self._refused("kam.tender.bid", write={"technical_score": -1.0}, record=bid)
        self._refused(
            "kam.tender.bid",
            create={
                "tender_id": tender.id,
                "partner_id": self.competitor_2.id,
                "amount": -3.0,
            },
        )
        with self.assertRaises(ValidationError) as caught:
            bid.technical_score = 1000
        self.assertIn("Technical Score", str(caught.exception))

    def test_guarantee_amount_cannot_be_negative(self):
        tender = self._tender(date_submission=self._days(40))
        guarantee = self.env["kam.tender.guarantee"].create(
            {"tender_id": tender.id, "name": "G-1", "amount": 100}
        )
        self._refused(
            "kam.tender.guarantee", write={"amount": -100.0}, record=guarantee
        )
        self._refused(
            "kam.tender.guarantee",
            create={"tender_id": tender.id, "name": "G-2", "amount": -1.0},
        )

    def test_csv_import_with_a_bad_row_imports_nothing(self):
        Tender = self.env["kam.tender"]
        before = Tender.search_count([])
        data = (
            "name,partner_id,estimated_value\n"
            f"Imported good,{self.customer.name},1000\n"
            f"Imported bad,{self.customer.name},-1000\n"
        )
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "kam.tender",
                "file": data.encode(),
                "file_name": "tenders.csv",
                "file_type": "text/csv",
            }
        )
        result = wizard.execute_import(
            ["name", "partner_id", "estimated_value"],
            ["name", "partner_id", "estimated_value"],
            {"quoting": '"', "separator": ",", "has_headers": True},
        )
        errors = [m for m in result["messages"] if m["type"] == "error"]
        # the second data row (index 1) is named, with the tender and field
        row_errors = [m for m in errors if m.get("rows") == {"from": 1, "to": 1}]
        self.assertEqual(len(row_errors), 1, errors)
        self.assertIn("Imported bad", row_errors[0]["message"])
        self.assertIn("Estimated Value cannot be negative", row_errors[0]["message"])
        self.assertFalse(any("Imported good" in m["message"] for m in errors))
        self.assertFalse(result["ids"])
        self.assertEqual(Tender.search_count([]), before)
        self.assertFalse(Tender.search([("name", "like", "Imported")]))
