# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .test_tenders_common import TenderCommon


@tagged("post_install", "-at_install")
class TestTenderDates(TenderCommon):
    def test_date_order_rejected_naming_both_dates(self):
        tender = self._tender(date_publication=self._days(1))
        with self.assertRaises(ValidationError) as err:
            tender.date_submission = self._days(0)
        message = str(err.exception)
        self.assertIn("Publication", message)
        self.assertIn("Submission Deadline", message)
        with self.assertRaises(ValidationError) as err:
            self._tender(
                date_contract_start=self._days(10), date_contract_end=self._days(9)
            )
        self.assertIn("Contract Start", str(err.exception))
        self.assertIn("Contract End", str(err.exception))
        # a sensible order is accepted, equal dates too
        tender.write(
            {
                "date_clarification": self._days(5),
                "date_submission": self._days(10),
                "date_opening": self._days(10),
                "date_award_expected": self._days(30),
                "date_contract_start": self._days(60),
                "date_contract_end": self._days(60 + 365),
            }
        )
        self.assertEqual(tender.date_submission, self._days(10))

    def test_deadline_required_from_preparation(self):
        tender = self._tender()
        with self.assertRaises(ValidationError) as err:
            tender.stage_id = self.stage_preparation
        self.assertIn("Submission Deadline", str(err.exception))
        tender.write(
            {"stage_id": self.stage_preparation.id, "date_submission": self._days(5)}
        )
        self.assertEqual(tender.stage_id, self.stage_preparation)

    def test_reference_unique_per_issuer_and_company(self):
        self._tender(reference="REF-1", issuer_id=self.agency.id)
        # same reference, other issuer: fine
        self._tender(reference="REF-1", partner_id=self.other_customer.id)
        # no issuer means the customer issues: same customer, same reference
        self._tender(reference="REF-2")
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._tender(reference="REF-2")
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._tender(
                reference="REF-1",
                issuer_id=self.agency.id,
                partner_id=self.other_customer.id,
            )

    def test_days_to_deadline_and_state_around_thresholds(self):
        # due soon = 14 days (company setting)
        cases = {
            15: "on_track",
            14: "due_soon",
            0: "due_soon",
            -1: "overdue",
        }
        tenders = {}
        for days, state in cases.items():
            tender = self._tender(
                name=f"T{days}",
                date_submission=self._days(days),
                date_publication=self._days(-60),
            )
            tenders[days] = tender
            self.assertEqual(tender.days_to_deadline, days)
            self.assertEqual(tender.deadline_state, state, f"{days} days")
        no_deadline = self._tender(name="no deadline")
        self.assertFalse(no_deadline.deadline_state)
        submitted = self._tender(
            name="submitted",
            date_submission=self._days(-3),
            stage_id=self.stage_submitted.id,
        )
        self.assertEqual(submitted.days_to_deadline, -3)
        self.assertFalse(submitted.deadline_state)
        # the threshold is configurable
        self.company.kam_tender_due_soon_days = 20
        self.env["kam.tender"].invalidate_model(["deadline_state"])
        self.assertEqual(tenders[15].deadline_state, "due_soon")
        self.company.kam_tender_due_soon_days = 14
        self.env["kam.tender"].invalidate_model(["deadline_state"])
        # searchable
        Tender = self.env["kam.tender"]
        mine = Tender.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            Tender.search(
                [("id", "in", mine.ids), ("deadline_state", "=", "due_soon")]
            ),
            tenders[14] | tenders[0],
        )
        self.assertEqual(
            Tender.search([("id", "in", mine.ids), ("deadline_state", "=", "overdue")]),
            tenders[-1],
        )
        self.assertEqual(
            Tender.search([("id", "in", mine.ids), ("deadline_state", "=", False)]),
            no_deadline | submitted,
        )
        self.assertEqual(
            Tender.search([("id", "in", mine.ids), ("days_to_deadline", "<=", 0)]),
            tenders[0] | tenders[-1] | submitted,
        )
        self.assertEqual(
            Tender.search([("id", "in", mine.ids), ("days_to_deadline", ">", 14)]),
            tenders[15],
        )


