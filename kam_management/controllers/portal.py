# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer portal for claims: ``/my/claims`` (list), ``/my/claims/<id>``
(detail with the chatter) and ``/my/claims/new`` (form).

Portal users read the claims of their own commercial partner through a
record rule; the detail page also opens with the claim's access token. A
claim is created by the controller (``sudo``) once the whole form is valid,
with the customer's commercial partner, the contact and defaults of the
back office (stage, severity, due date, responsible). A portal user files
at most ``kam_management.claim_portal_hourly_limit`` claims (system
parameter, default 5, 0 for no limit) in any hour."""

from datetime import timedelta

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

SUBJECT_MAX = 200
DESCRIPTION_MAX = 10000
DOCUMENT_OPTIONS_MAX = 200
HOURLY_LIMIT_PARAM = "kam_management.claim_portal_hourly_limit"
HOURLY_LIMIT_DEFAULT = 5


class KamClaimPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kam_claim_count" in counters:
            Claim = request.env["kam.claim"]
            values["kam_claim_count"] = (
                Claim.search_count(self._kam_claim_domain())
                if Claim.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # List
    # ------------------------------------------------------------------
    def _kam_claim_domain(self):
        """The claims of the user's company (the record rule restricts the
        portal users to it as well)."""
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _kam_claim_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_received desc, id desc",
            },
            "stage": {
                "label": request.env._("Stage"),
                "order": "stage_id, date_received desc, id desc",
            },
        }

    def _kam_claim_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Subject")},
            "reference": {
                "input": "reference",
                "label": request.env._("Search in Reference"),
            },
        }

    def _kam_claim_search_domain(self, search_in, search):
        if search_in == "name":
            return [("name", "ilike", search)]
        if search_in == "reference":
            return [("reference", "ilike", search)]
        return ["|", ("name", "ilike", search), ("reference", "ilike", search)]

    @http.route(
        ["/my/claims", "/my/claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_kam_claims(
        self, page=1, sortby=None, search=None, search_in="all", **kw
    ):
        Claim = request.env["kam.claim"]
        if not Claim.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        sortings = self._kam_claim_searchbar_sortings()
        if sortby not in sortings:
            sortby = "date"
        inputs = self._kam_claim_searchbar_inputs()
        if search_in not in inputs:
            search_in = "all"
        domain = self._kam_claim_domain()
        if search:
            domain += self._kam_claim_search_domain(search_in, search)
        pager = portal_pager(
            url="/my/claims",
            url_args={"sortby": sortby, "search": search, "search_in": search_in},
            total=Claim.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        claims = Claim.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_kam_claims_history"] = claims.ids[:100]
        values.update(
            {
                # sudo: stages and categories are configuration the portal
                # user has no access right on; the claims are the user's own
                "claims": claims.sudo(),
                "page_name": "kam_claim",
                "default_url": "/my/claims",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("kam_management.portal_my_kam_claims", values)

    # ------------------------------------------------------------------
    # Detail
    # ------------------------------------------------------------------
    @http.route(["/my/claims/<int:claim_id>"], type="http", auth="public", website=True)
    def portal_my_kam_claim(self, claim_id, access_token=None, **kw):
        try:
            claim_sudo = self._document_check_access(
                "kam.claim", claim_id, access_token=access_token
            )
        except (AccessError, MissingError):
            if request.env.user._is_public() and not access_token:
                return request.redirect(
                    f"/web/login?redirect=/my/claims/{int(claim_id)}"
                )
            # the same answer for a claim of someone else and a missing one
            raise NotFound() from None
        values = {
            "page_name": "kam_claim",
            "claim": claim_sudo,
            "user": request.env.user,
            "created": kw.get("created"),
            **self._kam_claim_documents(claim_sudo),
        }
        values = self._get_page_view_values(
            claim_sudo, access_token, values, "my_kam_claims_history", False, **kw
        )
        return request.render("kam_management.portal_my_kam_claim", values)

    def _kam_claim_documents(self, claim_sudo):
        """The order and invoice of the claim, with their portal link only
        when the visitor may open them."""
        documents = {}
        for key, record in (
            ("order", claim_sudo.sale_order_id),
            ("invoice", claim_sudo.invoice_id),
        ):
            url = False
            if record and record.with_user(request.env.user).has_access("read"):
                url = record.access_url
            documents[f"claim_{key}_url"] = url
        return documents

    # ------------------------------------------------------------------
    # New claim
    # ------------------------------------------------------------------
    def _kam_claim_form_records(self, model, domain, record_id=None):
        """Records of ``model`` in ``domain`` the user may read: the options
        of the form, or the one chosen (``record_id``) if it is among them."""
        Model = request.env[model]
        if not Model.has_access("read"):
            return Model
        if record_id is not None:
            return Model.search(domain + [("id", "=", record_id)])
        return Model.search(domain, limit=DOCUMENT_OPTIONS_MAX)

    def _kam_claim_form_orders(self, commercial, record_id=None):
        """Confirmed orders of the customer that the user may read."""
        return self._kam_claim_form_records(
            "sale.order",
            [
                ("partner_id.commercial_partner_id", "=", commercial.id),
                ("state", "=", "sale"),
            ],
            record_id,
        )

    def _kam_claim_form_invoices(self, commercial, record_id=None):
        """Posted invoices and credit notes of the customer that the user
        may read."""
        return self._kam_claim_form_records(
            "account.move",
            [
                ("commercial_partner_id", "=", commercial.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
            ],
            record_id,
        )

    def _kam_claim_form_values(self, form=None, errors=None):
        commercial = request.env.user.commercial_partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "kam_claim_new",
                # sudo: configuration without access rights for portal users
                "categories": request.env["kam.claim.category"].sudo().search([]),
                "orders": self._kam_claim_form_orders(commercial),
                "invoices": self._kam_claim_form_invoices(commercial),
                "form": form or {},
                "errors": errors or {},
            }
        )
        return values

    def _kam_claim_parse_id(self, value):
        try:
            return int(value) if value else 0
        except (TypeError, ValueError):
            return -1

    def _kam_claim_validate(self, form):
        """``(values to create, {field: message})`` from the posted form; the
        values are only complete when there is no error."""
        user = request.env.user
        contact = user.partner_id
        commercial = contact.commercial_partner_id
        errors = {}
        name = (form.get("name") or "").strip()
        description = (form.get("description") or "").strip()
        if not name:
            errors["name"] = request.env._("Please enter a subject.")
        elif len(name) > SUBJECT_MAX:
            errors["name"] = request.env._(
                "The subject is too long (%(max)s characters at most).",
                max=SUBJECT_MAX,
            )
        if not description:
            errors["description"] = request.env._("Please describe the problem.")
        elif len(description) > DESCRIPTION_MAX:
            errors["description"] = request.env._(
                "The description is too long (%(max)s characters at most).",
                max=DESCRIPTION_MAX,
            )
        category = request.env["kam.claim.category"]
        category_id = self._kam_claim_parse_id(form.get("category_id"))
        if category_id:
            category = category.sudo().search([("id", "=", category_id)])
            if not category:
                errors["category_id"] = request.env._(
                    "Please choose a category from the list."
                )
        order = request.env["sale.order"]
        order_id = self._kam_claim_parse_id(form.get("sale_order_id"))
        if order_id:
            order = self._kam_claim_form_orders(commercial, order_id)
            if not order:
                errors["sale_order_id"] = request.env._(
                    "Please choose one of your confirmed orders from the list."
                )
        invoice = request.env["account.move"]
        invoice_id = self._kam_claim_parse_id(form.get("invoice_id"))
        if invoice_id:
            invoice = self._kam_claim_form_invoices(commercial, invoice_id)
            if not invoice:
                errors["invoice_id"] = request.env._(
                    "Please choose one of your invoices from the list."
                )
        companies = order.company_id | invoice.company_id
        if len(companies) > 1:
            errors["invoice_id"] = request.env._(
                "The order and the invoice are from different companies; "
                "please send one claim for each."
            )
        if errors:
            return {}, errors
        website = getattr(request, "website", None)
        company = (
            companies
            or commercial.company_id
            or (website and website.company_id)
            or request.env.company
        )
        return {
            "name": name,
            "description": plaintext2html(description),
            "partner_id": commercial.id,
            "contact_id": contact.id if contact != commercial else False,
            "email_from": contact.email_formatted or False,
            "category_id": category.id or False,
            "sale_order_id": order.id or False,
            "invoice_id": invoice.id or False,
            "company_id": company.id,
        }, {}

    def _kam_claim_hourly_limit(self):
        """Claims a user may file from the portal in one hour (0: no limit);
        a value that is not a number falls back to the default."""
        # sudo: portal users cannot read system parameters
        value = request.env["ir.config_parameter"].sudo().get_param(HOURLY_LIMIT_PARAM)
        try:
            return max(int(value), 0) if value else HOURLY_LIMIT_DEFAULT
        except ValueError:
            return HOURLY_LIMIT_DEFAULT

    def _kam_claim_rate_error(self):
        """The message when the user has filed the hourly number of claims
        already (one count query), else ``None``."""
        limit = self._kam_claim_hourly_limit()
        if not limit:
            return None
        since = fields.Datetime.now() - timedelta(hours=1)
        # sudo: the claims the user filed, whoever may read them now
        count = (
            request.env["kam.claim"]
            .sudo()
            .search_count(
                [("create_uid", "=", request.env.uid), ("create_date", ">=", since)],
                limit=limit,
            )
        )
        if count < limit:
            return None
        return request.env._(
            "Claims sent from the portal are limited to %(limit)s per hour and "
            "you have reached that limit: please try again later, or contact "
            "your account manager if it is urgent.",
            limit=limit,
        )

    @http.route(
        "/my/claims/new",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_kam_claim_new(self, **post):
        if not request.env["kam.claim"].has_access("read"):
            return request.redirect("/my")
        if request.httprequest.method != "POST":
            return request.render(
                "kam_management.portal_kam_claim_new", self._kam_claim_form_values()
            )
        post.pop("csrf_token", None)
        rate_error = self._kam_claim_rate_error()
        if rate_error:
            return request.render(
                "kam_management.portal_kam_claim_new",
                self._kam_claim_form_values(form=post, errors={"form": rate_error}),
            )
        vals, errors = self._kam_claim_validate(post)
        if not errors:
            try:
                with request.env.cr.savepoint():
                    # sudo: portal users have no create right; the values
                    # are the validated ones above
                    claim = (
                        request.env["kam.claim"]
                        .sudo()
                        .with_company(vals["company_id"])
                        .create(vals)
                    )
                    claim._kam_notify_new_claim()
            except (UserError, ValidationError) as error:
                errors["form"] = str(error)
            else:
                return request.redirect(f"{claim.access_url}?created=1")
        return request.render(
            "kam_management.portal_kam_claim_new",
            self._kam_claim_form_values(form=post, errors=errors),
        )
