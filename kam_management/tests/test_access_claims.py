# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may file a claim: by e-mail only the known contacts of customers, from
the portal at most a few claims per user and hour."""

import importlib.util
from datetime import timedelta

from odoo import fields, http
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .service_common import KamServiceCommon

ALIAS_DOMAIN = "claims-access.example.com"

RAW = """Return-Path: <{email}>
From: {name} <{email}>
To: claims@claims-access.example.com
Subject: {subject}
Message-ID: <{subject_id}@sender.example.com>
Date: Mon, 02 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Three pallets arrived with broken seals.
"""


@tagged("post_install", "-at_install")
class TestAccessClaimsMail(KamServiceCommon, MockEmail):
    """The claims alias through Odoo's mail gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias = cls.env.ref("kam_management.mail_alias_kam_claim")
        cls.alias.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": ALIAS_DOMAIN}
        )
        cls.Claim = cls.env["kam.claim"]

    def _send(self, email, subject, name="Sender"):
        """Process a mail to the claims alias: (the new claims, the mails
        sent back)."""
        before = self.Claim.search([])
        raw = RAW.format(
            email=email,
            name=name,
            subject=subject,
            subject_id=subject.lower().replace(" ", "-"),
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].message_process(None, raw)
        return self.Claim.search([]) - before, self._mails

    def assertBounced(self, email, subject, mails):
        bounces = [
            mail
            for mail in mails
            if email in mail["email_to"] and mail["subject"] == f"Re: {subject}"
        ]
        self.assertEqual(len(bounces), 1, f"no bounce sent to {email}")
        self.assertIn("registered contacts of our customers", bounces[0]["body"])

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_unknown_sender_is_bounced_and_files_no_claim(self):
        claims, mails = self._send("someone@forged.example.com", "Fake claim")
        self.assertFalse(claims)
        self.assertBounced("someone@forged.example.com", "Fake claim", mails)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_contact_of_a_partner_that_is_no_customer_is_bounced(self):
        supplier = self.env["res.partner"].create(
            {"name": "Crate Supplier", "is_company": True, "supplier_rank": 1}
        )
        self.env["res.partner"].create(
            {
                "name": "Supplier Desk",
                "parent_id": supplier.id,
                "email": "desk@crate-supplier.example.com",
            }
        )
        claims, mails = self._send("desk@crate-supplier.example.com", "Not a customer")
        self.assertFalse(claims)
        self.assertBounced("desk@crate-supplier.example.com", "Not a customer", mails)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_internal_user_is_bounced(self):
        email = self.kam_user.partner_id.email
        self.assertTrue(email)
        claims, mails = self._send(email, "Internal claim")
        self.assertFalse(claims)
        self.assertBounced(email, "Internal claim", mails)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_archived_contact_is_bounced(self):
        self.contact.active = False
        claims, mails = self._send(self.contact.email, "Archived contact")
        self.assertFalse(claims)
        self.assertBounced(self.contact.email, "Archived contact", mails)

    def test_known_contact_files_a_claim_on_its_customer(self):
        # another partner with the same address, found first by Odoo's
        # author search: the claim still goes to the customer
        self.env["res.partner"].create(
            {"name": "AAA Shared Mailbox", "email": self.contact.email}
        )
        claims, mails = self._send(self.contact.email, "Broken seals", "Ann Buyer")
        self.assertEqual(len(claims), 1)
        self.assertEqual(claims.partner_id, self.account)
        self.assertEqual(claims.contact_id, self.contact)
        self.assertEqual(claims.message_ids[-1].author_id, self.contact)
        self.assertFalse([m for m in mails if m["subject"] == "Re: Broken seals"])

    def test_contact_of_a_customer_that_is_no_key_account(self):
        customer = self.env["res.partner"].create(
            {"name": "Small Buyer Ltd", "is_company": True, "customer_rank": 1}
        )
        buyer = self.env["res.partner"].create(
            {
                "name": "Bo Buyer",
                "parent_id": customer.id,
                "email": "bo@small-buyer.example.com",
            }
        )
        # a sale order makes a customer as well
        ordered = self.env["res.partner"].create(
            {"name": "Ordering Co", "is_company": True}
        )
        self._order(ordered).action_confirm()
        orderer = self.env["res.partner"].create(
            {
                "name": "Olga",
                "parent_id": ordered.id,
                "email": "olga@ordering.example.com",
            }
        )
        self.assertEqual(
            self.Claim._kam_claim_senders("Olga <olga@ordering.example.com>"), orderer
        )
        claims, _mails = self._send(buyer.email, "Late delivery")
        self.assertEqual(claims.partner_id, customer)
        self.assertEqual(claims.contact_id, buyer)

    def test_upgrade_restricts_the_alias_of_existing_databases(self):
        """post-claims_alias of 18.0.1.1.0: the alias of a database installed
        with an earlier release accepted everyone."""
        path = (
            f"{get_module_path('kam_management')}/migrations/18.0.1.1.0/"
            "post-claims_alias.py"
        )
        spec = importlib.util.spec_from_file_location("post_claims_alias", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.alias.alias_contact = "everyone"
        migration.migrate(self.env.cr, False)  # a fresh install: nothing
        self.assertEqual(self.alias.alias_contact, "everyone")
        migration.migrate(self.env.cr, "18.0.1.0.1")
        self.env.invalidate_all()
        self.assertEqual(self.alias.alias_contact, "partners")


@tagged("post_install", "-at_install")
class TestAccessClaimsPortal(KamServiceCommon, HttpCase):
    """The new-claim form of the portal, through HTTP as a portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="kam_claim_rate_portal",
            email="rate.buyer@nordic-freight.example.com",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.account
        cls.colleague = new_test_user(
            cls.env,
            login="kam_claim_rate_colleague",
            groups="base.group_portal",
        )
        cls.colleague.partner_id.parent_id = cls.account

    def _post(self, user, name):
        """Post the form as ``user``: (the page, the claims of that name)."""
        self.authenticate(user.login, user.login)
        response = self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "name": name,
                "description": "Something is wrong.",
            },
        )
        self.assertEqual(response.status_code, 200)
        return response, self.env["kam.claim"].search([("name", "=", name)])

    def test_sixth_claim_within_the_hour_is_refused(self):
        self.env["ir.config_parameter"].search(
            [("key", "=", "kam_management.claim_portal_hourly_limit")]
        ).unlink()
        for i in range(5):
            _response, claim = self._post(self.portal_user, f"Rate claim {i}")
            self.assertEqual(len(claim), 1)
        response, claim = self._post(self.portal_user, "Rate claim 5")
        self.assertFalse(claim)
        self.assertIn("Your claim was not sent", response.text)
        self.assertIn("limited to 5 per hour", response.text)
        # the form keeps what was typed
        self.assertIn('value="Rate claim 5"', response.text)
        # the limit is per user
        _response, claim = self._post(self.colleague, "Colleague claim")
        self.assertEqual(len(claim), 1)
        # an hour later the user may send again
        claims = self.env["kam.claim"].search(
            [("create_uid", "=", self.portal_user.id)]
        )
        self.assertEqual(len(claims), 5)
        self.env.cr.execute(
            "UPDATE kam_claim SET create_date = %s WHERE id IN %s",
            (fields.Datetime.now() - timedelta(minutes=61), tuple(claims.ids)),
        )
        _response, claim = self._post(self.portal_user, "Rate claim 6")
        self.assertEqual(len(claim), 1)

    def test_limit_is_a_system_parameter(self):
        self.env["ir.config_parameter"].set_param(
            "kam_management.claim_portal_hourly_limit", "1"
        )
        _response, claim = self._post(self.portal_user, "Only claim")
        self.assertEqual(len(claim), 1)
        response, claim = self._post(self.portal_user, "One too many")
        self.assertFalse(claim)
        self.assertIn("limited to 1 per hour", response.text)
        # 0: no limit
        self.env["ir.config_parameter"].set_param(
            "kam_management.claim_portal_hourly_limit", "0"
        )
        _response, claim = self._post(self.portal_user, "One too many")
        self.assertEqual(len(claim), 1)