@tagged("post_install", "-at_install")
class TestTenderMilestones(TenderCommon):
    def _activity_of(self, milestone):
        return milestone.activity_id

    def test_template_creates_milestones_and_activities(self):
        deadline = self._days(40)
        tender = self._tender(
            date_submission=deadline, milestone_template_id=self.template.id
        )
        # the customer's KAM is absent 29-31 days before the deadline: the deputy
        # gets that milestone
        self.customer.kam_deputy_user_id = self.kam_manager
        self.kam_user.write(
            {
                "kam_absent_from": deadline - relativedelta(days=31),
                "kam_absent_until": deadline - relativedelta(days=29),
            }
        )
        tender.action_apply_milestone_template()
        milestones = tender.milestone_ids.sorted("date")
        self.assertEqual(
            [(m.name, m.date, m.user_id) for m in milestones],
            [
                (
                    "Shape the specification",
                    deadline - relativedelta(days=30),
                    self.kam_manager,
                ),
                (
                    "Price calculation",
                    deadline - relativedelta(days=10),
                    self.kam_user_other,
                ),
                ("Submit", deadline - relativedelta(days=1), self.kam_user),
            ],
        )
        for milestone in milestones:
            activity = milestone.activity_id
            self.assertTrue(activity)
            self.assertEqual(activity.res_model, "kam.tender")
            self.assertEqual(activity.res_id, tender.id)
            self.assertEqual(activity.date_deadline, milestone.date)
            self.assertEqual(activity.user_id, milestone.user_id)
            self.assertEqual(activity.summary, milestone.name)
        self.assertEqual(len(tender.activity_ids), 3)
        self.assertEqual(tender.milestone_next_name, "Shape the specification")

    def test_apply_without_deadline_is_refused(self):
        tender = self._tender(milestone_template_id=self.template.id)
        with self.assertRaises(UserError):
            tender.action_apply_milestone_template()
        self.assertFalse(tender.milestone_ids)

    def test_deadline_move_shifts_only_undone_milestones(self):
        deadline = self._days(40)
        tender = self._tender(
            date_submission=deadline, milestone_template_id=self.template.id
        )
        tender.action_apply_milestone_template()
        first = tender.milestone_ids.filtered(lambda m: m.offset_days == 30)
        first_activity = first.activity_id
        first.action_mark_done()
        self.assertTrue(first.done)
        self.assertEqual(first.date_done, self.today)
        self.assertFalse(first_activity.exists(), "the activity is marked done")
        tender.date_submission = deadline + relativedelta(days=7)
        self.assertEqual(first.date, deadline - relativedelta(days=30))
        for milestone in tender.milestone_ids - first:
            self.assertEqual(
                milestone.date,
                deadline + relativedelta(days=7 - milestone.offset_days),
            )
            self.assertEqual(milestone.activity_id.date_deadline, milestone.date)
        # moving it earlier works the same way
        tender.date_submission = deadline - relativedelta(days=3)
        submit = tender.milestone_ids.filtered(lambda m: m.offset_days == 1)
        self.assertEqual(submit.date, deadline - relativedelta(days=4))
        self.assertEqual(submit.activity_id.date_deadline, submit.date)
        self.assertEqual(first.date, deadline - relativedelta(days=30))

    def test_milestone_unlink_removes_activity(self):
        tender = self._tender(
            date_submission=self._days(40), milestone_template_id=self.template.id
        )
        tender.action_apply_milestone_template()
        activity = tender.milestone_ids[0].activity_id
        tender.milestone_ids[0].unlink()
        self.assertFalse(activity.exists())

    def test_default_template_shipped(self):
        template = self.env.ref("kam_management.kam_tender_milestone_template_default")
        self.assertEqual(
            sorted(template.line_ids.mapped("offset_days"), reverse=True),
            [270, 120, 60, 30, 21, 14, 7, 1],
        )

    def test_document_checklist_and_guarantee_reminder(self):
        tender = self._tender(
            document_template_id=self.env.ref(
                "kam_management.kam_tender_document_template_default"
            ).id,
            user_id=self.kam_user.id,
        )
        tender.action_apply_document_template()
        count = len(tender.document_ids)
        self.assertEqual(count, 7)
        self.assertEqual(set(tender.document_ids.mapped("state")), {"todo"})
        tender.action_apply_document_template()
        self.assertEqual(len(tender.document_ids), count, "not twice")
        guarantee = self.env["kam.tender.guarantee"].create(
            {
                "tender_id": tender.id,
                "amount": 5000,
                "date_issue": self._days(0),
                "date_expiry": self._days(60),
            }
        )
        # notice = 10 days
        self.assertEqual(guarantee.activity_id.date_deadline, self._days(50))
        self.assertEqual(guarantee.activity_id.user_id, self.kam_user)
        guarantee.date_expiry = self._days(90)
        self.assertEqual(guarantee.activity_id.date_deadline, self._days(80))
        activity = guarantee.activity_id
        guarantee.date_returned = self._days(5)
        self.assertFalse(activity.exists())
        with self.assertRaises(ValidationError):
            guarantee.date_issue = self._days(100)


