# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .dossiers_common import DossiersCommon


@tagged("post_install", "-at_install")
class TestOrgChart(DossiersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        members = {m.partner_id: m for m in cls.dossier.member_ids}
        cls.m_ceo = members[cls.ceo]
        cls.m_cfo = members[cls.cfo]
        cls.m_engineer = members[cls.engineer]
        cls.m_other = cls.other_dossier.member_ids

    def test_action_opens_hierarchy_of_the_dossier(self):
        action = self.dossier.with_user(self.kam_user).action_kam_open_org_chart()
        self.assertEqual(action["res_model"], "kam.dossier.member")
        self.assertEqual(action["views"][0][1], "hierarchy")
        self.assertEqual(action["domain"], [("dossier_id", "=", self.dossier.id)])
        self.assertEqual(
            self.env["ir.ui.view"].browse(action["views"][0][0]).type, "hierarchy"
        )
        view = (
            self.env["kam.dossier.member"]
            .with_user(self.kam_user)
            .get_view(action["views"][0][0], "hierarchy")
        )
        for fname in ("partner_id", "function", "role_id", "influence", "attitude"):
            self.assertIn(f'name="{fname}"', view["arch"])
        self.assertIn('parent_field="reports_to_id"', view["arch"])
        self.assertIn('draggable="1"', view["arch"])

    def test_card_colour_follows_attitude(self):
        colours = {}
        for attitude in ("supporter", "mentor", "neutral", "non_supporter", "opponent"):
            self.m_engineer.attitude = attitude
            colours[attitude] = self.m_engineer.attitude_color
        self.assertEqual(colours["supporter"], colours["mentor"])
        self.assertEqual(colours["neutral"], 0)  # grey card
        self.assertEqual(
            len(
                {
                    colours[a]
                    for a in ("supporter", "neutral", "non_supporter", "opponent")
                }
            ),
            4,
        )

    def test_drag_and_drop_writes_reports_to(self):
        members = self.env["kam.dossier.member"].with_user(self.kam_user)
        # what the hierarchy view sends on a drop: write of the parent field
        members.browse(self.m_cfo.id).write({"reports_to_id": self.m_ceo.id})
        members.browse(self.m_engineer.id).write({"reports_to_id": self.m_cfo.id})
        self.assertEqual(self.m_ceo.subordinate_ids, self.m_cfo)
        self.assertEqual(self.m_cfo.subordinate_ids, self.m_engineer)
        data = members.hierarchy_read(
            [("dossier_id", "=", self.dossier.id)],
            ["partner_id", "reports_to_id"],
            "reports_to_id",
            "subordinate_ids",
        )
        self.assertIn(self.m_cfo.id, [row["id"] for row in data])

    def test_drag_and_drop_refuses_a_loop(self):
        self.m_cfo.reports_to_id = self.m_ceo
        self.m_engineer.reports_to_id = self.m_cfo
        with self.assertRaisesRegex(ValidationError, "loop"), self.cr.savepoint():
            self.m_ceo.with_user(self.kam_user).write(
                {"reports_to_id": self.m_engineer.id}
            )
        self.m_ceo.invalidate_recordset()
        self.assertFalse(self.m_ceo.reports_to_id)
        with self.assertRaisesRegex(ValidationError, "loop"):
            self.m_ceo.reports_to_id = self.m_ceo

    def test_reports_to_stays_in_the_dossier(self):
        with (
            self.assertRaisesRegex(ValidationError, "same dossier"),
            self.cr.savepoint(),
        ):
            self.m_cfo.reports_to_id = self.m_other
        self.m_cfo.invalidate_recordset()
        self.assertFalse(self.m_cfo.reports_to_id)


@tagged("post_install", "-at_install")
class TestOrgChartWebSave(HttpCase, DossiersCommon):
    def test_drop_through_web_save(self):
        members = {m.partner_id: m for m in self.dossier.member_ids}
        cfo, ceo, other = (
            members[self.cfo],
            members[self.ceo],
            self.other_dossier.member_ids,
        )
        self.authenticate("kam_user_test", "kam_user_test")

        def call(method, args, kwargs=None):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/kam.dossier.member/{method}",
                {
                    "model": "kam.dossier.member",
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            )

        call("web_save", [[cfo.id], {"reports_to_id": ceo.id}], {"specification": {}})
        self.assertEqual(cfo.reports_to_id, ceo)
        with self.assertRaisesRegex(JsonRpcException, "ValidationError"):
            call("write", [[ceo.id], {"reports_to_id": cfo.id}])
        ceo.invalidate_recordset()
        self.assertFalse(ceo.reports_to_id)
        # another account's member: not the KAM's to move
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            call("write", [[other.id], {"reports_to_id": False}])


@tagged("post_install", "-at_install")
class TestPartnerDossierButton(DossiersCommon):
    def test_button_opens_the_dossier(self):
        account = self.account.with_user(self.kam_user)
        self.assertEqual(account.kam_dossier_id, self.dossier)
        action = account.action_kam_open_dossier()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("kam.dossier", self.dossier.id)
        )
        # from a contact of the account: the account's dossier
        action = self.ceo.with_user(self.kam_user).action_kam_open_dossier()
        self.assertEqual(action["res_id"], self.dossier.id)

    def test_button_creates_the_dossier_for_who_serves(self):
        account = self.env["res.partner"].create(
            {
                "name": "Fresh Account",
                "is_company": True,
                "kam_user_id": self.kam_user.id,
            }
        )
        self.assertFalse(account.with_user(self.kam_user).kam_dossier_id)
        action = account.with_user(self.kam_user).action_kam_open_dossier()
        dossier = self.env["kam.dossier"].browse(action["res_id"])
        self.assertEqual(dossier.partner_id, account)
        # a second click opens the same dossier
        again = account.with_user(self.kam_user).action_kam_open_dossier()
        self.assertEqual(again["res_id"], dossier.id)

    def test_button_refuses_who_does_not_serve(self):
        account = self.env["res.partner"].create(
            {
                "name": "Fresh Account",
                "is_company": True,
                "kam_user_id": self.kam_user.id,
            }
        )
        with self.assertRaisesRegex(AccessError, "Fresh Account"):
            account.with_user(self.kam_user_other).action_kam_open_dossier()
        self.assertFalse(
            self.env["kam.dossier"].search([("partner_id", "=", account.id)])
        )
        # the dossier of another KAM's account stays closed
        other = self.other_account.with_user(self.kam_user)
        self.assertFalse(other.kam_dossier_id)
        with self.assertRaisesRegex(AccessError, "may not open"):
            other.action_kam_open_dossier()
        # a KAM Manager opens or creates any
        action = account.with_user(self.kam_manager).action_kam_open_dossier()
        self.assertEqual(
            self.env["kam.dossier"].browse(action["res_id"]).partner_id, account
        )

    def test_button_in_partner_form(self):
        arch = (
            self.env["res.partner"]
            .with_user(self.kam_user)
            .get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
        )
        self.assertIn('name="action_kam_open_dossier"', arch)
        arch = (
            self.env["res.partner"]
            .with_user(self.sales_user)
            .get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
        )
        self.assertNotIn('name="action_kam_open_dossier"', arch)


