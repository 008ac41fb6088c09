# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may change who serves an account, who reads its commercial figures
and its dependence alerts, and who reads its sales documents."""

from types import SimpleNamespace

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KamCommon

FIGURES = (
    "kam_revenue",
    "kam_margin",
    "kam_revenue_share",
    "kam_abc_class",
    "kam_dependence_level",
    "kam_last_classified",
    "kam_pin_reason",
    "kam_health_score",
    "kam_health_colour",
    "kam_health_date",
    "kam_service_level_note",
)


@tagged("post_install", "-at_install")
class TestAccessPartner(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.deputy = new_test_user(
            env,
            login="kam_deputy_access_test",
            name="KAM Deputy Access",
            groups="kam_management.group_kam_user",
        )
        cls.team_member = new_test_user(
            env,
            login="kam_team_access_test",
            name="KAM Team Access",
            groups="kam_management.group_kam_user",
        )
        # owns the sales documents of the account: nobody of the KAM side
        cls.seller = new_test_user(
            env,
            login="kam_seller_access_test",
            name="Seller Access",
            groups="sales_team.group_sale_salesman",
        )
        cls.account = env["res.partner"].create(
            {
                "name": "Access Key Account",
                "is_company": True,
                "kam_is_key_account": True,
                "kam_tier": "strategic",
                "kam_user_id": cls.kam_user.id,
                "kam_deputy_user_id": cls.deputy.id,
                "kam_team_user_ids": [Command.set(cls.team_member.ids)],
                "kam_service_level_note": "Delivery within 24 h",
            }
        )
        env.flush_all()
        cls.account.sudo().write(
            {
                "kam_revenue": 50000,
                "kam_margin": 12000,
                "kam_revenue_share": 42,
                "kam_abc_class": "A",
                "kam_dependence_level": "critical",
                "kam_last_classified": fields.Date.today(),
            }
        )
        cls.contact = env["res.partner"].create(
            {"name": "Access Contact", "parent_id": cls.account.id}
        )
        cls.reason = env["kam.key.reason"].create({"name": "Access reference"})
        cls.other_reason = env["kam.key.reason"].create({"name": "Access volume"})
        cls.reason_line = env["kam.partner.key.reason"].create(
            {"partner_id": cls.account.id, "reason_id": cls.reason.id}
        )

    def _ownership_writes(self, user):
        """(field, values) changing who serves the account, whether it is
        key or its classification, one per field, in favour of ``user``."""
        taker = self.kam_user_other if user == self.kam_user else user
        return [
            ("kam_user_id", {"kam_user_id": taker.id}),
            ("kam_deputy_user_id", {"kam_deputy_user_id": user.id}),
            ("kam_team_user_ids", {"kam_team_user_ids": [Command.link(user.id)]}),
            ("kam_is_key_account", {"kam_is_key_account": False}),
            ("kam_tier", {"kam_tier": "regular"}),
            ("kam_pin", {"kam_pin": "key", "kam_pin_reason": "Reference"}),
            ("kam_pin_reason", {"kam_pin_reason": "Reference"}),
            ("kam_margin", {"kam_margin": 999999.0}),
        ]

    # --- who serves the account ------------------------------------------
    def test_ownership_write_refused(self):
        """Nobody but a KAM Manager takes an account or changes its flag,
        tier, pin or classification: not another KAM, not a salesperson, not
        even the account's own KAM."""
        for user in (self.kam_user_other, self.sales_user, self.kam_user):
            for fname, vals in self._ownership_writes(user):
                with self.subTest(user=user.login, field=fname):
                    with self.assertRaises(AccessError):
                        self.account.with_user(user).write(vals)
        account = self.account.sudo()
        self.assertEqual(account.kam_user_id, self.kam_user)
        self.assertEqual(account.kam_deputy_user_id, self.deputy)
        self.assertEqual(account.kam_team_user_ids, self.team_member)
        self.assertTrue(account.kam_is_key_account)
        self.assertEqual(account.kam_tier, "strategic")
        self.assertFalse(account.kam_pin)
        self.assertEqual(account.kam_margin, 12000.0)
        # the account team of the other KAM still does not serve it
        self.assertFalse(self.account._kam_is_served_by(self.kam_user_other))

    def test_ownership_create_refused(self):
        """A new account gets its KAM from a KAM Manager only, also through
        a default of the context."""
        Partner = self.env["res.partner"].with_user(self.kam_user_other)
        with self.assertRaises(AccessError):
            Partner.create(
                {
                    "name": "Grab",
                    "is_company": True,
                    "kam_user_id": self.kam_user_other.id,
                }
            )
        with self.assertRaises(AccessError):
            Partner.with_context(default_kam_is_key_account=True).create(
                {"name": "Grab", "is_company": True}
            )
        created = Partner.create({"name": "Plain company", "is_company": True})
        self.assertFalse(created.kam_user_id)
        managed = (
            self.env["res.partner"]
            .with_user(self.kam_manager)
            .create(
                {"name": "Given", "is_company": True, "kam_user_id": self.kam_user.id}
            )
        )
        self.assertEqual(managed.kam_user_id, self.kam_user)

    def test_ownership_error_names_the_field(self):
        with self.assertRaisesRegex(AccessError, "Access Key Account.*KAM Team"):
            self.account.with_user(self.kam_user_other).write(
                {"kam_team_user_ids": [Command.link(self.kam_user_other.id)]}
            )
        # writing the value the account already has is no change
        self.account.with_user(self.kam_user).write(
            {"kam_user_id": self.kam_user.id, "kam_tier": "strategic"}
        )

    def test_ownership_manager_allowed_and_tracked(self):
        account = self.account.with_user(self.kam_manager).with_context(
            tracking_disable=False, mail_notrack=False
        )
        self.env.cr.precommit.run()  # records created in this transaction
        account.write(
            {
                "kam_user_id": self.kam_user_other.id,
                "kam_deputy_user_id": False,
                "kam_team_user_ids": [Command.link(self.kam_user.id)],
                "kam_tier": "key",
                "kam_pin": "key",
                "kam_pin_reason": "Reference customer",
            }
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = set(
            self.account.message_ids.tracking_value_ids.field_id.mapped("name")
        )
        self.assertLessEqual(
            {
                "kam_user_id",
                "kam_deputy_user_id",
                "kam_team_user_ids",
                "kam_tier",
                "kam_pin",
                "kam_pin_reason",
            },
            tracked,
        )
        self.assertEqual(account.kam_team_user_ids, self.team_member | self.kam_user)
        self.assertTrue(self.account._kam_is_served_by(self.kam_user_other))
        self.assertFalse(self.account._kam_is_served_by(self.deputy))
        # the flag, alone
        account.write({"kam_pin": False, "kam_pin_reason": False})
        account.kam_is_key_account = False
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = set(
            self.account.message_ids.tracking_value_ids.field_id.mapped("name")
        )
        self.assertIn("kam_is_key_account", tracked)

    def test_key_reasons_managers_only_and_tracked(self):
        for user in (self.kam_user, self.kam_user_other, self.sales_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["kam.partner.key.reason"].with_user(user).create(
                        {
                            "partner_id": self.account.id,
                            "reason_id": self.other_reason.id,
                        }
                    )
                with self.assertRaises(AccessError):
                    self.reason_line.with_user(user).write({"note": "Changed"})
                with self.assertRaises(AccessError):
                    self.reason_line.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.account.with_user(user).write(
                        {"kam_reason_line_ids": [Command.delete(self.reason_line.id)]}
                    )
        # the account's KAM reads them
        self.assertEqual(
            self.account.with_user(self.kam_user).kam_reason_line_ids, self.reason_line
        )
        # a KAM Manager gives them, tracked on the account
        self.env["kam.partner.key.reason"].with_user(self.kam_manager).create(
            {"partner_id": self.account.id, "reason_id": self.other_reason.id}
        )
        self.reason_line.with_user(self.kam_manager).unlink()
        values = self.account.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "kam_reason_ids"
        )
        # the first reason (set up), the second one, the first one removed
        self.assertEqual(len(values), 3)
        self.assertIn("Access volume", "".join(values.mapped("new_value_char")))
        self.assertIn("Access reference", "".join(values.mapped("old_value_char")))
        # the tracked names are hidden from employees outside the KAM groups
        as_seller = values.with_user(self.sales_user)._filter_has_field_access(
            self.env(user=self.sales_user)
        )
        self.assertFalse(as_seller)

    def test_salesperson_adds_contact_to_key_account(self):
        """The commercial field sync still copies the account's values onto
        a contact a plain salesperson adds (or moves) to the key account,
        without showing the salesperson the figures."""
        Partner = self.env["res.partner"].with_user(self.sales_user)
        contact = Partner.create({"name": "New buyer", "parent_id": self.account.id})
        moved = Partner.create({"name": "Moved buyer"})
        moved.write({"parent_id": self.account.id})
        for partner in (contact.sudo(), moved.sudo()):
            self.assertTrue(partner.kam_is_key_account)
            self.assertEqual(partner.kam_user_id, self.kam_user)
            self.assertEqual(partner.kam_team_user_ids, self.team_member)
            self.assertEqual(partner.kam_tier, "strategic")
            self.assertEqual(partner.kam_margin, 12000.0)
            self.assertEqual(partner.kam_dependence_level, "critical")
        with self.assertRaises(AccessError):
            contact.read(["kam_margin"])
        # a contact's own value cannot drift from its company's either
        with self.assertRaises(AccessError):
            contact.write({"kam_user_id": self.sales_user.id})

    # --- commercial figures ------------------------------------------------
    def test_figures_refused_to_sales_user(self):
        # may export: the export is refused for the fields, not as a whole
        self.sales_user.groups_id |= self.env.ref("base.group_allow_export")
        Partner = self.env["res.partner"].with_user(self.sales_user)
        account = self.account.with_user(self.sales_user)
        self.assertEqual(account.name, "Access Key Account")
        visible = Partner.fields_get()
        for fname in FIGURES:
            self.assertNotIn(fname, visible)
            for channel, call in (
                ("read", lambda f=fname: account.read([f])),
                (
                    "search_read",
                    lambda f=fname: Partner.search_read([("id", "=", account.id)], [f]),
                ),
                ("search", lambda f=fname: Partner.search([(f, "!=", False)])),
                ("read_group", lambda f=fname: Partner.read_group([], [f], [f])),
                ("export_data", lambda f=fname: account.export_data([f])),
                ("order", lambda f=fname: Partner.search([], order=f"{f} desc")),
            ):
                with self.subTest(field=fname, channel=channel):
                    with self.assertRaises(AccessError, msg=f"{channel} {fname}"):
                        call()
        # the KAM reads them
        as_kam = self.account.with_user(self.kam_user)
        self.assertEqual(as_kam.kam_margin, 12000.0)
        self.assertEqual(as_kam.kam_dependence_level, "critical")
        self.assertEqual(as_kam.kam_service_level_note, "Delivery within 24 h")
        # and the quotation does not carry the note to the salesperson
        order = self.env["sale.order"].create(
            {"partner_id": self.contact.id, "user_id": self.sales_user.id}
        )
        with self.assertRaises(AccessError):
            order.with_user(self.sales_user).read(["kam_service_level_note"])
        self.assertEqual(
            order.with_user(self.kam_user).kam_service_level_note,
            "Delivery within 24 h",
        )

    def test_views_open_without_the_figures(self):
        """The partner views open for a salesperson, a portal user and a KAM;
        only the KAM gets the figures in them."""
        portal = new_test_user(
            self.env, login="kam_portal_access_test", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.account
        views = [(False, "form"), (False, "list"), (False, "kanban"), (False, "search")]
        for user in (self.sales_user, portal, self.kam_user):
            with self.subTest(user=user.login):
                result = self.env["res.partner"].with_user(user).get_views(views)
                arch = result["views"]["form"]["arch"]
                fields = result["models"]["res.partner"]["fields"]
                self.assertEqual("kam_margin" in arch, user == self.kam_user)
                self.assertEqual("kam_margin" in fields, user == self.kam_user)
        # the portal user reads its company, not the figures nor the tier
        own = portal.partner_id.commercial_partner_id.with_user(portal)
        self.assertEqual(own.name, "Access Key Account")
        for fname in (*FIGURES, "kam_tier"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                own.read([fname])

    # --- alerts ------------------------------------------------------------
    def _raise_dependence_alert(self):
        policy = self.env["kam.classification.policy"].create(
            {"name": "Access alerts", "basis": "revenue"}
        )
        runs = self.env["kam.classification.run"].create(
            [
                {
                    "policy_id": policy.id,
                    "period_start": start,
                    "period_end": end,
                    "basis": "revenue",
                    "date": end,
                }
                for start, end in (
                    ("2025-01-01", "2025-12-31"),
                    ("2025-02-01", "2026-01-31"),
                )
            ]
        )
        previous, run = runs
        customer = SimpleNamespace(
            partner_id=self.account.id,
            abc_class="A",
            dependence_level="mono",
            amount=50000.0,
        )
        policy._raise_alerts(
            run,
            (previous.top1_share, previous.key_share),
            [(customer, 50000.0, 12000.0, True, "strategic")],
            {self.account.id: ("A", "critical", False)},
            {},
        )
        return run

    def test_alert_not_readable_by_sales_user(self):
        run = self._raise_dependence_alert()
        # the salesperson reads the account's chatter and activities: no
        # dependence level there
        messages = (
            self.env["mail.message"]
            .with_user(self.sales_user)
            .search([("model", "=", "res.partner"), ("res_id", "=", self.account.id)])
        )
        activities = (
            self.env["mail.activity"]
            .with_user(self.sales_user)
            .search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.account.id)]
            )
        )
        self.assertEqual(len(activities), 1, "the KAM still gets an activity")
        self.assertEqual(activities.sudo().user_id, self.kam_user)
        texts = "\n".join(
            messages.mapped("body")
            + activities.mapped("note")
            + activities.mapped("summary")
        )
        for word in ("Dependence", "Mono-client", "Critical", "%"):
            self.assertNotIn(word, texts)
        # nor through the run
        with self.assertRaises(AccessError):
            run.with_user(self.sales_user).read(["name"])
        self.assertFalse(
            self.env["mail.message"]
            .with_user(self.sales_user)
            .search([("model", "=", "kam.classification.run"), ("res_id", "=", run.id)])
        )
        # the KAM users read the alert on the run
        body = "\n".join(run.with_user(self.kam_user).message_ids.mapped("body"))
        self.assertIn("Dependence level changed from Critical to Mono-client", body)
        self.assertIn("Access Key Account", body)

    # --- sales documents of the account --------------------------------------
    def _sales_documents(self):
        product = self.env["product.product"].create(
            {"name": "Access product", "list_price": 10.0}
        )
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": self.seller.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for partner in (self.account, self.account, self.contact)
            ]
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Access opportunity",
                "type": "opportunity",
                "partner_id": self.account.id,
                "user_id": self.seller.id,
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.contact.id,
                "invoice_user_id": self.seller.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "quantity": 1, "price_unit": 100.0}
                    )
                ],
            }
        )
        invoice.action_post()
        return orders, lead, invoice

    def test_deputy_and_team_read_sales_documents(self):
        orders, lead, invoice = self._sales_documents()
        for user in (self.deputy, self.team_member, self.kam_user):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.env["sale.order"]
                    .with_user(user)
                    .search([("id", "in", orders.ids)]),
                    orders,
                )
                self.assertEqual(
                    self.env["sale.order.line"]
                    .with_user(user)
                    .search_count([("order_id", "in", orders.ids)]),
                    len(orders.order_line),
                )
                self.assertEqual(
                    self.env["crm.lead"].with_user(user).search([("id", "=", lead.id)]),
                    lead,
                )
                self.assertEqual(
                    self.env["account.move"]
                    .with_user(user)
                    .search([("id", "=", invoice.id)]),
                    invoice,
                )
                invoice.with_user(user).invoice_line_ids.read(["price_subtotal"])
        # covering an absence: the deputy updates the order and the lead
        orders[0].with_user(self.deputy).write({"client_order_ref": "Covered"})
        lead.with_user(self.deputy).write({"description": "Called back"})
        self.assertEqual(orders[0].client_order_ref, "Covered")
        # the invoice stays read only
        with self.assertRaises(AccessError):
            invoice.with_user(self.deputy).write({"ref": "Changed"})
        # a KAM of another account and a plain salesperson see none of them
        for user in (self.kam_user_other, self.sales_user):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self.env["sale.order"]
                    .with_user(user)
                    .search([("id", "in", orders.ids)])
                )
                self.assertFalse(
                    self.env["crm.lead"].with_user(user).search([("id", "=", lead.id)])
                )
                self.assertFalse(
                    self.env["account.move"]
                    .with_user(user)
                    .search([("id", "=", invoice.id)])
                )
        # a deputy no longer set no longer reads them
        self.account.with_user(self.kam_manager).kam_deputy_user_id = False
        self.assertFalse(
            self.env["sale.order"]
            .with_user(self.deputy)
            .search([("id", "in", orders.ids)])
        )
