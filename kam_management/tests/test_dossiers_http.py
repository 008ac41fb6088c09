# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

PERSONAL_FIELDS = {
    "kam_birthdate",
    "kam_hobbies",
    "kam_family",
    "kam_values",
    "kam_character_traits",
    "kam_preferred_channel",
    "kam_preferred_time",
    "kam_personal_notes",
}
ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestDossiersHttp(HttpCase):
    """Personal data over the wire: the web client's RPC and external
    JSON-RPC give nothing of it to a user without the personal-data group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kam_user = new_test_user(
            cls.env,
            login="kam_http_user",
            password="kam_http_user_pw",
            name="KAM HTTP User",
            groups="kam_management.group_kam_manager,base.group_allow_export",
        )
        cls.confidant = new_test_user(
            cls.env,
            login="kam_http_confidant",
            password="kam_http_confidant_pw",
            name="KAM HTTP Confidant",
            groups="kam_management.group_kam_user,kam_management.group_kam_personal_data",
        )
        # the confidant serves the person's account
        account = cls.env["res.partner"].create(
            {
                "name": "Wire Account",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_user_id": cls.confidant.id,
            }
        )
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Wire Person",
                "parent_id": account.id,
                "kam_birthdate": "1980-06-01",
                "kam_hobbies": "Fishing",
                "kam_values": "Trust",
            }
        )

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _execute_kw(self, login, password, model, method, args, kwargs=None):
        uid = self.make_jsonrpc_request(
            "/jsonrpc",
            {
                "service": "common",
                "method": "login",
                "args": [self.env.cr.dbname, login, password],
            },
        )
        self.assertTrue(uid, "login refused")
        return self.make_jsonrpc_request(
            "/jsonrpc",
            {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    uid,
                    password,
                    model,
                    method,
                    args,
                    kwargs or {},
                ],
            },
        )

    @mute_logger("odoo.http")
    def test_call_kw_without_group(self):
        self.authenticate("kam_http_user", "kam_http_user_pw")
        ids = [self.person.id]
        with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
            self._call_kw("res.partner", "read", [ids, ["kam_hobbies"]])
        with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
            self._call_kw(
                "res.partner",
                "web_search_read",
                [[["kam_hobbies", "ilike", "fish"]]],
                {"specification": {"name": {}}},
            )
        with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
            self._call_kw(
                "res.partner",
                "web_read",
                [ids],
                {"specification": {"name": {}, "kam_birthdate": {}}},
            )
        with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
            self._call_kw(
                "res.partner",
                "web_read_group",
                [[], ["kam_preferred_channel"], ["kam_preferred_channel"]],
            )
        with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
            self._call_kw("res.partner", "export_data", [ids, ["name", "kam_values"]])
        rows = self._call_kw("res.partner", "read", [ids])
        self.assertFalse(PERSONAL_FIELDS & set(rows[0]))
        self.assertNotIn("Fishing", str(rows))
        described = self._call_kw("res.partner", "fields_get", [])
        self.assertFalse(PERSONAL_FIELDS & set(described))

    def test_call_kw_with_group(self):
        self.authenticate("kam_http_confidant", "kam_http_confidant_pw")
        rows = self._call_kw("res.partner", "read", [[self.person.id], ["kam_hobbies"]])
        self.assertEqual(rows[0]["kam_hobbies"], "Fishing")

    @mute_logger("odoo.http")
    def test_jsonrpc_without_group(self):
        login, password = "kam_http_user", "kam_http_user_pw"
        ids = [self.person.id]
        with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
            self._execute_kw(
                login, password, "res.partner", "read", [ids, ["kam_values"]]
            )
        with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
            self._execute_kw(
                login,
                password,
                "res.partner",
                "search_read",
                [[["kam_birthdate", "=", "1980-06-01"]]],
                {"fields": ["name"]},
            )
        with self.assertRaisesRegex(JsonRpcException, ACCESS_ERROR):
            self._execute_kw(
                login,
                password,
                "res.partner",
                "read_group",
                [[], ["kam_birthdate"], ["kam_birthdate:year"]],
            )
        rows = self._execute_kw(
            login, password, "res.partner", "search_read", [[["id", "in", ids]]]
        )
        self.assertFalse(PERSONAL_FIELDS & set(rows[0]))
        self.assertNotIn("Fishing", str(rows))

    def test_jsonrpc_with_group(self):
        rows = self._execute_kw(
            "kam_http_confidant",
            "kam_http_confidant_pw",
            "res.partner",
            "read",
            [[self.person.id], ["kam_values"]],
        )
        self.assertEqual(rows[0]["kam_values"], "Trust")


@tagged("post_install", "-at_install")
class TestDossiersTour(HttpCase):
    def test_org_chart_renders_in_browser(self):
        account = self.env["res.partner"].create(
            {"name": "Tour Account", "is_company": True}
        )
        boss, aide = self.env["res.partner"].create(
            [
                {"name": "Tour Boss", "parent_id": account.id},
                {"name": "Tour Aide", "parent_id": account.id},
            ]
        )
        dossier = self.env["kam.dossier"].create(
            {
                "partner_id": account.id,
                "member_ids": [
                    Command.create({"partner_id": aide.id, "attitude": "supporter"}),
                    Command.create({"partner_id": boss.id, "attitude": "opponent"}),
                ],
            }
        )
        members = {m.partner_id: m for m in dossier.member_ids}
        members[aide].reports_to_id = members[boss]
        self.start_tour(
            f"/odoo/kam.dossier/{dossier.id}", "kam_dossier_org_chart", login="admin"
        )

    def test_quotation_buying_group_in_browser(self):
        role = self.env["kam.decision.role"].create(
            {"name": "Tour CEO", "argument_hint": "Values exclusivity and status"}
        )
        account = self.env["res.partner"].create(
            {"name": "Tour Buyer", "is_company": True, "kam_is_key_account": True}
        )
        boss = self.env["res.partner"].create(
            {"name": "Tour Boss", "parent_id": account.id}
        )
        self.env["kam.dossier"].create(
            {
                "partner_id": account.id,
                "member_ids": [
                    Command.create({"partner_id": boss.id, "role_id": role.id})
                ],
            }
        )
        order = self.env["sale.order"].create({"partner_id": account.id})
        self.start_tour(
            f"/odoo/sale.order/{order.id}", "kam_quotation_buying_group", login="admin"
        )
