# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .kpi_common import KpiCommon


@tagged("post_install", "-at_install")
class TestKpiAccess(KpiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.team"].create(
            {
                "name": "Key accounts Riga",
                "user_id": cls.kam_manager.id,
                "member_ids": [Command.link(cls.kam_user.id)],
            }
        )
        users = cls.kam_user | cls.kam_user_other | cls.kam_manager
        cls.rule = cls._rule("calls", 30, users)
        cls.rule._evaluate(today=date(2026, 3, 10))
        cls.results = cls.rule.result_ids

    def test_user_sees_own_results(self):
        visible = self.env["kam.kpi.result"].with_user(self.kam_user).search([])
        self.assertEqual(visible.user_id, self.kam_user)
        other = self.results.filtered(lambda r: r.user_id == self.kam_user_other)
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).read(["value"])

    def test_manager_sees_team_results(self):
        visible = self.env["kam.kpi.result"].with_user(self.kam_manager).search([])
        self.assertEqual(visible.user_id, self.kam_user | self.kam_manager)
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            self.env["kam.kpi.result"]
            .with_user(admin)
            .search([("rule_id", "=", self.rule.id)]),
            self.results,
        )

    def test_nobody_edits_results(self):
        mine = self.results.filtered(lambda r: r.user_id == self.kam_user)
        admin = self.env.ref("base.user_admin")
        for user in (self.kam_user, self.kam_manager, admin):
            with self.assertRaises(AccessError):
                mine.with_user(user).write({"value": 99})
            with self.assertRaises(AccessError):
                mine.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env["kam.kpi.result"].with_user(user).create(
                    {
                        "rule_id": self.rule.id,
                        "user_id": user.id,
                        "company_id": self.rule.company_id.id,
                        "period": "month",
                        "date_from": date(2026, 1, 1),
                        "date_to": date(2026, 1, 31),
                    }
                )

    def test_rules_configured_by_managers_only(self):
        with self.assertRaises(AccessError):
            self.rule.with_user(self.kam_user).write({"target": 1})
        self.assertEqual(self.rule.with_user(self.kam_user).name, self.rule.name)
        self.rule.with_user(self.kam_manager).write({"target": 25})
        self.assertEqual(self.rule.target, 25)
        # a user reads their own per-user targets only
        Target = self.env["kam.kpi.target"]
        targets = Target.create(
            [
                {
                    "rule_id": self.rule.id,
                    "user_id": user.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                    "target": 10,
                }
                for user in (self.kam_user, self.kam_user_other)
            ]
        )
        self.assertEqual(Target.with_user(self.kam_user).search([]), targets[0])
        with self.assertRaises(AccessError):
            targets[0].with_user(self.kam_user).write({"target": 1})
        # the team leader sets the team's targets, not their own
        targets[0].with_user(self.kam_manager).target = 12
        self.assertEqual(targets[0].target, 12)
        own = Target.create(
            {
                "rule_id": self.rule.id,
                "user_id": self.kam_manager.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "target": 10,
            }
        )
        with self.assertRaises(AccessError):
            own.with_user(self.kam_manager).write({"target": 1})
