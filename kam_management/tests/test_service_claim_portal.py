# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .service_common import KamServiceCommon

RAW_CLAIM = """Return-Path: <ann.buyer@nordic-freight.example.com>
From: Ann Buyer <ann.buyer@nordic-freight.example.com>
To: claims@claims-portal.example.com
Subject: Wrong labels on the pallets
Message-ID: <claim-portal-0001@nordic-freight.example.com>
Date: Mon, 02 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

The labels do not match the delivery note.
"""


@tagged("post_install", "-at_install")
class TestServiceClaimPortal(KamServiceCommon, HttpCase):
    """The customer portal of claims, through HTTP as a portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="kam_claim_portal",
            name="Claim Portal Buyer",
            email="portal.buyer@nordic-freight.example.com",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.account
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Other Buyer", "parent_id": cls.other_account.id}
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            login="kam_claim_portal_other",
            name="Other Portal Buyer",
            groups="base.group_portal",
        )
        cls.other_portal_user.partner_id.parent_id = cls.other_account
        cls.stage_new = cls.env.ref("kam_management.kam_claim_stage_new")
        cls.category = cls.env.ref("kam_management.kam_claim_category_delivery")
        cls.own_order = cls._order(cls.account)
        cls.own_order.action_confirm()
        cls.foreign_order = cls._order(cls.other_account, user=cls.kam_user_other)
        cls.foreign_order.action_confirm()
        cls.own_claim = cls.env["kam.claim"].create(
            {
                "name": "Pallets without labels",
                "partner_id": cls.account.id,
                "root_cause": "Internal: labelling machine down",
            }
        )
        cls.foreign_claim = cls.env["kam.claim"].create(
            {"name": "Foreign secret claim", "partner_id": cls.other_account.id}
        )

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _claims_of(self, partner):
        return self.env["kam.claim"].search([("partner_id", "=", partner.id)])

    def _post_new(self, **fields):
        data = {"csrf_token": http.Request.csrf_token(self), **fields}
        return self.url_open("/my/claims/new", data=data)

    # --- list and home --------------------------------------------------------
    def test_list_shows_own_claims_only(self):
        self._login(self.portal_user)
        response = self.url_open("/my/claims")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Pallets without labels", response.text)
        self.assertNotIn("Foreign secret claim", response.text)
        home = self.url_open("/my")
        self.assertIn('href="/my/claims"', home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["kam_claim_count"]}
        )
        self.assertEqual(counters["kam_claim_count"], 1)
        # search and sort
        response = self.url_open("/my/claims?search=labels&search_in=name&sortby=stage")
        self.assertIn("Pallets without labels", response.text)
        response = self.url_open("/my/claims?search=nothing-like-this")
        self.assertNotIn("Pallets without labels", response.text)
        # the other customer sees its own claim only
        self._login(self.other_portal_user)
        response = self.url_open("/my/claims")
        self.assertIn("Foreign secret claim", response.text)
        self.assertNotIn("Pallets without labels", response.text)

    def test_orm_access_of_portal_users(self):
        Claim = self.env["kam.claim"].with_user(self.portal_user)
        both = self.own_claim | self.foreign_claim
        self.assertEqual(Claim.search([("id", "in", both.ids)]), self.own_claim)
        with self.assertRaises(AccessError):
            self.foreign_claim.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.own_claim.with_user(self.portal_user).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            Claim.create({"name": "Direct", "partner_id": self.account.id})
        # the internal analysis is not for the customer
        with self.assertRaises(AccessError):
            self.own_claim.with_user(self.portal_user).read(["root_cause"])

    # --- detail -------------------------------------------------------------
    def test_detail_of_own_claim_hides_internal_fields(self):
        self._login(self.portal_user)
        response = self.url_open(f"/my/claims/{self.own_claim.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Pallets without labels", response.text)
        self.assertIn("o_portal_chatter", response.text)
        self.assertNotIn("labelling machine", response.text)

    @mute_logger("odoo.http")
    def test_detail_of_another_customer_claim_is_refused(self):
        self._login(self.other_portal_user)
        response = self.url_open(f"/my/claims/{self.own_claim.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Pallets without labels", response.text)
        missing = self.url_open("/my/claims/999999999")
        self.assertEqual(missing.status_code, 404)

    @mute_logger("odoo.http")
    def test_access_token_link(self):
        token = self.own_claim._portal_ensure_token()
        url = self.own_claim.get_portal_url()
        self.assertIn(f"/my/claims/{self.own_claim.id}?access_token={token}", url)
        # a visitor without session, and a portal user of another customer
        self.authenticate(None, None)
        self.assertEqual(self.url_open(url).status_code, 200)
        self.assertIn("Pallets without labels", self.url_open(url).text)
        wrong = self.url_open(f"/my/claims/{self.own_claim.id}?access_token=wrong")
        self.assertEqual(wrong.status_code, 404)
        self._login(self.other_portal_user)
        self.assertEqual(self.url_open(url).status_code, 200)

    # --- creation -----------------------------------------------------------
    def test_create_claim_from_the_portal(self):
        self._login(self.portal_user)
        form = self.url_open("/my/claims/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn(self.own_order.name, form.text)
        self.assertNotIn(self.foreign_order.name, form.text)
        response = self._post_new(
            name="Missing pallet",
            description="One pallet of the last delivery is missing.\nPlease check.",
            category_id=str(self.category.id),
            sale_order_id=str(self.own_order.id),
        )
        self.assertEqual(response.status_code, 200)
        claim = self.env["kam.claim"].search([("name", "=", "Missing pallet")])
        self.assertEqual(len(claim), 1)
        self.assertTrue(response.url.endswith(f"/my/claims/{claim.id}?created=1"))
        self.assertIn("we have received your claim", response.text)
        self.assertEqual(claim.partner_id, self.account)
        self.assertEqual(claim.contact_id, self.portal_user.partner_id)
        self.assertEqual(claim.company_id, self.company)
        self.assertEqual(claim.stage_id, self.stage_new)
        self.assertEqual(claim.category_id, self.category)
        self.assertEqual(claim.sale_order_id, self.own_order)
        self.assertEqual(
            claim.severity_id, self.env["kam.claim"]._default_severity_id()
        )
        self.assertEqual(
            claim.date_due,
            self.company._kam_add_working_days(
                claim.date_received, claim.severity_id.response_days
            ),
        )
        self.assertEqual(claim.user_id, self.kam_user)
        self.assertIn("Please check.", claim.description)
        # the responsible is told, like for a claim from the e-mail alias
        activity = claim.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.kam_user)
        self.assertEqual(activity.date_deadline, claim.date_due)
        followers = claim.message_partner_ids
        self.assertIn(self.kam_user.partner_id, followers)
        self.assertIn(self.portal_user.partner_id, followers)

    def test_bad_post_creates_nothing_and_shows_the_errors(self):
        self._login(self.portal_user)
        before = self._claims_of(self.account)
        response = self._post_new(
            name="Foreign order",
            description="   ",
            sale_order_id=str(self.foreign_order.id),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._claims_of(self.account), before)
        self.assertFalse(self._claims_of(self.other_account) - self.foreign_claim)
        self.assertIn("Your claim was not sent", response.text)
        self.assertIn("Please describe the problem.", response.text)
        self.assertIn("Please choose one of your confirmed orders", response.text)
        # the form keeps what was typed
        self.assertIn('value="Foreign order"', response.text)
        # a category or an invoice that does not exist, a non-numeric id
        response = self._post_new(
            name="Bad ids",
            description="Something",
            category_id="999999999",
            invoice_id="abc",
        )
        self.assertIn("Please choose a category from the list.", response.text)
        self.assertIn(
            "Please choose one of your invoices from the list.", response.text
        )
        self.assertEqual(self._claims_of(self.account), before)

    @mute_logger("odoo.http")
    def test_post_without_csrf_token_is_refused(self):
        self._login(self.portal_user)
        before = self._claims_of(self.account)
        response = self.url_open(
            "/my/claims/new", data={"name": "No token", "description": "x"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._claims_of(self.account), before)

    # --- discussion ---------------------------------------------------------
    def test_customer_message_reaches_the_followers(self):
        self.own_claim._kam_notify_new_claim()
        self.assertIn(self.kam_user.partner_id, self.own_claim.message_partner_ids)
        self._login(self.portal_user)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "kam.claim",
                "thread_id": self.own_claim.id,
                "post_data": {
                    "body": "Any news on the labels?",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = self.own_claim.message_ids.filtered(
            lambda m: "Any news on the labels?" in m.body
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertIn(self.kam_user.partner_id, message.notification_ids.res_partner_id)
        # another customer cannot post on it
        self._login(self.other_portal_user)
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "kam.claim",
                    "thread_id": self.own_claim.id,
                    "post_data": {"body": "Intruder", "message_type": "comment"},
                },
            )
        self.assertFalse(
            self.own_claim.message_ids.filtered(lambda m: "Intruder" in m.body)
        )

    def test_claim_from_email_notifies_the_responsible(self):
        domain = self.env["mail.alias.domain"].create(
            {"name": "claims-portal.example.com"}
        )
        self.env.ref("kam_management.mail_alias_kam_claim").alias_domain_id = domain
        claim_id = self.env["mail.thread"].message_process(None, RAW_CLAIM)
        claim = self.env["kam.claim"].browse(claim_id)
        self.assertEqual(claim.user_id, self.kam_user)
        self.assertEqual(claim.activity_ids.user_id, self.kam_user)
        self.assertIn(self.kam_user.partner_id, claim.message_partner_ids)
        self.assertEqual(claim.access_url, f"/my/claims/{claim.id}")

    def test_portal_creation_never_makes_a_portal_user_responsible(self):
        walk_in = new_test_user(
            self.env,
            login="kam_claim_portal_walkin",
            groups="base.group_portal",
        )
        walk_in.partner_id.write(
            {"parent_id": self.plain_customer.id, "user_id": False}
        )
        self.plain_customer.user_id = False
        self._login(walk_in)
        self._post_new(name="No KAM here", description="Broken item")
        claim = self.env["kam.claim"].search([("name", "=", "No KAM here")])
        self.assertEqual(claim.partner_id, self.plain_customer)
        self.assertFalse(claim.user_id)
        self.assertFalse(claim.activity_ids)
        self.assertEqual(claim.message_partner_ids.ids, [walk_in.partner_id.id])
        self.assertEqual(claim.with_user(walk_in).read(["name"])[0]["name"], claim.name)