@tagged("post_install", "-at_install")
class TestTenderAward(TenderCommon):
    def test_own_bid_in_comparison_and_award_consistency(self):
        tender = self._tender(
            bid_amount=1000,
            date_submission=self._days(-10),
            stage_id=self.stage_submitted.id,
        )
        own = tender.bid_ids.filtered("is_own")
        self.assertEqual(own.partner_id, self.company.partner_id)
        self.assertEqual(own.amount, 1000)
        tender.bid_amount = 950
        self.assertEqual(own.amount, 950)
        rival = self.env["kam.tender.bid"].create(
            {"tender_id": tender.id, "partner_id": self.competitor.id, "amount": 900}
        )
        self.assertTrue(self.competitor.kam_is_competitor)
        self.assertFalse(self.company.partner_id.kam_is_competitor)
        # lost to a company without a bid line: refused
        with self.assertRaises(ValidationError):
            tender.write(
                {
                    "stage_id": self.stage_lost.id,
                    "loss_reason_id": self.loss_reason.id,
                    "awarded_partner_id": self.competitor_2.id,
                }
            )
        # a won tender awarded to a competitor: refused
        with self.assertRaises(ValidationError):
            tender.write(
                {
                    "stage_id": self.stage_won.id,
                    "awarded_partner_id": rival.partner_id.id,
                }
            )
        # a lost tender awarded to ourselves: refused
        with self.assertRaises(ValidationError):
            tender.write(
                {
                    "stage_id": self.stage_lost.id,
                    "loss_reason_id": self.loss_reason.id,
                    "awarded_partner_id": self.company.partner_id.id,
                }
            )
        tender.write(
            {
                "stage_id": self.stage_lost.id,
                "loss_reason_id": self.loss_reason.id,
                "awarded_partner_id": self.competitor.id,
                "awarded_amount": 900,
            }
        )
        self.assertTrue(rival.is_winner)
        self.assertFalse(own.is_winner)
        self.assertEqual(tender.bid_ids.filtered("is_winner"), rival)
        # the awarded company cannot lose its bid line
        with self.assertRaises(ValidationError):
            rival.partner_id = self.competitor_2

    def test_won_tender_is_awarded_to_us(self):
        tender = self._tender(bid_amount=500, date_submission=self._days(-5))
        tender.stage_id = self.stage_won
        self.assertEqual(tender.awarded_partner_id, self.company.partner_id)
        self.assertEqual(tender.awarded_amount, 500)
        self.assertTrue(tender.bid_ids.filtered("is_own").is_winner)
        self.assertEqual(tender.won_percent, 100)

    def test_win_rate_on_hand_built_data(self):
        def tender(stage, user):
            return self._tender(
                stage_id=stage.id, date_submission=self._days(-30), user_id=user.id
            )

        won = self.stage_won
        lost = self.stage_lost
        tender(won, self.kam_user)
        tender(won, self.kam_user)
        tender(won, self.kam_user_other)
        tender(lost, self.kam_user_other)
        tender(self.stage_cancelled, self.kam_user)
        self._tender()  # open, does not count
        self.assertEqual(self.customer.kam_tender_count, 6)
        self.assertEqual(self.customer.kam_tender_won_count, 3)
        self.assertEqual(self.customer.kam_tender_lost_count, 1)
        self.assertAlmostEqual(self.customer.kam_tender_win_rate, 75.0)
        # a contact shows its company's history
        contact = self.env["res.partner"].create(
            {"name": "Buyer Contact", "parent_id": self.customer.id}
        )
        self.assertEqual(contact.kam_tender_win_rate, 75.0)
        # by KAM, over won and lost tenders (the win-rate analysis domain)
        groups = self.env["kam.tender"]._read_group(
            [("partner_id", "=", self.customer.id), ("outcome", "in", ("won", "lost"))],
            ["user_id"],
            ["won_percent:avg"],
        )
        self.assertEqual(
            {user: rate for user, rate in groups},
            {self.kam_user: 100.0, self.kam_user_other: 50.0},
        )

    def test_competitor_win_rate(self):
        for winner in (self.competitor, self.competitor_2, self.competitor):
            tender = self._tender(date_submission=self._days(-30))
            self.env["kam.tender.bid"].create(
                [
                    {"tender_id": tender.id, "partner_id": self.competitor.id},
                    {"tender_id": tender.id, "partner_id": self.competitor_2.id},
                ]
            )
            tender.write(
                {
                    "stage_id": self.stage_lost.id,
                    "loss_reason_id": self.loss_reason.id,
                    "awarded_partner_id": winner.id,
                }
            )
        groups = dict(
            self.env["kam.tender.bid"]._read_group(
                [("customer_id", "=", self.customer.id)],
                ["partner_id"],
                ["won_percent:avg"],
            )
        )
        self.assertAlmostEqual(groups[self.competitor], 200 / 3)
        self.assertAlmostEqual(groups[self.competitor_2], 100 / 3)


