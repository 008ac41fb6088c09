# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .dossiers_common import DossiersCommon


@tagged("post_install", "-at_install")
class TestDossiersDealRoles(DossiersCommon):
    def _roles(self, document):
        return {
            line.partner_id: (line.role_id, line.attitude)
            for line in document.kam_deal_role_ids
        }

    def test_opportunity_roles_default_from_dossier(self):
        lead_form = Form(
            self.env["crm.lead"]
            .with_user(self.kam_user)
            .with_context(default_type="opportunity")
        )
        lead_form.name = "Rail cars 2027"
        lead_form.partner_id = self.account
        lead = lead_form.save()
        self.assertEqual(
            self._roles(lead),
            {
                self.ceo: (self.role_dm, "supporter"),
                self.cfo: (self.role_eb, "opponent"),
                self.engineer: (self.role_tech, "neutral"),
            },
        )

    def test_deal_role_change_leaves_dossier_unchanged(self):
        lead = self.env["crm.lead"].create(
            {"name": "Deal", "type": "opportunity", "partner_id": self.ceo.id}
        )
        cfo_line = lead.kam_deal_role_ids.filtered(lambda r: r.partner_id == self.cfo)
        with Form(lead) as lead_form:
            with lead_form.kam_deal_role_ids.edit(1) as line:
                self.assertEqual(line.partner_id, self.cfo)
                line.attitude = "supporter"
                line.role_id = self.role_coach
        self.assertEqual(cfo_line.attitude, "supporter")
        self.assertEqual(cfo_line.role_id, self.role_coach)
        member = self.dossier.member_ids.filtered(lambda m: m.partner_id == self.cfo)
        self.assertEqual(member.attitude, "opponent")
        self.assertEqual(member.role_id, self.role_eb)
        # and a dossier change does not rewrite the deal either
        member.attitude = "neutral"
        self.assertEqual(cfo_line.attitude, "supporter")
        # until the salesperson reloads on purpose
        lead.action_kam_reset_deal_roles()
        self.assertEqual(self._roles(lead)[self.cfo], (self.role_eb, "neutral"))

    def test_quotation_takes_opportunity_roles_then_dossier(self):
        lead = self.env["crm.lead"].create(
            {"name": "Deal", "type": "opportunity", "partner_id": self.account.id}
        )
        lead.kam_deal_role_ids.filtered(
            lambda r: r.partner_id == self.engineer
        ).attitude = "mentor"
        order = self.env["sale.order"].create(
            {"partner_id": self.account.id, "opportunity_id": lead.id}
        )
        self.assertEqual(self._roles(order)[self.engineer], (self.role_tech, "mentor"))
        self.assertEqual(
            order.kam_deal_role_ids.mapped("argument_hint"),
            [
                self.role_dm.argument_hint,
                self.role_eb.argument_hint,
                self.role_tech.argument_hint,
            ],
        )
        plain = self.env["sale.order"].create({"partner_id": self.account.id})
        self.assertEqual(self._roles(plain)[self.engineer], (self.role_tech, "neutral"))
        self.assertTrue(plain.kam_is_key_account)
        # a customer without dossier gets no lines
        nobody = self.env["sale.order"].create({"partner_id": self.partner.id})
        self.assertFalse(nobody.kam_deal_role_ids)
        # no longer a key account: no lines either
        self.account.kam_is_key_account = False
        former = self.env["sale.order"].create({"partner_id": self.account.id})
        self.assertFalse(former.kam_deal_role_ids)

    def test_quotation_form_tab_edit(self):
        order_form = Form(self.env["sale.order"].with_user(self.kam_user))
        order_form.partner_id = self.account
        order = order_form.save()
        with Form(order) as order_form:
            with order_form.kam_deal_role_ids.edit(0) as line:
                self.assertEqual(line.argument_hint, self.role_dm.argument_hint)
                line.attitude = "mentor"
        self.assertEqual(self._roles(order)[self.ceo], (self.role_dm, "mentor"))
        self.assertEqual(
            self.dossier.member_ids.filtered(
                lambda m: m.partner_id == self.ceo
            ).attitude,
            "supporter",
        )

    def test_salesperson_without_dossier_access_gets_no_roles(self):
        """The dossier is not readable by a plain salesperson: his quotation
        gets no copy of the buying group; the KAM of the account gets it."""
        order = (
            self.env["sale.order"]
            .with_user(self.sales_user)
            .create({"partner_id": self.account.id})
        )
        self.assertFalse(order.kam_deal_role_ids)
        order = (
            self.env["sale.order"]
            .with_user(self.kam_user)
            .create({"partner_id": self.account.id})
        )
        self.assertEqual(
            order.kam_deal_role_ids.role_id.mapped("name"),
            [self.role_dm.name, self.role_eb.name, self.role_tech.name],
        )

    def test_deal_role_belongs_to_exactly_one_document(self):
        lead = self.env["crm.lead"].create({"name": "Deal", "type": "opportunity"})
        order = self.env["sale.order"].create({"partner_id": self.partner.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.deal.role"].create(
                {"partner_id": self.ceo.id, "lead_id": lead.id, "order_id": order.id}
            )
            self.env.flush_all()

    def test_deal_roles_follow_document_access(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Deal of the account's KAM",
                "type": "opportunity",
                "partner_id": self.account.id,
                "user_id": self.kam_user.id,
            }
        )
        Role = self.env["kam.deal.role"]
        self.assertFalse(
            Role.with_user(self.sales_user).search([("lead_id", "=", lead.id)])
        )
        self.assertEqual(
            len(Role.with_user(self.kam_manager).search([("lead_id", "=", lead.id)])),
            3,
        )
