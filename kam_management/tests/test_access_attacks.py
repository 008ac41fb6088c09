# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Attacks on who serves a key account, on its commercial figures and on its
buying group, over the side doors of the ORM and of JSON-RPC: company
contacts, one2many commands, import, deletion, the partner merge, related
paths in domains, onchange, the web_* reads, tracking values."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import KamCommon

ACCESS_ERROR = "odoo.exceptions.AccessError"


class AttackCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # salespeople of a default install create and merge contacts
        partner_manager = env.ref("base.group_partner_manager")
        for user in (cls.sales_user, cls.kam_user, cls.kam_user_other, cls.kam_manager):
            user.groups_id |= partner_manager
        cls.account = env["res.partner"].create(
            {
                "name": "Attacked Key Account",
                "is_company": True,
                "email": "buyer@attacked.example.com",
                "kam_is_key_account": True,
                "kam_tier": "strategic",
                "kam_user_id": cls.kam_user.id,
            }
        )
        # the other KAM's own key account
        cls.own_account = env["res.partner"].create(
            {
                "name": "Own Key Account",
                "is_company": True,
                "email": "buyer@attacked.example.com",
                "kam_is_key_account": True,
                "kam_tier": "strategic",
                "kam_user_id": cls.kam_user_other.id,
            }
        )
        cls.plain = env["res.partner"].create(
            {
                "name": "Plain Company",
                "is_company": True,
                "email": "buyer@attacked.example.com",
            }
        )
        env.flush_all()
        # as the classification writes them (superuser; contacts get them)
        cls.account.sudo().write({"kam_margin": 12345, "kam_abc_class": "A"})
        cls.buyer = env["res.partner"].create(
            {"name": "Attacked Buyer", "parent_id": cls.account.id}
        )