@tagged("post_install", "-at_install")
class TestHealthAlert(DossiersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alert_type = cls.env.ref("kam_management.mail_activity_type_kam_alert")

    def _score(self, day, red):
        # the thresholds decide the colour: (nearly) every score is red
        # below 100, none below 0
        self.env.company.write(
            {
                "kam_health_red_below": 100.0 if red else 0.0,
                "kam_health_green_from": 100.0 if red else 0.0,
            }
        )
        return self.env["kam.health.score"]._kam_compute(self.account, day)

    def _alerts(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.account.id),
                ("activity_type_id", "=", self.alert_type.id),
                ("summary", "ilike", "Health turned red"),
            ]
        )

    def test_turns_red_once_one_activity(self):
        score = self._score(date(2025, 6, 1), red=True)
        self.assertEqual(score.colour, "red")
        alerts = self._alerts()
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.kam_user)
        self.assertIn("turned red", alerts.note)
        # no figure in the text: every employee reads activities of contacts
        self.assertNotIn(str(int(score.score)), alerts.note.replace("2025", ""))
        # stays red, the next day and when the same day is scored again
        self._score(date(2025, 6, 2), red=True)
        self._score(date(2025, 6, 2), red=True)
        self.assertEqual(len(self._alerts()), 1)

    def test_red_green_red_two_activities(self):
        self._score(date(2025, 5, 31), red=False)
        self.assertFalse(self._alerts())
        self._score(date(2025, 6, 1), red=True)
        self.assertEqual(len(self._alerts()), 1)
        self._score(date(2025, 6, 2), red=False)
        self.assertEqual(len(self._alerts()), 1)
        self._score(date(2025, 6, 3), red=True)
        self.assertEqual(len(self._alerts()), 2)


