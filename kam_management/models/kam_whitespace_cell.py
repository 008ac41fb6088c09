# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

WHITESPACE_STATUS = [
    ("us", "Buys from us"),
    ("competitor", "Buys from a competitor"),
    ("no_need", "No need"),
    ("unknown", "Unknown"),
]
SUGGESTION_STATUS = ("competitor", "unknown")


class KamWhitespaceCell(models.Model):
    _name = "kam.whitespace.cell"
    _description = "Whitespace Cell (buying unit x product category)"
    _order = "partner_id, unit_id, categ_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    unit_id = fields.Many2one(
        comodel_name="res.partner",
        string="Buying Unit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The key account itself, a child company or a department flagged "
        "as buying unit.",
    )
    categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    status = fields.Selection(
        selection=WHITESPACE_STATUS,
        required=True,
        default="unknown",
        help="Where the buying unit buys this category: set by the key account "
        "manager.",
    )
    revenue = fields.Monetary(
        string="Revenue 12 Months",
        readonly=True,
        help="Untaxed revenue invoiced to the buying unit (and its contacts "
        "that are not buying units themselves) for products of the category "
        "or its subcategories without a column of their own: posted customer "
        "invoices minus credit notes dated in the 12 months up to the refresh "
        "date, in the company currency. Refreshed when the matrix is opened "
        "and every night.",
    )
    revenue_date = fields.Date(
        string="Revenue As Of",
        readonly=True,
        help="The day the revenue was last computed.",
    )
    is_suggestion = fields.Boolean(
        string="Cross-sell Suggestion",
        compute="_compute_is_suggestion",
        store=True,
        help="No revenue in the last 12 months and the unit buys from a "
        "competitor or its need is unknown.",
    )
    note = fields.Char()
    target_amount = fields.Monetary(
        string="Target",
        currency_field="currency_id",
        help="Revenue the key account manager aims at in this cell; the "
        "expected revenue of the opportunity created from it.",
    )
    target_date = fields.Date(
        help="When the target should be won; the expected closing of the "
        "opportunity created from the cell.",
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The opportunity created from this cell.",
    )
    lead_open = fields.Boolean(
        string="Opportunity Open",
        compute="_compute_lead_open",
        help="The opportunity of the cell is neither won nor lost.",
    )

    _sql_constraints = [
        (
            "cell_unique",
            "UNIQUE(partner_id, unit_id, categ_id, company_id)",
            "A buying unit has one whitespace cell per product category.",
        ),
    ]

    @api.depends("status", "revenue", "currency_id")
    def _compute_is_suggestion(self):
        for cell in self:
            cell.is_suggestion = (
                cell.status in SUGGESTION_STATUS
                and cell.currency_id.is_zero(cell.revenue)
            )

    @api.constrains("target_amount")
    def _check_target_amount(self):
        for cell in self:
            if cell.target_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The target of the whitespace cell %(unit)s / %(category)s "
                        "cannot be negative (field Target).",
                        unit=cell.unit_id.display_name,
                        category=cell.categ_id.display_name,
                    )
                )

    @api.depends("lead_id.active", "lead_id.probability")
    def _compute_lead_open(self):
        for cell in self:
            lead = cell.lead_id.sudo()
            cell.lead_open = bool(lead) and lead.active and lead.probability < 100

    def action_kam_create_opportunity(self):
        """Create an opportunity for the cell's account and product category,
        the target as expected revenue, the account's KAM as salesperson;
        not a second one while the cell's opportunity is open."""
        self.ensure_one()
        # the user must be allowed to edit the cell (serves the account)
        self.check_access("write")
        if self.lead_open:
            raise UserError(
                self.env._(
                    "The whitespace cell %(unit)s / %(category)s already has the "
                    "open opportunity %(lead)s (field Opportunity).",
                    unit=self.unit_id.display_name,
                    category=self.categ_id.display_name,
                    lead=self.lead_id.sudo().display_name,
                )
            )
        account = self.partner_id
        salesperson = account._kam_responsible_user() or self.env.user
        # sudo: the lead goes to the KAM, whom the own-documents rule of
        # Sales would not let the deputy or a team member assign
        lead = (
            self.env["crm.lead"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "type": "opportunity",
                    "name": self.env._(
                        "%(category)s for %(unit)s",
                        category=self.categ_id.display_name,
                        unit=self.unit_id.display_name,
                    ),
                    "partner_id": self.unit_id.id,
                    "expected_revenue": self.target_amount,
                    "date_deadline": self.target_date,
                    "user_id": salesperson.id,
                    "company_id": self.company_id.id,
                }
            )
        )
        self.lead_id = lead
        return self.action_kam_open_opportunity()

    def action_kam_open_opportunity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.model
    def _kam_generate_key_accounts(self):
        """Build the whitespace matrix of every key account of the current
        company (demo data)."""
        accounts = self.env["res.partner"].search(
            [("kam_is_key_account", "=", True), ("is_company", "=", True)]
        )
        return self._kam_generate(accounts)

    def _kam_revenue_by_cell(self):
        """{(unit id, category id, company id): revenue} for the cells of
        self, with one grouped query on the invoicing analysis."""
        cells = self.filtered(lambda c: c.partner_id and c.unit_id and c.categ_id)
        if not cells:
            return {}
        today = fields.Date.context_today(self)
        units = cells.unit_id
        # every contact below a unit belongs to the nearest unit above it
        members = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "child_of", units.ids)])
        )
        unit_ids = set(units.ids)
        unit_of = {}
        for member in members:
            node = member
            while node and node.id not in unit_ids:
                node = node.parent_id
            unit_of[member.id] = node.id
        categ_ids = set(cells.categ_id.ids)
        groups = self.env["account.invoice.report"]._read_group(
            [
                ("partner_id", "in", members.ids),
                ("company_id", "in", cells.company_id.ids),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">", today - relativedelta(months=12)),
                ("invoice_date", "<=", today),
                ("product_categ_id", "!=", False),
            ],
            groupby=["partner_id", "product_categ_id", "company_id"],
            aggregates=["price_subtotal:sum"],
        )
        revenue = defaultdict(float)
        for partner, categ, company, amount in groups:
            node = categ
            while node and node.id not in categ_ids:
                node = node.parent_id
            if node:
                revenue[(unit_of.get(partner.id), node.id, company.id)] += amount
        return revenue

    @api.model
    def _kam_generate(self, accounts):
        """Create the missing cells of the accounts: their buying units x
        the categories of our saleable products. Returns all their cells."""
        accounts = accounts.commercial_partner_id
        if not accounts:
            return self.browse()
        company = self.env.company
        units = self.env["res.partner"].search(
            [
                ("id", "child_of", accounts.ids),
                "|",
                ("is_company", "=", True),
                ("kam_buying_unit", "=", True),
            ]
        )
        categories = [
            categ
            for (categ,) in self.env["product.template"]._read_group(
                [
                    ("sale_ok", "=", True),
                    ("company_id", "in", [False, company.id]),
                ],
                groupby=["categ_id"],
            )
        ]
        existing = self.search(
            [("partner_id", "in", accounts.ids), ("company_id", "=", company.id)]
        )
        have = {(c.unit_id.id, c.categ_id.id) for c in existing}
        vals_list = []
        for unit in units:
            account = unit.commercial_partner_id
            while account.parent_id and account not in accounts:
                account = account.parent_id.commercial_partner_id
            if account not in accounts:
                continue
            for categ in categories:
                if (unit.id, categ.id) not in have:
                    vals_list.append(
                        {
                            "partner_id": account.id,
                            "unit_id": unit.id,
                            "categ_id": categ.id,
                            "company_id": company.id,
                        }
                    )
        cells = existing | self.create(vals_list)
        cells._kam_refresh_revenue()
        return cells

    def _kam_refresh_revenue(self):
        """Store the revenue of the last 12 months of the cells: one grouped
        query to read, one statement to write."""
        today = fields.Date.context_today(self)
        cells = self.sudo()
        revenue = cells._kam_revenue_by_cell()
        for cell in cells:
            cell.write(
                {
                    "revenue": revenue.get(
                        (cell.unit_id.id, cell.categ_id.id, cell.company_id.id), 0.0
                    ),
                    "revenue_date": today,
                }
            )
        cells.flush_recordset()

    @api.model
    def _cron_kam_refresh_revenue(self, batch_size=1000):
        """Nightly refresh of the whitespace revenue, in batches."""
        today = fields.Date.context_today(self)
        domain = ["|", ("revenue_date", "=", False), ("revenue_date", "<", today)]
        cells = self.sudo().search(domain, limit=batch_size)
        cells._kam_refresh_revenue()
        remaining = self.sudo().search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(cells), remaining=remaining)