@tagged("post_install", "-at_install")
class TestAttackOwnership(AttackCommon):
    def _assert_untouched(self):
        account = self.account.sudo()
        self.assertTrue(account.exists())
        self.assertEqual(account.kam_user_id, self.kam_user)
        self.assertTrue(account.kam_is_key_account)
        self.assertFalse(account._kam_is_served_by(self.kam_user_other))

    def test_new_company_under_a_parent_gets_no_kam(self):
        """A company created with a parent is its own account: the commercial
        sync gives it nothing, so its KAM is refused as for any company."""
        Partner = self.env["res.partner"].with_user(self.kam_user_other)
        attempts = (
            (Partner, {"company_type": "company"}),
            (Partner.with_context(default_is_company=True), {}),
            (Partner.with_context(default_company_type="company"), {}),
        )
        for model, extra in attempts:
            with self.subTest(extra=extra, context=model.env.context):
                with self.assertRaises(AccessError):
                    created = model.create(
                        {
                            "name": "Grabbed Company",
                            "parent_id": self.plain.id,
                            "kam_user_id": self.kam_user_other.id,
                            "kam_is_key_account": True,
                            **extra,
                        }
                    )
                    # what is refused must not have been stored either
                    self.assertFalse(created.sudo().kam_user_id)
                    self.fail("company with a parent got a KAM")

    def test_child_company_command_on_a_parent(self):
        with self.assertRaises(AccessError):
            self.plain.with_user(self.kam_user_other).write(
                {
                    "child_ids": [
                        Command.create(
                            {
                                "name": "Grabbed Subsidiary",
                                "is_company": True,
                                "kam_user_id": self.kam_user_other.id,
                            }
                        )
                    ]
                }
            )
        # a contact added the same way gets its company's (empty) values
        self.plain.with_user(self.kam_user_other).write(
            {
                "child_ids": [
                    Command.create(
                        {"name": "Plain Buyer", "kam_user_id": self.kam_user_other.id}
                    )
                ]
            }
        )
        self.assertFalse(self.plain.child_ids.kam_user_id)

    def test_contact_keeps_its_company_values(self):
        """A contact of the key account written directly, or with one2many
        commands from the account, keeps the KAM of the account."""
        for user in (self.sales_user, self.kam_user_other):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.buyer.with_user(user).write({"kam_user_id": user.id})
                with self.assertRaises(AccessError):
                    self.account.with_user(user).write(
                        {
                            "child_ids": [
                                Command.update(
                                    self.buyer.id,
                                    {"kam_user_id": self.kam_user_other.id},
                                )
                            ]
                        }
                    )
        self.assertEqual(self.buyer.sudo().kam_user_id, self.kam_user)

    def test_move_key_account_under_another_company_refused(self):
        """Moving the account (or one of its contacts) under another company
        changes who serves it: the other KAM would take it, a plain company
        would take it away from its KAM."""
        attempts = (
            (self.kam_user_other, self.account, {"parent_id": self.own_account.id}),
            (self.sales_user, self.account, {"parent_id": self.plain.id}),
            (self.kam_user_other, self.buyer, {"parent_id": self.own_account.id}),
            (self.sales_user, self.buyer, {"parent_id": self.plain.id}),
            (self.sales_user, self.buyer, {"parent_id": False}),
            (
                self.kam_user_other,
                self.account,
                {"commercial_partner_id": self.own_account.id},
            ),
            (self.sales_user, self.buyer, {"commercial_partner_id": self.plain.id}),
        )
        for user, partner, vals in attempts:
            vals = {"is_company": False, **vals} if partner == self.account else vals
            with self.subTest(user=user.login, partner=partner.name, vals=vals):
                with self.assertRaises(AccessError):
                    partner.with_user(user).write(vals)
                    self.env.flush_all()
                self._assert_untouched()
                self.assertEqual(self.buyer.sudo().kam_user_id, self.kam_user)
                self.assertEqual(self.buyer.sudo().commercial_partner_id, self.account)
        # the same through the contacts of a company (one2many commands)
        for user, company, command in (
            (self.kam_user_other, self.own_account, Command.link(self.buyer.id)),
            (self.sales_user, self.plain, Command.link(self.buyer.id)),
            (self.sales_user, self.account, Command.unlink(self.buyer.id)),
        ):
            with self.subTest(user=user.login, company=company.name, command=command):
                with self.assertRaises(AccessError):
                    company.with_user(user).write({"child_ids": [command]})
                    self.env.flush_all()
                self._assert_untouched()
                self.assertEqual(self.buyer.sudo().commercial_partner_id, self.account)
        # a contact joins the key account (the commercial sync), and a KAM
        # Manager moves contacts out of it
        newcomer = (
            self.env["res.partner"]
            .with_user(self.sales_user)
            .create({"name": "Newcomer", "parent_id": self.plain.id})
        )
        newcomer.write({"parent_id": self.account.id})
        self.assertEqual(newcomer.sudo().kam_user_id, self.kam_user)
        self.buyer.with_user(self.kam_manager).write({"parent_id": self.plain.id})
        self.assertFalse(self.buyer.kam_user_id)

    def test_import_refused(self):
        """An import updating the account (database ids) gives it no KAM."""
        for user in (self.sales_user, self.kam_user_other):
            with self.subTest(user=user.login):
                result = (
                    self.env["res.partner"]
                    .with_user(user)
                    .load(
                        [".id", "kam_user_id/.id", "kam_is_key_account"],
                        [[str(self.account.id), str(user.id), "False"]],
                    )
                )
                self.assertFalse(result["ids"])
                self.assertTrue(result["messages"])
                self._assert_untouched()

    def test_copy_does_not_hand_over_the_account(self):
        for user in (self.sales_user, self.kam_user_other):
            with self.subTest(user=user.login):
                try:
                    copy = self.account.with_user(user).copy(
                        {"kam_user_id": self.kam_user_other.id}
                    )
                except AccessError:
                    continue
                self.assertNotEqual(copy.sudo().kam_user_id, self.kam_user_other)

    def test_delete_key_account_refused(self):
        """Deleting a key account takes it away from its KAM: KAM Managers
        only. A contact of it is still deleted by a salesperson."""
        for user in (self.sales_user, self.kam_user_other, self.kam_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.account.with_user(user).unlink()
                self._assert_untouched()
        self.buyer.with_user(self.sales_user).unlink()
        self.assertFalse(self.buyer.exists())
        self.account.with_user(self.kam_manager).unlink()
        self.assertFalse(self.account.exists())

    def test_archive_key_account_refused(self):
        for user in (self.sales_user, self.kam_user_other, self.kam_user):
            for call in (
                lambda u=user: self.account.with_user(u).action_archive(),
                lambda u=user: self.account.with_user(u).write({"active": False}),
            ):
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    call()
                self.assertTrue(self.account.active)
        self.buyer.with_user(self.sales_user).action_archive()
        self.assertFalse(self.buyer.active)
        self.account.with_user(self.kam_manager).action_archive()
        self.assertFalse(self.account.active)

    def test_health_computed_by_who_serves_only(self):
        Score = self.env["kam.health.score"]
        for user in (self.sales_user, self.kam_user_other):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.account.with_user(user).action_kam_compute_health()
                self.assertFalse(Score.search([("partner_id", "=", self.account.id)]))
        self.account.with_user(self.kam_user).action_kam_compute_health()
        self.assertTrue(Score.search([("partner_id", "=", self.account.id)]))

    def _merge(self, user, partners, dst):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create(
                {"partner_ids": [Command.set(partners.ids)], "dst_partner_id": dst.id}
            )
        )
        wizard.action_merge()

    def test_merge_key_account_into_own_refused(self):
        """The other KAM merges the key account into his own one (his values
        win, so no ownership field changes) and would take its documents."""
        dossier = self.env["kam.dossier"].create({"partner_id": self.account.id})
        with self.assertRaises(AccessError):
            self._merge(
                self.kam_user_other, self.account | self.own_account, self.own_account
            )
        self._assert_untouched()
        self.assertEqual(dossier.partner_id, self.account)
        # a salesperson into his own company
        with self.assertRaises(AccessError):
            self._merge(self.sales_user, self.account | self.plain, self.plain)
        self._assert_untouched()

    def test_merge_contact_out_of_key_account_refused(self):
        """Merging a contact of the key account into a contact of another
        company moves its orders and invoices out of the account; duplicates
        within the account are still merged by a salesperson."""
        Partner = self.env["res.partner"]
        outsider = Partner.create(
            {
                "name": "Attacked Buyer",
                "parent_id": self.plain.id,
                "email": "same@attacked.example.com",
            }
        )
        self.buyer.email = "same@attacked.example.com"
        order = self.env["sale.order"].create({"partner_id": self.buyer.id})
        for dst in (outsider, self.buyer):
            with self.subTest(dst=dst.display_name):
                with self.assertRaises(AccessError):
                    self._merge(self.sales_user, self.buyer | outsider, dst)
                self.assertTrue(self.buyer.exists() and outsider.exists())
                self.assertEqual(order.partner_id, self.buyer)
        duplicate = Partner.create(
            {
                "name": "Attacked Buyer",
                "parent_id": self.account.id,
                "email": "same@attacked.example.com",
            }
        )
        self._merge(self.sales_user, self.buyer | duplicate, self.buyer)
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.buyer.sudo().kam_user_id, self.kam_user)


