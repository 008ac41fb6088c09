# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..models.kam_cockpit import group_share_reading, hhi_reading, top1_reading
from .test_keyaccounts_classification import KeyAccountCommon

# queries of get_cockpit_data beyond one per tile: the user's groups and
# company, the deciding policy and its run, the fields read by a tile after
# its grouped read or count (names of the partners, rules of the KPI results,
# the run's currency), the document access check of the activities
QUERY_OVERHEAD = 12


class CockpitCommon(KeyAccountCommon):
    """Two runs of the deciding policy of a fresh company: yesterday (A 5000,
    B 3000, C 1000, D 1000) and today, after another 2000 for B (A 5000,
    B 5000, C 1000, D 1000; E stays loss-making at -300)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.kam_user, cls.kam_user_other, cls.kam_manager):
            user.company_ids |= cls.company
            user.company_id = cls.company
        cls.policy = cls.env["kam.classification.policy"].create(
            {"name": "Cockpit policy", "basis": "revenue", "company_id": cls.company.id}
        )
        cls.first_run = cls.policy._run_classification(cls.today - timedelta(days=1))
        cls._invoice(cls.cust_b, 2000)
        cls.last_run = cls.policy._run_classification(cls.today)
        cls.cust_b.kam_user_id = cls.kam_user_other

    def _cockpit(self, user=None, view=None):
        env = self.env(user=user) if user else self.env
        cockpit = env["kam.cockpit"].with_company(self.company)
        return {tile["key"]: tile for tile in cockpit.get_cockpit_data(view)["tiles"]}

    def _open(self, action):
        """The records an action of the cockpit opens."""
        if action.get("res_id"):
            return self.env[action["res_model"]].browse(action["res_id"])
        return (
            self.env[action["res_model"]]
            .with_company(self.company)
            .search(action["domain"])
        )

    def _health(self, partner, day, score, colour):
        return self.env["kam.health.score"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "date": day,
                "score": score,
                "colour": colour,
            }
        )


@tagged("post_install", "-at_install")
class TestCockpitReadings(KeyAccountCommon):
    def test_hhi_bands(self):
        env = self.env
        self.assertEqual(hhi_reading(env, 1499.99)[1], "unconcentrated")
        self.assertEqual(hhi_reading(env, 1500)[1], "moderate concentration")
        self.assertEqual(hhi_reading(env, 2500)[1], "moderate concentration")
        self.assertEqual(hhi_reading(env, 2500.01)[1], "high concentration")

    def test_top1_bands(self):
        env = self.env
        self.assertEqual(top1_reading(env, 20, 20, 70)[1], "no critical dependence")
        self.assertEqual(top1_reading(env, 20.01, 20, 70)[1], "critical dependence")
        self.assertEqual(top1_reading(env, 70, 20, 70)[1], "critical dependence")
        self.assertEqual(top1_reading(env, 70.01, 20, 70)[1], "mono-client")

    def test_top5_bands(self):
        env = self.env
        self.assertEqual(
            group_share_reading(env, 29.99, 30, 55, 75)[1], "below the normal range"
        )
        self.assertEqual(group_share_reading(env, 30, 30, 55, 75)[1], "normal")
        self.assertEqual(group_share_reading(env, 55, 30, 55, 75)[1], "normal")
        self.assertEqual(
            group_share_reading(env, 55.01, 30, 55, 75)[1], "above the normal range"
        )
        self.assertEqual(
            group_share_reading(env, 75.01, 30, 55, 75)[1], "mono-dependence"
        )


@tagged("post_install", "-at_install")
class TestCockpitDirector(CockpitCommon):
    def test_concentration_tiles_and_changes(self):
        tiles = self._cockpit(self.kam_manager)
        # net revenue of the period: every customer, the loss-maker included
        self.assertAlmostEqual(tiles["revenue"]["raw"]["revenue"], 11700.0)
        self.assertAlmostEqual(tiles["revenue"]["raw"]["margin"], 11700.0)
        top1 = tiles["top1"]
        self.assertAlmostEqual(top1["raw"]["share"], 5000 / 12000 * 100, places=2)
        self.assertEqual(top1["reading"], "critical dependence")  # 20 < 41.67 <= 70
        self.assertAlmostEqual(top1["delta"], -8.33, places=2)
        self.assertEqual(self._open(top1["action"]), self.cust_a)
        self.assertEqual(tiles["top5"]["reading"], "mono-dependence")  # 100 > 75
        self.assertAlmostEqual(tiles["top5"]["delta"], 0.0)
        hhi = tiles["hhi"]
        expected_hhi = 2 * (500 / 12) ** 2 + 2 * (100 / 12) ** 2
        self.assertAlmostEqual(hhi["raw"]["hhi"], expected_hhi, places=0)
        self.assertEqual(hhi["reading"], "high concentration")
        self.assertAlmostEqual(hhi["delta"], round(self.last_run.hhi - 3600, 2))
        self.assertEqual(self._open(hhi["action"]), self.last_run)
        key_share = tiles["key_share"]
        self.assertEqual(key_share["raw"]["reading"], self.last_run.key_share_reading)
        self.assertEqual(key_share["raw"]["reading"], "mono")  # A + B = 83.33 %
        self.assertEqual(key_share["reading"], "Mono-dependence")
        self.assertAlmostEqual(
            key_share["delta"],
            round(self.last_run.key_share - self.first_run.key_share, 2),
        )
        self.assertEqual(
            self._open(key_share["action"]).partner_id, self.cust_a | self.cust_b
        )

    def test_pareto_names_its_customers(self):
        pareto = self._cockpit(self.kam_manager)["pareto"]
        self.assertEqual(
            [row["label"] for row in pareto["rows"]],
            ["Cust A", "Cust B", "Cust C", "Cust D"],
        )
        self.assertEqual(
            [row["cumulative"] for row in pareto["rows"]], [41.67, 83.33, 91.67, 100.0]
        )
        self.assertEqual(self._open(pareto["rows"][1]["action"]), self.cust_b)
        self.assertEqual(len(self._open(pareto["action"])), 4)

    def test_key_accounts_tiers_unassigned_and_health(self):
        self._health(self.cust_a, self.today - timedelta(days=10), 80, "green")
        self._health(self.cust_a, self.today, 50, "amber")
        self._health(self.cust_b, self.today - timedelta(days=10), 60, "amber")
        self._health(self.cust_b, self.today, 70, "green")
        self.env["kam.health.score"]._kam_store_latest((self.cust_a | self.cust_b).ids)
        self.cust_b.kam_user_id = False
        tiles = self._cockpit(self.kam_manager)
        tiers = tiles["tiers"]
        self.assertEqual(tiers["raw"]["count"], 2)
        self.assertEqual(sum(row["count"] for row in tiers["rows"]), 2)
        self.assertEqual(self._open(tiers["action"]), self.cust_a | self.cust_b)
        for row in tiers["rows"]:
            self.assertEqual(len(self._open(row["action"])), row["count"])
        unassigned = tiles["unassigned"]
        self.assertEqual(unassigned["raw"]["count"], 1)
        self.assertEqual(self._open(unassigned["action"]), self.cust_b)
        health = {row["colour"]: row for row in tiles["health"]["rows"]}
        self.assertEqual(health["amber"]["count"], 1)
        self.assertEqual(health["green"]["count"], 1)
        self.assertEqual(health["red"]["count"], 0)
        self.assertEqual(self._open(health["amber"]["action"]), self.cust_a)
        falls = tiles["health_falls"]["rows"]
        self.assertEqual([row["label"] for row in falls], ["Cust A"])
        self.assertEqual(falls[0]["delta"], -30.0)

    def test_tenders_milestones_claims_and_kpis(self):
        tender = self.env["kam.tender"].create(
            {
                "name": "Soon",
                "partner_id": self.cust_a.id,
                "company_id": self.company.id,
                "date_submission": self.today + timedelta(days=10),
            }
        )
        self.env["kam.tender"].create(
            {
                "name": "Later",
                "partner_id": self.cust_a.id,
                "company_id": self.company.id,
                "date_submission": self.today + timedelta(days=40),
            }
        )
        milestone = self.env["kam.tender.milestone"].create(
            {
                "tender_id": tender.id,
                "name": "Price calculation",
                "date": self.today - timedelta(days=2),
                "user_id": self.kam_user.id,
            }
        )
        claim = self.env["kam.claim"].create(
            {
                "name": "Late delivery",
                "partner_id": self.cust_a.id,
                "company_id": self.company.id,
                "date_received": self.today - timedelta(days=10),
                "date_due": self.today - timedelta(days=1),
            }
        )
        rule = self.env["kam.kpi.rule"].create(
            {
                "name": "Calls",
                "measure": "calls",
                "target": 10,
                "period": "month",
                "company_id": self.company.id,
                "user_ids": [Command.set((self.kam_user | self.kam_user_other).ids)],
            }
        )
        month_start = self.today.replace(day=1)
        month_end = month_start + relativedelta(months=1, days=-1)
        Result = self.env["kam.kpi.result"].sudo()
        for user, attainment in ((self.kam_user, 0.0), (self.kam_user_other, 100.0)):
            Result.search(
                [("rule_id", "=", rule.id), ("user_id", "=", user.id)]
            ).unlink()
            Result.create(
                {
                    "rule_id": rule.id,
                    "user_id": user.id,
                    "company_id": self.company.id,
                    "period": "month",
                    "date_from": month_start,
                    "date_to": month_end,
                    "value": attainment / 10,
                    "target": 10,
                    "attainment": attainment,
                    "status": "in_progress",
                }
            )
        # the manager reads the results of the team he leads (record rules)
        self.env["crm.team"].create(
            {
                "name": "Cockpit team",
                "user_id": self.kam_manager.id,
                "company_id": self.company.id,
                "member_ids": [Command.set(self.kam_user.ids)],
            }
        )
        tiles = self._cockpit(self.kam_manager)
        self.assertEqual(tiles["tenders"]["raw"]["count"], 1)
        self.assertEqual(self._open(tiles["tenders"]["action"]), tender)
        self.assertEqual([row["label"] for row in tiles["tenders"]["rows"]], ["Soon"])
        self.assertEqual(tiles["milestones"]["raw"]["count"], 1)
        self.assertEqual(self._open(tiles["milestones"]["action"]), milestone)
        self.assertEqual(tiles["claims"]["raw"]["count"], 1)
        self.assertEqual(self._open(tiles["claims"]["action"]), claim)
        kpi = {row["label"]: row for row in tiles["kpi_team"]["rows"]}
        self.assertEqual(kpi["KAM User Test"]["behind"], 1)
        self.assertEqual(kpi["KAM User Test"]["reading"], "behind")
        self.assertNotIn("KAM User Other", kpi, "not in a team the manager leads")
        self.assertEqual(tiles["kpi_team"]["raw"]["behind_users"], 1)
        other = self._cockpit(self.kam_user_other)["my_kpi"]
        self.assertEqual(other["raw"], {"on_pace": 1, "behind": 0})
        # the KAM sees his own result, not his colleague's
        mine = self._cockpit(self.kam_user)["my_kpi"]
        self.assertEqual(mine["raw"], {"on_pace": 0, "behind": 1})
        self.assertEqual([row["attainment"] for row in mine["rows"]], [0.0])
        # and his overdue milestone
        overdue = self._cockpit(self.kam_user)["my_overdue"]
        self.assertEqual(overdue["raw"]["milestones"], 1)

    def test_query_count_independent_of_accounts(self):
        cockpit = self.env(user=self.kam_manager)["kam.cockpit"].with_company(
            self.company
        )

        def count_queries():
            # warm the caches (access rules, xmlids) on records read afresh
            self.env.invalidate_all()
            cockpit.get_cockpit_data()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            cockpit.get_cockpit_data()
            return self.env.cr.sql_log_count - start

        def add_accounts(count):
            partners = self.env["res.partner"].create(
                [{"name": f"Extra {i:02d}", "is_company": True} for i in range(count)]
            )
            for partner in partners:
                self._invoice(partner, 1200)
            self.policy._run_classification(self.today)
            for partner in partners:
                self._health(partner, self.today - timedelta(days=5), 70, "green")
                self._health(partner, self.today, 40, "red")
            self.env["kam.health.score"]._kam_store_latest(partners.ids)
            self.env.flush_all()

        # every customer from 1000 is key: the extra accounts are key accounts
        self.policy.absolute_threshold = 1000
        add_accounts(1)
        small = count_queries()
        key_small = (
            self.env["res.partner"]
            .with_company(self.company)
            .search_count([("kam_is_key_account", "=", True)])
        )
        add_accounts(12)
        large = count_queries()
        key_large = (
            self.env["res.partner"]
            .with_company(self.company)
            .search_count([("kam_is_key_account", "=", True)])
        )
        self.assertEqual(key_large - key_small, 12)
        self.assertEqual(small, large)
        tiles = len(cockpit.get_cockpit_data()["tiles"])
        self.assertLessEqual(large, tiles + QUERY_OVERHEAD, f"{large} queries")

    def test_kam_query_count_independent_of_accounts(self):
        """The KAM's cockpit costs the same queries with 3 and 30 accounts
        served, each with health scores, a tender, a milestone and an
        overdue activity."""
        self.cust_a.kam_user_id = False
        self.assertEqual(self._kam_cockpit_size(self.kam_user), 0)
        small, tiles = self._kam_cockpit_queries(3)
        self.assertEqual(self._kam_cockpit_size(self.kam_user), 3)
        large, __ = self._kam_cockpit_queries(27)
        self.assertEqual(self._kam_cockpit_size(self.kam_user), 30)
        self.assertEqual(small, large)
        self.assertLessEqual(large, tiles + QUERY_OVERHEAD, f"{large} queries")

    def _kam_cockpit_size(self, user):
        return self._cockpit(user)["my_accounts"]["raw"]["count"]

    def _kam_cockpit_queries(self, count):
        """Add ``count`` key accounts served by the KAM user, then the queries
        of his cockpit (caches warm, records read afresh) and its tiles."""
        Partner = self.env["res.partner"].with_company(self.company)
        start = Partner.search_count([("name", "=like", "Served %")])
        partners = Partner.create(
            [
                {
                    "name": f"Served {start + i:02d}",
                    "is_company": True,
                    "kam_user_id": self.kam_user.id,
                    "kam_is_key_account": True,
                }
                for i in range(count)
            ]
        )
        for partner in partners:
            self._health(partner, self.today - timedelta(days=5), 70, "green")
            self._health(partner, self.today, 40, "red")
        self.env["kam.health.score"]._kam_store_latest(partners.ids)
        tenders = self.env["kam.tender"].create(
            [
                {
                    "name": f"Tender of {partner.name}",
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "user_id": self.kam_user.id,
                    "date_submission": self.today + timedelta(days=5),
                }
                for partner in partners
            ]
        )
        self.env["kam.tender.milestone"].create(
            [
                {
                    "tender_id": tender.id,
                    "name": "Price calculation",
                    "date": self.today - timedelta(days=2),
                    "user_id": self.kam_user.id,
                }
                for tender in tenders
            ]
        )
        for partner in partners:
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.today - timedelta(days=1),
                user_id=self.kam_user.id,
            )
        self.env.flush_all()
        cockpit = self.env(user=self.kam_user)["kam.cockpit"].with_company(self.company)
        self.env.invalidate_all()
        data = cockpit.get_cockpit_data()
        overdue = {tile["key"]: tile for tile in data["tiles"]}["my_overdue"]
        # the activities scheduled here (the tenders may schedule their own)
        self.assertGreaterEqual(overdue["raw"]["activities"], start + count)
        self.assertEqual(overdue["raw"]["milestones"], start + count)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        cockpit.get_cockpit_data()
        return self.env.cr.sql_log_count - before, len(data["tiles"])


@tagged("post_install", "-at_install")
class TestCockpitAccess(CockpitCommon):
    def test_kam_user_has_no_director_view(self):
        with self.assertRaises(AccessError):
            self._cockpit(self.kam_user, view="director")
        with self.assertRaises(AccessError):
            self._cockpit(self.sales_user)
        with self.assertRaises(UserError):
            self._cockpit(self.kam_manager, view="board")
        data = (
            self.env(user=self.kam_user)["kam.cockpit"]
            .with_company(self.company)
            .get_cockpit_data()
        )
        self.assertEqual(data["view"], "kam")
        self.assertFalse(data["can_switch"])

    def test_kam_sees_only_the_accounts_he_serves(self):
        self._health(self.cust_a, self.today - timedelta(days=3), 60, "amber")
        self._health(self.cust_a, self.today, 65, "amber")
        self._health(self.cust_b, self.today, 90, "green")
        self.env["kam.health.score"]._kam_store_latest((self.cust_a | self.cust_b).ids)
        self.env["kam.tender"].create(
            {
                "name": "Tender of B",
                "partner_id": self.cust_b.id,
                "company_id": self.company.id,
                "date_submission": self.today + timedelta(days=5),
            }
        )
        tiles = self._cockpit(self.kam_user)
        self.assertNotIn("hhi", tiles)
        self.assertNotIn("revenue", tiles)
        mine = tiles["my_accounts"]
        self.assertEqual([row["label"] for row in mine["rows"]], ["Cust A"])
        self.assertEqual(mine["rows"][0]["trend"], "up")
        self.assertEqual(mine["raw"]["count"], 1)
        self.assertEqual(self._open(mine["action"]), self.cust_a)
        self.assertEqual(tiles["tenders"]["raw"]["count"], 0)
        # the other KAM sees B and its tender, not A
        other = self._cockpit(self.kam_user_other)
        self.assertEqual(
            [row["label"] for row in other["my_accounts"]["rows"]], ["Cust B"]
        )
        self.assertEqual(other["tenders"]["raw"]["count"], 1)
        # a manager's own view is the accounts he serves: none here
        manager_mine = self._cockpit(self.kam_manager, view="kam")
        self.assertEqual(manager_mine["my_accounts"]["raw"]["count"], 0)

    def test_greetings_only_for_personal_data_group(self):
        self.assertNotIn("greetings", self._cockpit(self.kam_user))
        self.kam_user.groups_id |= self.env.ref(
            "kam_management.group_kam_personal_data"
        )
        greetings = self._cockpit(self.kam_user)["greetings"]
        self.assertEqual(greetings["raw"]["count"], 0)


@tagged("post_install", "-at_install")
class TestCockpitDemo(HttpCase):
    def test_server_time_on_demo_data(self):
        admin = self.env.ref("base.user_admin")
        cockpit = self.env(user=admin)["kam.cockpit"]
        cockpit.get_cockpit_data()
        self.env.invalidate_all()
        start = time.perf_counter()
        data = cockpit.get_cockpit_data()
        elapsed = time.perf_counter() - start
        self.assertIn("hhi", {tile["key"] for tile in data["tiles"]})
        self.assertLess(elapsed, 1.0, f"cockpit computed in {elapsed:.3f} s")

    def test_rpc_refuses_the_director_view_to_a_kam(self):
        new_test_user(
            self.env,
            login="kam_cockpit_rpc",
            groups="kam_management.group_kam_user",
        )
        self.authenticate("kam_cockpit_rpc", "kam_cockpit_rpc")
        route = "/web/dataset/call_kw/kam.cockpit/get_cockpit_data"
        params = {"model": "kam.cockpit", "method": "get_cockpit_data", "args": []}
        data = self.make_jsonrpc_request(route, params | {"kwargs": {}})
        self.assertEqual(data["view"], "kam")
        self.assertNotIn("hhi", {tile["key"] for tile in data["tiles"]})
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(route, params | {"kwargs": {"view": "director"}})

    def test_director_tour(self):
        self.start_tour("/odoo", "kam_cockpit_director_tour", login="admin")

    def test_kam_tour(self):
        kam = new_test_user(
            self.env,
            login="kam_cockpit_tour",
            name="Cockpit KAM",
            groups="kam_management.group_kam_user",
        )
        partner = self.env.ref("kam_management.demo_partner_baltic_rail")
        partner.kam_user_id = kam
        self.start_tour("/odoo", "kam_cockpit_kam_tour", login="kam_cockpit_tour")


@tagged("post_install", "-at_install")
class TestParetoGraph(KeyAccountCommon):
    def test_pareto_graph_names_its_customers_in_rank_order(self):
        arch = self.env["kam.classification.line"].get_views(
            [
                (
                    self.env.ref(
                        "kam_management.kam_classification_line_view_graph_pareto"
                    ).id,
                    "graph",
                )
            ]
        )["views"]["graph"]["arch"]
        graph = etree.fromstring(arch)
        rows = [
            node.get("name")
            for node in graph.iter("field")
            if node.get("type") != "measure"
        ]
        self.assertEqual(rows, ["partner_id"])
        # the cumulative share grows with the rank: ascending is rank order
        self.assertEqual(graph.get("order"), "asc")
        run = self._policy()._run_classification(self.today)
        groups = self.env["kam.classification.line"]._read_group(
            [("run_id", "=", run.id), ("rank", "!=", False)],
            ["partner_id"],
            ["cumulative_share:max", "rank:min"],
        )
        by_share = [partner for partner, __, __ in sorted(groups, key=lambda g: g[1])]
        by_rank = [partner for partner, __, __ in sorted(groups, key=lambda g: g[2])]
        self.assertEqual(by_share, by_rank)