@tagged("post_install", "-at_install")
class TestWhitespaceOpportunity(DossiersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ = cls.env["product.category"].create({"name": "Orgchart Test Pumps"})
        cls.cell = cls.env["kam.whitespace.cell"].create(
            {
                "partner_id": cls.account.id,
                "unit_id": cls.account.id,
                "categ_id": cls.categ.id,
            }
        )

    def test_empty_cell_status_and_target(self):
        cell = self.cell.with_user(self.kam_user)
        cell.write(
            {
                "status": "competitor",
                "target_amount": 5000.0,
                "target_date": date(2026, 3, 31),
            }
        )
        self.assertEqual(cell.revenue, 0.0)
        self.assertEqual((cell.status, cell.target_amount), ("competitor", 5000.0))
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.cell.target_amount = -1.0

    def test_create_opportunity_once_while_open(self):
        self.cell.write({"target_amount": 7500.0, "target_date": date(2026, 3, 31)})
        action = self.cell.with_user(self.kam_user).action_kam_create_opportunity()
        lead = self.cell.lead_id
        self.assertEqual(action["res_id"], lead.id)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.account)
        self.assertEqual(lead.expected_revenue, 7500.0)
        self.assertEqual(lead.date_deadline, date(2026, 3, 31))
        self.assertEqual(lead.user_id, self.kam_user)
        self.assertIn("Orgchart Test Pumps", lead.name)
        self.assertTrue(self.cell.lead_open)
        with self.assertRaisesRegex(UserError, "already has the open opportunity"):
            self.cell.with_user(self.kam_user).action_kam_create_opportunity()
        # lost: a new opportunity may be created
        lead.action_set_lost()
        self.cell.invalidate_recordset()
        self.assertFalse(self.cell.lead_open)
        self.cell.with_user(self.kam_user).action_kam_create_opportunity()
        self.assertNotEqual(self.cell.lead_id, lead)

    def test_create_opportunity_needs_to_serve_the_account(self):
        with self.assertRaises(AccessError):
            self.cell.with_user(self.kam_user_other).action_kam_create_opportunity()
        self.assertFalse(self.cell.lead_id)

    def test_demo_key_accounts_have_a_matrix(self):
        accounts = self.env["res.partner"].search(
            [
                ("kam_is_key_account", "=", True),
                ("is_company", "=", True),
                (
                    "id",
                    "in",
                    self.env["ir.model.data"]
                    .search(
                        [
                            ("module", "=", "kam_management"),
                            ("model", "=", "res.partner"),
                        ]
                    )
                    .mapped("res_id"),
                ),
            ]
        )
        self.assertTrue(accounts)
        with_cells = (
            self.env["kam.whitespace.cell"]
            .search([("partner_id", "in", accounts.ids)])
            .partner_id
        )
        self.assertEqual(accounts - with_cells, self.env["res.partner"])