@tagged("post_install", "-at_install")
class TestAttackBuyingGroup(AttackCommon):
    def test_new_lead_copies_no_buying_group(self):
        env = self.env
        person = env["res.partner"].create(
            {"name": "Decision Maker", "parent_id": self.account.id}
        )
        env["kam.dossier"].create(
            {
                "partner_id": self.account.id,
                "member_ids": [Command.create({"partner_id": person.id})],
            }
        )
        Lead = env["crm.lead"].with_user(self.sales_user)
        for vals in (
            {"partner_id": self.account.id},
            {"partner_id": self.buyer.id},
            {"partner_id": self.account.id, "user_id": False},
        ):
            with self.subTest(vals=vals):
                lead = Lead.create({"name": "Fishing", "type": "opportunity", **vals})
                self.assertFalse(lead.sudo().kam_deal_role_ids)
        # a lead given to the KAM: refused by the sales rules
        with self.assertRaises(AccessError):
            Lead.create(
                {
                    "name": "Handed over",
                    "partner_id": self.account.id,
                    "user_id": self.kam_user.id,
                }
            )
        lead = Lead.create({"name": "Switch", "partner_id": self.plain.id})
        lead.write({"partner_id": self.account.id})
        self.assertFalse(lead.sudo().kam_deal_role_ids)
        order = (
            env["sale.order"]
            .with_user(self.sales_user)
            .create({"partner_id": self.account.id})
        )
        self.assertFalse(order.sudo().kam_deal_role_ids)
        # the account's KAM does get it
        lead = (
            env["crm.lead"]
            .with_user(self.kam_user)
            .create({"name": "Served", "partner_id": self.account.id})
        )
        self.assertEqual(lead.kam_deal_role_ids.partner_id, person)