@tagged("post_install", "-at_install")
class TestTenderNext(TenderCommon):
    def _cron(self):
        """The tenders the daily job creates for our hand-built customer."""
        created = self.env["kam.tender"]._cron_create_next_tenders()
        return created.filtered(lambda t: t.partner_id == self.customer)

    def test_won_contract_creates_next_tender_once(self):
        tender = self._tender(
            name="Cranes",
            stage_id=self.stage_won.id,
            date_submission=self._days(-400),
            date_contract_start=self._days(-300),
            date_contract_end=self._days(300),
            awarded_amount=777,
            team_user_ids=[(6, 0, [self.kam_user_other.id])],
        )
        far = self._tender(
            name="Far",
            stage_id=self.stage_won.id,
            date_submission=self._days(-400),
            date_contract_end=self._days(500),
        )
        lost = self._tender(
            name="Lost",
            stage_id=self.stage_lost.id,
            date_submission=self._days(-400),
            date_contract_end=self._days(100),
        )
        created = self._cron()
        self.assertEqual(created.previous_tender_id, tender)
        self.assertEqual(created.stage_id, self.stage_watch)
        self.assertEqual(created.partner_id, self.customer)
        self.assertEqual(created.user_id, self.kam_user)
        self.assertEqual(created.estimated_value, 777)
        self.assertEqual(created.team_user_ids, self.kam_user_other)
        self.assertFalse(far.next_tender_ids)
        self.assertFalse(lost.next_tender_ids)
        # never twice, even when the next tender is archived
        created.active = False
        self.assertFalse(self._cron())
        # the lead time is configurable
        self.company.kam_tender_retender_months = 18
        self.assertEqual(self._cron().previous_tender_id, far)

    def test_next_tenders_in_batches(self):
        for name in ("A", "B"):
            self._tender(
                name=name,
                stage_id=self.stage_won.id,
                date_submission=self._days(-400),
                date_contract_end=self._days(30),
            )
        created = self.env["kam.tender"]
        for _run in range(10):
            batch = self.env["kam.tender"]._cron_create_next_tenders(batch_size=1)
            self.assertLessEqual(len(batch), 2, "one tender and one order at most")
            created |= batch
            if not batch:
                break
        mine = created.filtered(lambda t: t.partner_id == self.customer)
        self.assertEqual(sorted(mine.previous_tender_id.mapped("name")), ["A", "B"])

    def test_sale_order_contract_end_creates_next_tender_once(self):
        product = self.env["product.product"].create(
            {"name": "Maintenance", "list_price": 100}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": product.id})],
                "kam_contract_end_date": self._days(200),
            }
        )
        self.assertFalse(self._cron())
        order.action_confirm()
        created = self._cron()
        self.assertEqual(created.source_sale_order_id, order)
        self.assertEqual(created.partner_id, self.customer)
        self.assertEqual(created.estimated_value, 100)
        self.assertFalse(self._cron())


