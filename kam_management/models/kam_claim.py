# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.mail.tools.alias_error import AliasError


class KamClaim(models.Model):
    _name = "kam.claim"
    _description = "Customer Claim"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_received desc, id desc"
    _check_company_auto = True
    _primary_email = "email_from"
    # the customer writes on the claim from the portal with read access
    _mail_post_access = "read"

    def _default_stage_id(self):
        return self.env["kam.claim.stage"].search([], limit=1)

    def _default_severity_id(self):
        return self.env["kam.claim.severity"].search([], order="sequence desc", limit=1)

    name = fields.Char(string="Subject", required=True, tracking=True)
    reference = fields.Char(readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="The customer company the claim is from (its commercial entity).",
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    email_from = fields.Char(string="Email")
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Sales Order",
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', partner_id)]",
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')), "
        "('commercial_partner_id', '=', partner_id)]",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        check_company=True,
    )
    category_id = fields.Many2one(
        comodel_name="kam.claim.category",
        tracking=True,
    )
    description = fields.Html()
    severity_id = fields.Many2one(
        comodel_name="kam.claim.severity",
        required=True,
        tracking=True,
        default=lambda self: self._default_severity_id(),
    )
    date_received = fields.Date(
        string="Received On",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_due = fields.Date(
        string="Response Due",
        compute="_compute_date_due",
        store=True,
        readonly=False,
        tracking=True,
        help="Received date plus the response working days of the severity; "
        "can be changed by hand.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        tracking=True,
        domain="[('share', '=', False)]",
        help="By default the key account manager (the deputy while absent), "
        "else the customer's salesperson.",
    )
    kam_user_id = fields.Many2one(
        related="partner_id.kam_user_id",
        string="Key Account Manager",
    )
    stage_id = fields.Many2one(
        comodel_name="kam.claim.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_stage_ids",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True)
    # internal analysis: not for the customer (portal users read the claim)
    root_cause = fields.Text(tracking=True, groups="kam_management.group_kam_user")
    measures = fields.Html(
        string="Measures Taken", groups="kam_management.group_kam_user"
    )
    date_resolved = fields.Date(
        string="Resolved On",
        copy=False,
        tracking=True,
        help="Set when the claim enters a closing stage.",
    )
    satisfied = fields.Selection(
        selection=[("yes", "Yes"), ("no", "No")],
        string="Customer Satisfied",
        copy=False,
        tracking=True,
        groups="kam_management.group_kam_user",
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open and its response due date is past.",
    )
    color = fields.Integer()

    @api.depends("date_received", "severity_id.response_days", "company_id")
    def _compute_date_due(self):
        for claim in self:
            if not claim.date_received or not claim.severity_id:
                claim.date_due = False
                continue
            claim.date_due = claim.company_id._kam_add_working_days(
                claim.date_received, claim.severity_id.response_days
            )

    @api.depends("partner_id")
    def _compute_user_id(self):
        for claim in self:
            partner = claim.partner_id
            user = partner and partner._kam_responsible_user()
            # never a portal user (a claim created from the portal)
            creator = self.env.user if not self.env.user.share else False
            claim.user_id = user or claim.user_id or creator

    def _compute_access_url(self):
        for claim in self:
            claim.access_url = f"/my/claims/{claim.id}"

    @api.depends("date_due", "is_closed")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for claim in self:
            claim.is_overdue = bool(
                not claim.is_closed and claim.date_due and claim.date_due < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError()
        domain = [
            ("is_closed", "=", False),
            ("date_due", "<", fields.Date.context_today(self)),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order, limit=100)

    _sql_constraints = [
        (
            "reference_company_uniq",
            "UNIQUE(company_id, reference)",
            "A claim reference is unique in its company.",
        ),
    ]

    @api.constrains("date_received", "date_due", "date_resolved")
    def _check_dates(self):
        for claim in self:
            for field in ("date_due", "date_resolved"):
                if claim[field] and claim[field] < claim.date_received:
                    raise ValidationError(
                        self.env._(
                            "Claim %(claim)s: %(field)s cannot be before the "
                            "received date.",
                            claim=claim.display_name,
                            field=self._fields[field]._description_string(self.env),
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("reference", "/") == "/":
                vals["reference"] = (
                    self.env["ir.sequence"].next_by_code("kam.claim") or "/"
                )
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                if partner.commercial_partner_id != partner:
                    vals.setdefault("contact_id", partner.id)
                    vals["partner_id"] = partner.commercial_partner_id.id
        claims = super().create(vals_list)
        claims._kam_update_resolution()
        return claims

    def write(self, vals):
        res = super().write(vals)
        if "stage_id" in vals:
            self._kam_update_resolution()
        return res

    def _compute_display_name(self):
        for claim in self:
            claim.display_name = (
                f"{claim.reference} {claim.name}"
                if claim.reference and claim.reference != "/"
                else claim.name
            )

    def _kam_update_resolution(self):
        today = fields.Date.context_today(self)
        closed = self.filtered(lambda c: c.is_closed and not c.date_resolved)
        closed.filtered(lambda c: c.date_received <= today).write(
            {"date_resolved": today}
        )
        for claim in closed.filtered(lambda c: c.date_received > today):
            claim.date_resolved = claim.date_received
        self.filtered(lambda c: not c.is_closed and c.date_resolved).write(
            {"date_resolved": False}
        )

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------
    @api.model
    def _kam_claim_senders(self, email):
        """The contacts who may file a claim by e-mail from ``email``: active
        contacts with that address whose company is a customer (a customer
        rank from its invoices, a key account, or a confirmed sales order),
        internal users excluded (they file claims in the back office). Empty
        when the address is unknown."""
        Partner = self.env["res.partner"]
        email_normalized = tools.email_normalize(email or "")
        if not email_normalized:
            return Partner
        # sudo: the mail gateway matches the sender against every contact
        partners = Partner.sudo().search(
            [
                ("email_normalized", "=", email_normalized),
                ("user_ids", "not any", [("share", "=", False)]),
            ],
            order="id",
        )
        commercials = partners.commercial_partner_id
        customers = commercials.filtered(
            lambda p: p.customer_rank > 0 or p.kam_is_key_account
        )
        if commercials - customers:
            groups = (
                self.env["sale.order"]
                .sudo()
                ._read_group(
                    [
                        (
                            "partner_id.commercial_partner_id",
                            "in",
                            (commercials - customers).ids,
                        ),
                        ("state", "=", "sale"),
                    ],
                    ["partner_id"],
                )
            )
            for (partner,) in groups:
                customers |= partner.commercial_partner_id
        return partners.filtered(lambda p: p.commercial_partner_id in customers)

    def _alias_get_error(self, message, message_dict, alias):
        """A new claim by e-mail only from a known contact of a customer,
        whatever the contact policy of the alias: anyone else gets the
        alias's bounce and no claim is created. Replies to an existing claim
        follow the alias policy (Odoo's check)."""
        error = super()._alias_get_error(message, message_dict, alias)
        if error or self:
            return error
        senders = self._kam_claim_senders(message_dict.get("email_from"))
        if not senders:
            return AliasError(
                "kam_claim_unknown_sender",
                self.env._("claims are accepted from contacts of customers only"),
            )
        # the claim goes to the customer of the contact, not to another
        # partner (a vendor, an employee) with the same address
        if message_dict.get("author_id") not in senders.ids:
            message_dict["author_id"] = senders[0].id
        return False

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim from an e-mail sent to the claims alias: the sender's
        company is the customer, the sender the contact."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        values.setdefault("name", msg_dict.get("subject") or self.env._("No Subject"))
        values.setdefault("email_from", msg_dict.get("email_from"))
        values.setdefault("description", msg_dict.get("body"))
        if author:
            values.setdefault("partner_id", author.commercial_partner_id.id)
            if author.commercial_partner_id != author:
                values.setdefault("contact_id", author.id)
        claim = super().message_new(msg_dict, custom_values=values)
        claim._kam_notify_new_claim()
        return claim

    def _kam_notify_new_claim(self):
        """A claim sent by the customer (e-mail alias, portal): the
        responsible and the key account manager follow it (they receive what
        the customer writes on it) and the responsible gets a To-Do due on
        the response date (Odoo notifies the assignee)."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for claim in self:
            users = claim.user_id | claim.partner_id.kam_user_id
            if users:
                claim.message_subscribe(partner_ids=users.partner_id.ids)
            if claim.user_id and todo:
                claim.activity_schedule(
                    activity_type_id=todo.id,
                    date_deadline=claim.date_due or claim.date_received,
                    summary=self.env._("Answer the customer's claim"),
                    user_id=claim.user_id.id,
                )


class MailAlias(models.Model):
    _inherit = "mail.alias"

    def _get_alias_contact_description(self):
        """Who may write to the claims alias, for its bounce message."""
        if self.alias_model_id.model == "kam.claim":
            return self.env._("the registered contacts of our customers")
        return super()._get_alias_contact_description()