@tagged("post_install", "-at_install")
class TestAttackFiguresRpc(AttackCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="kam_portal_attack_test", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.account
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.portal.partner_id.id, "user_id": cls.sales_user.id}
        )

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _assert_refused(self, model, method, args, kwargs=None):
        """Refused with an access error, or (onchange) answered without the
        figures."""
        try:
            result = self._rpc(model, method, args, kwargs)
        except JsonRpcException as error:
            self.assertEqual(str(error), ACCESS_ERROR, f"{model}.{method}")
            return
        self.assertEqual(method, "onchange", f"{model}.{method} answered {result!r}")
        for secret in ("kam_margin", "12345"):
            self.assertNotIn(secret, str(result), f"{model}.{method}")

    def _calls(self, account, order):
        P, S = "res.partner", "sale.order"
        margin = [("kam_margin", ">", 10000)]
        return [
            (P, "web_read", [account.ids], {"specification": {"kam_margin": {}}}),
            (
                P,
                "web_search_read",
                [[("id", "=", account.id)]],
                {"specification": {"kam_abc_class": {}}},
            ),
            (P, "search_count", [margin]),
            (P, "search", [[("child_ids.kam_margin", ">", 10000)]]),
            (P, "search", [[("commercial_partner_id.kam_abc_class", "=", "A")]]),
            (P, "search", [[]], {"order": "kam_margin desc"}),
            (P, "name_search", [], {"name": "Attacked", "args": margin}),
            (
                P,
                "web_read_group",
                [[], ["kam_abc_class"], ["kam_abc_class"]],
            ),
            (P, "read_group", [[], ["kam_margin:sum"], []]),
            (
                P,
                "onchange",
                [account.ids, {}, [], {"kam_margin": {}}],
            ),
            (
                P,
                "onchange",
                [[], {"parent_id": account.id}, ["parent_id"], {"kam_margin": {}}],
            ),
            (S, "search", [[("partner_id.kam_margin", ">", 10000)]]),
            (
                S,
                "web_read",
                [order.ids],
                {
                    "specification": {
                        "partner_id": {
                            "fields": {"kam_margin": {}, "kam_abc_class": {}}
                        }
                    }
                },
            ),
        ]

    def test_salesperson_refused_every_channel(self):
        self.authenticate(self.sales_user.login, self.sales_user.login)
        for model, method, args, *kwargs in self._calls(self.account, self.order):
            with self.subTest(model=model, method=method, args=args):
                self._assert_refused(model, method, args, *kwargs)
        # the order itself is read, without the figures
        self.assertTrue(
            self._rpc(
                "sale.order",
                "web_read",
                [self.order.ids],
                {"specification": {"partner_id": {"fields": {"display_name": {}}}}},
            )
        )

    def test_portal_refused_on_own_company(self):
        self.authenticate(self.portal.login, self.portal.login)
        for model, method, args, *kwargs in self._calls(
            self.portal.partner_id.commercial_partner_id, self.order
        ):
            with self.subTest(model=model, method=method, args=args):
                self._assert_refused(model, method, args, *kwargs)

    def test_tracked_pin_reason_hidden(self):
        """The reason of a pin is tracked on the account: its tracking value
        is hidden from those who may not read the field."""
        account = self.account.with_user(self.kam_manager).with_context(
            tracking_disable=False, mail_notrack=False
        )
        self.env.cr.precommit.run()
        account.write({"kam_pin": "key", "kam_pin_reason": "Secret strategy"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        values = self.account.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "kam_pin_reason"
        )
        self.assertTrue(values)
        for user in (self.sales_user, self.portal):
            with self.subTest(user=user.login):
                self.assertFalse(
                    values.with_user(user)._filter_has_field_access(self.env(user=user))
                )
        self.authenticate(self.sales_user.login, self.sales_user.login)
        messages = self._rpc(
            "mail.message",
            "search_read",
            [[("model", "=", "res.partner"), ("res_id", "=", self.account.id)]],
            {"fields": ["body"]},
        )
        self.assertNotIn("Secret strategy", str(messages))
