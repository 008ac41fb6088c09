# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Deal roles copy from the dossier only what the creating user may read, and
their lines follow the access of their document."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .dossiers_common import DossiersCommon


@tagged("post_install", "-at_install")
class TestAccessDealRoles(DossiersCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_manager = new_test_user(
            cls.env,
            login="sales_all_docs_test",
            name="Sales All Documents Test",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.foreign_company = cls.env["res.company"].create({"name": "Foreign Co"})
        cls.foreign_user = new_test_user(
            cls.env,
            login="sales_foreign_test",
            name="Sales Foreign Company Test",
            groups="kam_management.group_kam_manager",
            company_id=cls.foreign_company.id,
            company_ids=[Command.set(cls.foreign_company.ids)],
        )
        cls.full_copy = {
            cls.ceo: (cls.role_dm, "high", "supporter"),
            cls.cfo: (cls.role_eb, "medium", "opponent"),
            cls.engineer: (cls.role_tech, "low", "neutral"),
        }

    def _roles(self, document):
        return {
            line.partner_id: (line.role_id, line.influence, line.attitude)
            for line in document.sudo().kam_deal_role_ids
        }

    def _lead(self, user, **vals):
        return (
            self.env["crm.lead"]
            .with_user(user)
            .create(
                dict(
                    {"name": "Deal", "type": "opportunity", "partner_id": self.ceo.id},
                    **vals,
                )
            )
        )

    def _tender(self, user, **vals):
        return (
            self.env["kam.tender"]
            .with_user(user)
            .create(dict({"name": "Fleet 2028", "partner_id": self.account.id}, **vals))
        )

    # --- copies from the dossier -------------------------------------------
    def test_salesperson_without_dossier_access_copies_nothing(self):
        lead = self._lead(self.sales_user)
        order = (
            self.env["sale.order"]
            .with_user(self.sales_user)
            .create({"partner_id": self.account.id})
        )
        self.assertFalse(lead.sudo().kam_deal_role_ids)
        self.assertFalse(order.sudo().kam_deal_role_ids)
        # not through the sudo of a caller either: the user's rights count
        lead = self._lead(self.sales_user).sudo()
        self.assertFalse(lead.kam_deal_role_ids)
        order = (
            self.env["sale.order"]
            .with_user(self.sales_user)
            .sudo()
            .create({"partner_id": self.account.id, "user_id": self.sales_user.id})
        )
        self.assertFalse(order.kam_deal_role_ids)

    def test_system_user_copies_with_the_rights_of_the_responsible(self):
        """Documents created by the system user (mail gateway, crons) get the
        copy that their responsible user may read; unassigned ones none."""
        Lead = self.env["crm.lead"]
        values = {"name": "Mail", "type": "opportunity", "partner_id": self.ceo.id}
        unassigned, salesperson, kam = Lead.create(
            [
                dict(values, user_id=False),
                dict(values, user_id=self.sales_user.id),
                dict(values, user_id=self.kam_user.id),
            ]
        )
        self.assertFalse(unassigned.kam_deal_role_ids)
        self.assertFalse(salesperson.kam_deal_role_ids)
        self.assertEqual(self._roles(kam), self.full_copy)
        # a cron's tender is for the account's KAM: full copy
        tender = self.env["kam.tender"].create(
            {"name": "Re-tender", "partner_id": self.account.id}
        )
        self.assertEqual(tender.user_id, self.kam_user)
        self.assertEqual(self._roles(tender), self.full_copy)

    def test_kam_of_another_account_tender_copies_nothing(self):
        tender = self._tender(
            self.kam_user_other, team_user_ids=[Command.set(self.kam_user_other.ids)]
        )
        self.assertFalse(tender.sudo().kam_deal_role_ids)

    def test_account_kam_and_manager_get_the_full_copy(self):
        self.assertEqual(self._roles(self._lead(self.kam_user)), self.full_copy)
        self.assertEqual(self._roles(self._lead(self.kam_manager)), self.full_copy)
        order = (
            self.env["sale.order"]
            .with_user(self.kam_user)
            .create({"partner_id": self.account.id})
        )
        self.assertEqual(self._roles(order), self.full_copy)
        self.assertEqual(self._roles(self._tender(self.kam_user)), self.full_copy)

    def test_partner_change_copies_what_the_user_reads(self):
        lead = self._lead(self.sales_user, partner_id=False)
        lead.partner_id = self.account
        self.assertFalse(lead.sudo().kam_deal_role_ids)
        lead = self._lead(self.kam_user, partner_id=False)
        lead.partner_id = self.account
        self.assertEqual(self._roles(lead), self.full_copy)

    def test_quotation_of_opportunity_the_user_cannot_read(self):
        """A quotation of an opportunity the user may not read takes nothing
        from it (and nothing from the dossier he may not read)."""
        lead = self._lead(self.kam_user, user_id=self.kam_user.id)
        order = (
            self.env["sale.order"]
            .with_user(self.sales_user)
            .create({"partner_id": self.account.id, "opportunity_id": lead.id})
        )
        self.assertFalse(order.sudo().kam_deal_role_ids)

    def test_copy_takes_no_dossier_content(self):
        order = (
            self.env["sale.order"]
            .with_user(self.sales_user)
            .create({"partner_id": self.account.id})
        )
        duplicate = order.copy()
        self.assertFalse(duplicate.sudo().kam_deal_role_ids)
        lead = self._lead(self.sales_user).copy()
        self.assertFalse(lead.sudo().kam_deal_role_ids)
        # the KAM's copy keeps the roles of the deal, once
        lead = self._lead(self.kam_user)
        lead.kam_deal_role_ids.filtered(lambda r: r.partner_id == self.cfo).write(
            {"attitude": "supporter"}
        )
        duplicate = lead.copy()
        self.assertEqual(len(duplicate.kam_deal_role_ids), 3)
        self.assertEqual(self._roles(duplicate), self._roles(lead))

    # --- Reload from Dossier -----------------------------------------------
    def test_reload_by_salesperson_keeps_the_quotation(self):
        order = (
            self.env["sale.order"]
            .with_user(self.sales_user)
            .create({"partner_id": self.account.id})
        )
        with Form(order) as order_form:
            with order_form.kam_deal_role_ids.new() as line:
                line.partner_id = self.ceo
                line.attitude = "mentor"
        result = order.action_kam_reset_deal_roles()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(order.name, result["params"]["message"])
        self.assertTrue(order.exists())
        # his own line is kept, nothing of the dossier comes in
        self.assertEqual(
            self._roles(order),
            {self.ceo: (self.env["kam.decision.role"], "medium", "mentor")},
        )
        # the form still opens and edits the quotation
        with Form(order) as order_form:
            order_form.note = "Kept"
        self.assertEqual(order.sudo().kam_deal_role_ids.attitude, "mentor")

    def test_reload_by_salesperson_of_a_kam_prepared_quotation(self):
        """A quotation prepared by the KAM and handed to the salesperson:
        reloading keeps its roles and does not raise."""
        order = (
            self.env["sale.order"]
            .with_user(self.kam_user)
            .create({"partner_id": self.account.id})
        )
        order.sudo().user_id = self.sales_user
        before = self._roles(order)
        self.assertEqual(before, self.full_copy)
        result = order.with_user(self.sales_user).action_kam_reset_deal_roles()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(self._roles(order), before)
        lead = self._lead(self.kam_user)
        lead.sudo().user_id = self.sales_user
        lead.with_user(self.sales_user).action_kam_reset_deal_roles()
        self.assertEqual(self._roles(lead), self.full_copy)
        # both forms open and save for him, argument hints included
        with Form(order.with_user(self.sales_user)) as order_form:
            with order_form.kam_deal_role_ids.edit(0) as line:
                self.assertEqual(line.argument_hint, self.role_dm.argument_hint)
                line.note = "Met him"
        with Form(lead.with_user(self.sales_user)) as lead_form:
            with lead_form.kam_deal_role_ids.edit(0) as line:
                self.assertEqual(line.argument_hint, self.role_dm.argument_hint)
                line.note = "Met him"
        # a KAM manager reads the dossier: his reload replaces the roles
        order.sudo().kam_deal_role_ids.write({"attitude": "opponent"})
        self.assertIs(
            order.with_user(self.kam_manager).action_kam_reset_deal_roles(), True
        )
        self.assertEqual(self._roles(order), self.full_copy)

    def test_reload_of_quotation_of_unreadable_opportunity(self):
        lead = self._lead(self.kam_user)
        order = (
            self.env["sale.order"]
            .with_user(self.sales_user)
            .create({"partner_id": self.account.id})
        )
        order.sudo().opportunity_id = lead
        result = order.action_kam_reset_deal_roles()
        self.assertEqual(result["tag"], "display_notification")
        self.assertFalse(order.sudo().kam_deal_role_ids)
        with Form(order) as order_form:
            order_form.note = "Kept"
        self.assertTrue(order.exists())

    def test_reload_without_write_access_is_refused(self):
        tender = self._tender(self.kam_user)
        with self.assertRaises(AccessError):
            tender.with_user(self.kam_user_other).action_kam_reset_deal_roles()
        self.assertEqual(self._roles(tender), self.full_copy)

    # --- access to the lines -----------------------------------------------
    def test_tender_deal_roles_follow_the_tender(self):
        tender = self._tender(self.kam_user)
        lines = tender.kam_deal_role_ids
        self.assertEqual(len(lines), 3)
        other = lines.with_user(self.kam_user_other)
        # every KAM User reads them
        self.assertEqual(
            other.search([("tender_id", "=", tender.id)]), other, "read like the tender"
        )
        other.read(["partner_id", "influence", "attitude"])
        # one who does not edit the tender does not edit its roles
        with self.assertRaises(AccessError):
            other[0].write({"attitude": "opponent"})
        with self.assertRaises(AccessError):
            other[1].unlink()
        with self.assertRaises(AccessError):
            self.env["kam.deal.role"].with_user(self.kam_user_other).create(
                {"tender_id": tender.id, "partner_id": self.ceo.id}
            )
        # the tender team does
        tender.team_user_ids = self.kam_user_other
        other[0].write({"attitude": "opponent"})
        other[1].unlink()
        # (a contact of the tender's customer: another account's person is
        # refused, test_screen_defects)
        self.env["kam.deal.role"].with_user(self.kam_user_other).create(
            {"tender_id": tender.id, "partner_id": self.cfo.id}
        )
        # and the KAM of the customer
        mine = tender.kam_deal_role_ids.with_user(self.kam_user)
        mine.write({"note": "Checked"})
        self.assertEqual(len(mine), 3)
        # salespeople without the KAM group do not read tenders, nor their roles
        for user in (self.sales_user, self.sales_manager):
            Role = self.env["kam.deal.role"].with_user(user)
            self.assertFalse(Role.search([("tender_id", "=", tender.id)]))
            with self.assertRaises(AccessError):
                mine.with_user(user).read(["attitude"])

    def test_lead_and_quotation_roles_follow_the_document(self):
        lead = self._lead(self.kam_user, user_id=self.kam_user.id)
        order = (
            self.env["sale.order"]
            .with_user(self.kam_user)
            .create({"partner_id": self.account.id})
        )
        for document in (lead, order):
            lines = document.kam_deal_role_ids
            self.assertEqual(len(lines), 3)
            for user in (self.sales_user, self.kam_user_other):
                with self.subTest(document=document._name, user=user.login):
                    self.assertFalse(document.with_user(user).has_access("read"))
                    self.assertFalse(
                        lines.with_user(user).search([("id", "in", lines.ids)])
                    )
                    with self.assertRaises(AccessError):
                        lines.with_user(user).read(["attitude"])
                    with self.assertRaises(AccessError):
                        lines.with_user(user).write({"attitude": "opponent"})
            # "All Documents" reads and edits them, as the document
            lines.with_user(self.sales_manager).write({"note": "Seen"})
            # but not those of a document of another company
            self.assertFalse(document.with_user(self.foreign_user).has_access("read"))
            self.assertFalse(
                lines.with_user(self.foreign_user).search([("id", "in", lines.ids)])
            )

    # --- JSON-RPC ----------------------------------------------------------
    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    @mute_logger("odoo.http")
    def test_json_rpc_lead_creation(self):
        self.authenticate(self.sales_user.login, self.sales_user.login)
        lead_id = self._rpc(
            "crm.lead",
            "create",
            [{"name": "Web deal", "type": "opportunity", "partner_id": self.ceo.id}],
        )
        [row] = self._rpc("crm.lead", "read", [[lead_id], ["kam_deal_role_ids"]])
        self.assertEqual(row["kam_deal_role_ids"], [])
        self.assertFalse(self.env["crm.lead"].browse(lead_id).kam_deal_role_ids)
        self.authenticate(self.kam_user.login, self.kam_user.login)
        lead_id = self._rpc(
            "crm.lead",
            "create",
            [{"name": "Web deal", "type": "opportunity", "partner_id": self.ceo.id}],
        )
        lead = self.env["crm.lead"].browse(lead_id)
        self.assertEqual(self._roles(lead), self.full_copy)