@tagged("post_install", "-at_install")
class TestTenderSales(TenderCommon):
    def test_create_opportunity_and_quotation_from_tender(self):
        tender = self._tender(estimated_value=5000, probability=30)
        tender.action_create_opportunity()
        lead = tender.lead_id
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.kam_tender_id, tender)
        self.assertEqual(lead.expected_revenue, 5000)
        tender.action_create_opportunity()
        self.assertEqual(tender.lead_id, lead, "not twice")
        action = tender.action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.kam_tender_id, tender)
        self.assertEqual(order.opportunity_id, lead)
        product = self.env["product.product"].create(
            {"name": "Service", "list_price": 1234}
        )
        order.order_line = [(0, 0, {"product_id": product.id})]
        self.assertEqual(tender.bid_amount, 1234)
        own = tender.bid_ids.filtered("is_own")
        self.assertEqual(own.amount, 1234)
        order.order_line.price_unit = 1300
        self.assertEqual(tender.bid_amount, 1300)
        self.assertEqual(own.amount, 1300, "our bid line follows the quotation")
        self.assertEqual(tender.sale_order_count, 1)
        tender.bid_cost = 1000
        self.assertEqual(tender.bid_margin, 300)
        self.assertAlmostEqual(tender.bid_margin_percent, 300 / 1300 * 100)

    def test_create_tender_from_opportunity_once(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Cranes signal",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "expected_revenue": 800,
                "probability": 25,
            }
        )
        lead.action_kam_create_tender()
        tender = lead.kam_tender_id
        self.assertEqual(tender.lead_id, lead)
        self.assertEqual(tender.partner_id, self.customer)
        self.assertEqual(tender.estimated_value, 800)
        self.assertEqual(tender.probability, 25)
        with self.assertRaises(UserError):
            lead.action_kam_create_tender()
        orphan = self.env["crm.lead"].create({"name": "No customer"})
        with self.assertRaises(UserError):
            orphan.action_kam_create_tender()
        self.assertFalse(orphan.kam_tender_id)

    def test_tender_from_partner_form(self):
        action = self.customer.action_kam_view_tenders()
        with Form(
            self.env["kam.tender"]
            .with_user(self.kam_manager)
            .with_context(**action["context"])
        ) as form:
            form.name = "From the key account"
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.user_id, self.kam_user)
        tender = form.record
        self.assertEqual(tender.team_user_ids, self.kam_manager)
        self.assertEqual(self.customer.kam_tender_count, 1)
