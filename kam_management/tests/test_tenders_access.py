# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_tenders_common import TenderCommon


@tagged("post_install", "-at_install")
class TestTenderAccess(TenderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_member = new_test_user(
            cls.env,
            login="tender_team_test",
            name="Tender Team Member",
            groups="kam_management.group_kam_user",
        )
        # customer's KAM = kam_user; team member in the tender team; the other
        # KAM user has nothing to do with it
        cls.tender = cls._tender(
            user_id=cls.kam_manager.id,
            team_user_ids=[(6, 0, [cls.team_member.id])],
            date_submission=cls.today,
        )
        cls.milestone = cls.env["kam.tender.milestone"].create(
            {"tender_id": cls.tender.id, "name": "Draft", "date": cls.today}
        )

    def test_team_member_and_customer_kam_edit(self):
        for user in (self.team_member, self.kam_user, self.kam_manager):
            tender = self.tender.with_user(user)
            tender.write({"estimated_value": 100 + user.id})
            self.assertEqual(tender.estimated_value, 100 + user.id)
            self.milestone.with_user(user).write({"name": f"Draft {user.id}"})
            self.env["kam.tender.bid"].with_user(user).create(
                {"tender_id": self.tender.id, "partner_id": user.partner_id.id}
            )

    def test_other_kam_user_reads_only(self):
        tender = self.tender.with_user(self.kam_user_other)
        self.assertEqual(tender.name, "Tender Test")
        self.assertEqual(
            tender.milestone_ids.with_user(self.kam_user_other).name, "Draft"
        )
        with self.assertRaises(AccessError):
            tender.write({"estimated_value": 1})
        with self.assertRaises(AccessError):
            self.milestone.with_user(self.kam_user_other).write({"done": True})
        with self.assertRaises(AccessError):
            self.env["kam.tender.bid"].with_user(self.kam_user_other).create(
                {"tender_id": self.tender.id, "partner_id": self.competitor.id}
            )
        with self.assertRaises(AccessError):
            tender.unlink()
        # nor create a tender for a customer that is not theirs, for somebody else
        with self.assertRaises(AccessError):
            self.env["kam.tender"].with_user(self.kam_user_other).create(
                {
                    "name": "Not mine",
                    "partner_id": self.customer.id,
                    "user_id": self.kam_user.id,
                    "team_user_ids": [(6, 0, [])],
                }
            )

    def test_kam_user_creates_own_tender(self):
        tender = (
            self.env["kam.tender"]
            .with_user(self.kam_user_other)
            .create({"name": "Mine", "partner_id": self.other_customer.id})
        )
        self.assertIn(self.kam_user_other, tender.team_user_ids)
        tender.write({"estimated_value": 10})

    def test_manager_does_everything(self):
        tender = self.tender.with_user(self.kam_manager)
        tender.write({"team_user_ids": [(5,)], "user_id": self.kam_user_other.id})
        tender.unlink()
        self.assertFalse(self.tender.exists())

    def test_configuration_read_only_for_users(self):
        stage = self.stage_watch.with_user(self.kam_user)
        self.assertEqual(stage.name, "Watch")
        with self.assertRaises(AccessError):
            stage.write({"name": "Look"})
        with self.assertRaises(AccessError):
            self.template.with_user(self.kam_user).write({"name": "Mine"})

    def test_sales_user_without_kam_group_has_no_access(self):
        with self.assertRaises(AccessError):
            self.tender.with_user(self.sales_user).read(["name"])

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other Co Test"})
        self.kam_manager.write({"company_ids": [(4, other_company.id)]})
        tender = self.env["kam.tender"].create(
            {
                "name": "Other company tender",
                "partner_id": self.other_customer.id,
                "company_id": other_company.id,
            }
        )
        with self.assertRaises(AccessError):
            tender.with_user(self.kam_user).read(["name"])
        # the manager sees it only when the company is active
        found = (
            self.env["kam.tender"]
            .with_user(self.kam_manager)
            .with_context(allowed_company_ids=[other_company.id])
            .search([("id", "=", tender.id)])
        )
        self.assertEqual(found, tender)


@tagged("post_install", "-at_install")
class TestTenderKanbanQueries(TenderCommon):
    def _kanban_read(self, tenders):
        spec = {
            "name": {},
            "reference": {},
            "stage_id": {"fields": {"display_name": {}}},
            "partner_id": {"fields": {"display_name": {}}},
            "user_id": {"fields": {"display_name": {}}},
            "currency_id": {"fields": {}},
            "date_submission": {},
            "deadline_state": {},
            "days_to_deadline": {},
            "estimated_value": {},
            "color": {},
            "activity_ids": {"fields": {}},
            "activity_state": {},
        }
        model = self.env["kam.tender"].with_user(self.kam_manager)
        model.invalidate_model()
        self.env["res.partner"].invalidate_model()
        return model.web_search_read([("id", "in", tenders.ids)], spec)

    def _make(self, count):
        partners = self.env["res.partner"].create(
            [{"name": f"Buyer {i}", "is_company": True} for i in range(count)]
        )
        return self.env["kam.tender"].create(
            [
                {
                    "name": f"Kanban {i}",
                    "partner_id": partner.id,
                    "user_id": (self.kam_user, self.kam_user_other)[i % 2].id,
                    "date_submission": self._days(i),
                    "estimated_value": 1000 * i,
                }
                for i, partner in enumerate(partners)
            ]
        )

    def test_kanban_query_count_independent_of_size(self):
        small = self._make(3)
        large = self._make(30)
        self._kanban_read(small)  # warm-up
        counts = []
        for tenders in (small, large):
            before = self.cr.sql_log_count
            result = self._kanban_read(tenders)
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(result["length"], len(tenders))
            self.assertEqual(
                {r["partner_id"]["display_name"] for r in result["records"]},
                set(tenders.partner_id.mapped("display_name")),
            )
        self.assertGreater(counts[0], 0)
        self.assertEqual(counts[0], counts[1], counts)
        with self.assertQueryCount(counts[0]):
            self._kanban_read(large)
