# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

# Key dates that must follow each other (earlier, later), checked pairwise when
# both are set.
#: fields that make the outcome of a tender (what KPIs and commissions read)
OUTCOME_FIELDS = {"stage_id", "awarded_amount", "date_closed"}
#: written by the tender itself when its outcome changes or is confirmed
OUTCOME_RECORD_FIELDS = {
    "outcome_user_id",
    "outcome_date",
    "outcome_confirmed",
    "outcome_confirmed_by_id",
}

DATE_ORDER = [
    ("date_publication", "date_clarification"),
    ("date_publication", "date_site_visit"),
    ("date_publication", "date_submission"),
    ("date_clarification", "date_submission"),
    ("date_site_visit", "date_submission"),
    ("date_submission", "date_opening"),
    ("date_submission", "date_award_expected"),
    ("date_opening", "date_award_expected"),
    ("date_award_expected", "date_contract_start"),
    ("date_submission", "date_contract_start"),
    ("date_contract_start", "date_contract_end"),
]

DEADLINE_STATES = [
    ("on_track", "On Track"),
    ("due_soon", "Due Soon"),
    ("at_risk", "Milestone Overdue"),
    ("overdue", "Overdue"),
]

#: amounts of a tender that cannot be negative
NON_NEGATIVE_FIELDS = ("estimated_value", "bid_amount", "bid_cost", "awarded_amount")


class KamTender(models.Model):
    _name = "kam.tender"
    _description = "Tender"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.deal.role.mixin"]
    _order = "date_submission, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "reference"]

    @api.model
    def _default_stage_id(self):
        return self.env["kam.tender.stage"].search([("outcome", "=", "open")], limit=1)

    @api.model
    def _default_team_user_ids(self):
        """The internal user who creates the tender (not the system user)."""
        user = self.env.user
        return user if user.active and not user.share else self.env["res.users"]

    name = fields.Char(required=True, tracking=True)
    reference = fields.Char(
        tracking=True,
        index="btree_not_null",
        help="The issuer's reference of the procurement; unique per issuer and "
        "company.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
        help="The commercial partner who buys (usually a key account).",
    )
    issuer_id = fields.Many2one(
        comodel_name="res.partner",
        tracking=True,
        check_company=True,
        help="Who runs the procurement, when not the customer itself (a "
        "procurement agency). Empty means the customer.",
    )
    tender_type = fields.Selection(
        selection=[("public", "Public"), ("private", "Private")],
        string="Type",
        required=True,
        default="public",
        tracking=True,
    )
    procedure_id = fields.Many2one(
        comodel_name="kam.tender.procedure",
        tracking=True,
    )
    stage_id = fields.Many2one(
        comodel_name="kam.tender.stage",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_stage_ids",
    )
    outcome = fields.Selection(related="stage_id.outcome", store=True, index=True)
    stage_requires_deadline = fields.Boolean(related="stage_id.requires_deadline")
    color = fields.Integer()
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="KAM",
        tracking=True,
        index=True,
        compute="_compute_user_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
        help="The key account manager of the tender; by default the customer's "
        "KAM (or the deputy while the KAM is absent).",
    )
    team_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="kam_tender_team_user_rel",
        column1="tender_id",
        column2="user_id",
        string="Tender Team",
        domain="[('share', '=', False)]",
        default=lambda self: self._default_team_user_ids(),
        help="The people preparing the bid; they can edit the tender.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    estimated_value = fields.Monetary(
        tracking=True,
        help="The buyer's estimated (budget) value of the contract.",
    )
    bid_amount = fields.Monetary(
        string="Our Bid",
        compute="_compute_bid_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="Our bid price, without taxes. Taken from the latest quotation of "
        "the tender that is not cancelled, when there is one; typed in "
        "otherwise.",
    )
    bid_cost = fields.Monetary(
        string="Our Cost",
        help="Our estimated cost of delivering the contract.",
    )
    bid_margin = fields.Monetary(
        compute="_compute_bid_margin",
        store=True,
        help="Our bid minus our cost.",
    )
    bid_margin_percent = fields.Float(
        string="Bid Margin (%)",
        compute="_compute_bid_margin",
        store=True,
        aggregator="avg",
        help="Bid margin divided by our bid, in percent.",
    )
    probability = fields.Float(
        string="Probability (%)",
        tracking=True,
        aggregator="avg",
        help="Our estimated chance of winning, in percent.",
    )
    weighted_value = fields.Monetary(
        compute="_compute_weighted_value",
        store=True,
        help="Estimated value multiplied by the probability.",
    )
    won_percent = fields.Float(
        string="Win Rate (%)",
        compute="_compute_won_percent",
        store=True,
        aggregator="avg",
        help="100 for a won tender, 0 otherwise. Averaged over won and lost "
        "tenders it is the win rate: won / (won + lost).",
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        tracking=True,
        check_company=True,
        copy=False,
    )
    sale_order_ids = fields.One2many(
        comodel_name="sale.order",
        inverse_name="kam_tender_id",
        string="Quotations",
    )
    sale_order_count = fields.Integer(compute="_compute_sale_order_count")
    loss_reason_id = fields.Many2one(
        comodel_name="kam.tender.loss.reason",
        tracking=True,
        copy=False,
    )
    cancel_reason = fields.Text(
        string="Cancellation Reason",
        tracking=True,
        copy=False,
        help="Why the tender was cancelled (by the buyer or by us); asked when "
        "the tender is cancelled.",
    )
    price_weight = fields.Float(
        string="Price Points",
        default=100.0,
        help="Points the lowest price gets in the evaluation (the price "
        "weight of the procedure, 0-100). Each bid's price score = these "
        "points x lowest price / its price; the technical score is typed in.",
    )
    awarded_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Awarded Company",
        tracking=True,
        copy=False,
        help="The company the contract was awarded to (our company when won).",
    )
    awarded_amount = fields.Monetary(tracking=True, copy=False)
    # who set the outcome (stage won/lost/cancelled, awarded amount, award
    # day) and whether it is confirmed: only a confirmed won tender counts in
    # KPI results and commissions
    outcome_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Outcome Set By",
        readonly=True,
        copy=False,
        tracking=True,
    )
    outcome_date = fields.Datetime(
        string="Outcome Set On", readonly=True, copy=False, tracking=True
    )
    outcome_confirmed = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="The outcome counts in KPI results and commissions. Set at once "
        "when a KAM Manager records the outcome or the company does not "
        "require a confirmation; else when a KAM Manager confirms it.",
    )
    outcome_confirmed_by_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        copy=False,
        tracking=True,
    )
    kam_deal_role_ids = fields.One2many(
        comodel_name="kam.deal.role",
        inverse_name="tender_id",
        string="Buying Group",
        help="The people of the customer who decide on this tender, with their "
        "role and attitude here; defaults from the dossier, editable without "
        "changing it.",
    )
    date_closed = fields.Date(
        string="Closed On",
        compute="_compute_date_closed",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        help="Day the tender reached a won, lost or cancelled stage (the award "
        "day for a won tender); editable. KPI rules count won tenders by it.",
    )
    note = fields.Html(string="Notes")
    # key dates
    date_publication = fields.Date(string="Publication", tracking=True)
    date_clarification = fields.Date(
        string="Clarification Questions Deadline", tracking=True
    )
    date_site_visit = fields.Date(string="Site Visit", tracking=True)
    date_submission = fields.Date(
        string="Submission Deadline",
        tracking=True,
        index=True,
        help="Required from the stages marked 'Submission Deadline Required' "
        "(Preparation on). Moving it moves the milestones not yet done.",
    )
    date_opening = fields.Date(string="Opening", tracking=True)
    date_award_expected = fields.Date(string="Expected Award", tracking=True)
    date_contract_start = fields.Date(string="Contract Start", tracking=True)
    date_contract_end = fields.Date(
        string="Contract End",
        tracking=True,
        help="For a won tender: the next tender is created in the first stage "
        "this company's 're-tender lead time' before that date.",
    )
    days_to_deadline = fields.Integer(
        compute="_compute_deadline_state",
        search="_search_days_to_deadline",
        help="Calendar days from today to the submission deadline (negative "
        "when passed). Not shown when there is no deadline.",
    )
    deadline_state = fields.Selection(
        selection=DEADLINE_STATES,
        compute="_compute_deadline_state",
        search="_search_deadline_state",
        help="Overdue: the deadline has passed and the bid is not submitted. "
        "Milestone overdue: the deadline is ahead but a milestone not done is "
        "past its date. Due soon: the deadline is within the company's 'due "
        "soon' days (included). On track: later. Empty when there is no "
        "deadline or the bid is submitted.",
    )
    # bid timeline and checklist
    milestone_ids = fields.One2many(
        comodel_name="kam.tender.milestone",
        inverse_name="tender_id",
        string="Milestones",
        copy=False,
    )
    milestone_template_id = fields.Many2one(
        comodel_name="kam.tender.milestone.template",
        check_company=True,
        copy=False,
    )
    milestone_next_date = fields.Date(
        string="Next Milestone",
        compute="_compute_milestone_next",
    )
    milestone_next_name = fields.Char(compute="_compute_milestone_next")
    bid_ids = fields.One2many(
        comodel_name="kam.tender.bid",
        inverse_name="tender_id",
        string="Bids",
        copy=False,
    )
    document_ids = fields.One2many(
        comodel_name="kam.tender.document",
        inverse_name="tender_id",
        string="Documents",
        copy=False,
    )
    document_template_id = fields.Many2one(
        comodel_name="kam.tender.document.template",
        string="Checklist Template",
        check_company=True,
        copy=False,
    )
    guarantee_ids = fields.One2many(
        comodel_name="kam.tender.guarantee",
        inverse_name="tender_id",
        string="Bid Guarantees",
        copy=False,
    )
    # contract -> next tender
    previous_tender_id = fields.Many2one(
        comodel_name="kam.tender",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The tender whose contract end created this one.",
    )
    next_tender_ids = fields.One2many(
        comodel_name="kam.tender",
        inverse_name="previous_tender_id",
        string="Next Tenders",
    )
    source_sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Previous Contract",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The sale order whose contract end created this tender.",
    )

    _sql_constraints = [
        (
            "reference_issuer_company_uniq",
            "EXCLUDE (reference WITH =, COALESCE(issuer_id, partner_id) WITH =, "
            "company_id WITH =) WHERE (reference IS NOT NULL)",
            "A tender reference must be unique per issuer and company.",
        ),
        (
            "probability_range",
            "CHECK(probability >= 0 AND probability <= 100)",
            "The probability is a percentage between 0 and 100.",
        ),
        (
            "estimated_value_positive",
            "CHECK(estimated_value >= 0)",
            "The Estimated Value of a tender cannot be negative.",
        ),
        (
            "bid_amount_positive",
            "CHECK(bid_amount >= 0)",
            "Our Bid on a tender cannot be negative.",
        ),
        (
            "bid_cost_positive",
            "CHECK(bid_cost >= 0)",
            "Our Cost on a tender cannot be negative.",
        ),
        (
            "awarded_amount_positive",
            "CHECK(awarded_amount >= 0)",
            "The Awarded Amount of a tender cannot be negative.",
        ),
        (
            "price_weight_range",
            "CHECK(price_weight >= 0 AND price_weight <= 100)",
            "The Price Points of a tender are between 0 and 100.",
        ),
    ]

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([("active", "=", True)], order=stages._order)

    @api.depends("partner_id")
    def _compute_user_id(self):
        for tender in self:
            if tender.partner_id:
                tender.user_id = (
                    tender.partner_id._kam_responsible_user() or tender.user_id
                )
            elif not tender.user_id:
                tender.user_id = self.env.user

    @api.depends(
        "sale_order_ids.state",
        "sale_order_ids.amount_untaxed",
        "sale_order_ids.currency_id",
        "currency_id",
    )
    def _compute_bid_amount(self):
        today = fields.Date.context_today(self)
        for tender in self:
            # a quotation without an amount yet (no priced line) does not set it
            orders = tender.sale_order_ids.filtered(
                lambda o: o.state != "cancel" and o.amount_untaxed
            )
            if not orders:
                # typed in: keep the value
                tender.bid_amount = tender.bid_amount
                continue
            order = orders.sorted("id")[-1]
            # the rate of the order's own UTC date, as Odoo's sale order takes
            tender.bid_amount = order.currency_id._convert(
                order.amount_untaxed,
                tender.currency_id,
                tender.company_id,
                order.date_order.date() if order.date_order else today,
            )

    @api.depends("bid_amount", "bid_cost")
    def _compute_bid_margin(self):
        for tender in self:
            tender.bid_margin = tender.bid_amount - tender.bid_cost
            tender.bid_margin_percent = (
                100.0 * tender.bid_margin / tender.bid_amount
                if tender.bid_amount
                else 0.0
            )

    @api.depends("estimated_value", "probability")
    def _compute_weighted_value(self):
        for tender in self:
            tender.weighted_value = tender.estimated_value * tender.probability / 100.0

    @api.depends("stage_id.outcome")
    def _compute_won_percent(self):
        for tender in self:
            tender.won_percent = 100.0 if tender.stage_id.outcome == "won" else 0.0

    @api.depends("sale_order_ids")
    def _compute_sale_order_count(self):
        for tender in self:
            tender.sale_order_count = len(tender.sale_order_ids)

    @api.depends(
        "date_submission",
        "stage_id.is_submitted",
        "stage_id.outcome",
        "company_id.kam_tender_due_soon_days",
        "milestone_ids.date",
        "milestone_ids.done",
    )
    @api.depends_context("today")
    def _compute_deadline_state(self):
        today = fields.Date.context_today(self)
        for tender in self:
            if not tender.date_submission:
                # an Integer holds no empty value: 0, hidden in the views
                tender.days_to_deadline = False
                tender.deadline_state = False
                continue
            days = (tender.date_submission - today).days
            tender.days_to_deadline = days
            if tender.stage_id.is_submitted or tender.stage_id.outcome != "open":
                tender.deadline_state = False
            elif days < 0:
                tender.deadline_state = "overdue"
            elif any(
                not m.done and m.date and m.date < today for m in tender.milestone_ids
            ):
                tender.deadline_state = "at_risk"
            elif days <= tender.company_id.kam_tender_due_soon_days:
                tender.deadline_state = "due_soon"
            else:
                tender.deadline_state = "on_track"

    def _search_days_to_deadline(self, operator, value):
        if operator not in ("=", "!=", "<", "<=", ">", ">=") or not isinstance(
            value, int
        ):
            raise UserError(
                self.env._(
                    "Days to deadline: unsupported search %(op)s %(value)s.",
                    op=operator,
                    value=value,
                )
            )
        day = fields.Date.context_today(self) + timedelta(days=value)
        return [
            ("date_submission", "!=", False),
            ("date_submission", operator, day),
        ]

    def _search_deadline_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._(
                    "Deadline state: unsupported search operator %(op)s.", op=operator
                )
            )
        values = value if isinstance(value, list | tuple) else [value]
        today = fields.Date.context_today(self)
        soon = today + timedelta(days=self.env.company.kam_tender_due_soon_days)
        tracked = [
            ("date_submission", "!=", False),
            ("stage_id.is_submitted", "=", False),
            ("stage_id.outcome", "=", "open"),
        ]
        late = [("done", "=", False), ("date", "<", today)]
        by_state = {
            "overdue": [("date_submission", "<", today)],
            "at_risk": [
                ("date_submission", ">=", today),
                ("milestone_ids", "any", late),
            ],
            "due_soon": [
                ("date_submission", ">=", today),
                ("date_submission", "<=", soon),
                ("milestone_ids", "not any", late),
            ],
            "on_track": [
                ("date_submission", ">", soon),
                ("milestone_ids", "not any", late),
            ],
        }
        domains = [
            expression.AND([tracked, by_state[state]])
            for state in values
            if state in by_state
        ]
        if False in values or None in values:
            domains.append(["!"] + expression.normalize_domain(tracked))
        domain = expression.OR(domains) if domains else expression.FALSE_DOMAIN
        if operator in ("!=", "not in"):
            domain = ["!"] + expression.normalize_domain(domain)
        return domain

    @api.depends("milestone_ids.date", "milestone_ids.done")
    def _compute_milestone_next(self):
        for tender in self:
            undone = tender.milestone_ids.filtered(lambda m: not m.done and m.date)
            nxt = undone.sorted("date")[:1]
            tender.milestone_next_date = nxt.date
            tender.milestone_next_name = nxt.name

    @api.constrains(*{name for pair in DATE_ORDER for name in pair})
    def _check_date_order(self):
        for tender in self:
            for earlier, later in DATE_ORDER:
                if (
                    tender[earlier]
                    and tender[later]
                    and tender[earlier] > tender[later]
                ):
                    raise ValidationError(
                        self.env._(
                            "%(tender)s: %(earlier)s (%(earlier_date)s) must not "
                            "be after %(later)s (%(later_date)s).",
                            tender=tender.display_name,
                            earlier=self._fields[earlier]._description_string(self.env),
                            earlier_date=tender[earlier],
                            later=self._fields[later]._description_string(self.env),
                            later_date=tender[later],
                        )
                    )

    @api.constrains("stage_id", "date_submission")
    def _check_deadline_required(self):
        for tender in self:
            if tender.stage_id.requires_deadline and not tender.date_submission:
                raise ValidationError(
                    self.env._(
                        "%(tender)s: set the Submission Deadline before moving "
                        "the tender to %(stage)s.",
                        tender=tender.display_name,
                        stage=tender.stage_id.name,
                    )
                )

    def _kam_check_amount(self, name, value, tender_name):
        if (value or 0) < 0:
            raise ValidationError(
                self.env._(
                    "%(tender)s: %(field)s cannot be negative (%(value)s).",
                    tender=tender_name,
                    field=self._fields[name]._description_string(self.env),
                    value=value,
                )
            )

    @api.model
    def _kam_check_amount_vals(self, vals_list):
        """Before the row is written (the database CHECK would refuse it
        with a message naming neither the tender nor the field)."""
        for vals in vals_list:
            for name in NON_NEGATIVE_FIELDS:
                self._kam_check_amount(name, vals.get(name), vals.get("name") or "")
            if "price_weight" in vals:
                self._kam_check_price_weight(vals["price_weight"], vals.get("name"))

    @api.constrains(*NON_NEGATIVE_FIELDS)
    def _check_amounts(self):
        for tender in self:
            for name in NON_NEGATIVE_FIELDS:
                self._kam_check_amount(name, tender[name], tender.display_name)

    def _kam_check_price_weight(self, value, tender_name):
        if not 0 <= (value or 0) <= 100:
            raise ValidationError(
                self.env._(
                    "%(tender)s: the Price Points are between 0 and 100, "
                    "not %(value)s.",
                    tender=tender_name or "",
                    value=value,
                )
            )

    @api.constrains("price_weight")
    def _check_price_weight(self):
        for tender in self:
            self._kam_check_price_weight(tender.price_weight, tender.display_name)

    @api.constrains("stage_id", "loss_reason_id", "cancel_reason")
    def _check_close_reason(self):
        """A lost tender has a loss reason and a cancelled one a reason;
        the Mark as Lost / Cancel buttons ask for it."""
        for tender in self:
            if tender.outcome == "lost" and not tender.loss_reason_id:
                raise ValidationError(
                    self.env._(
                        "%(tender)s: a lost tender needs a Loss Reason; use "
                        "the Mark as Lost button.",
                        tender=tender.display_name,
                    )
                )
            if (
                tender.outcome == "cancelled"
                and not (tender.cancel_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "%(tender)s: a cancelled tender needs a Cancellation "
                        "Reason; use the Cancel button.",
                        tender=tender.display_name,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for tender in self:
            if tender.partner_id != tender.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(tender)s: the Customer must be a company (commercial "
                        "partner), not the contact %(contact)s.",
                        tender=tender.display_name,
                        contact=tender.partner_id.display_name,
                    )
                )

    @api.constrains("awarded_partner_id", "stage_id", "bid_ids")
    def _check_award(self):
        for tender in self:
            tender._check_award_consistency()

    def _check_award_consistency(self):
        """A won tender is awarded to our company; a lost one to somebody
        else; once awarded, the awarded company has a line in the bids."""
        self.ensure_one()
        own = self.company_id.partner_id
        awarded = self.awarded_partner_id
        if self.outcome == "won" and awarded and awarded != own:
            raise ValidationError(
                self.env._(
                    "%(tender)s: a won tender is awarded to %(company)s, not to "
                    "%(awarded)s (Awarded Company).",
                    tender=self.display_name,
                    company=own.display_name,
                    awarded=awarded.display_name,
                )
            )
        if self.outcome == "lost" and awarded == own:
            raise ValidationError(
                self.env._(
                    "%(tender)s: a lost tender cannot be awarded to our own "
                    "company (Awarded Company).",
                    tender=self.display_name,
                )
            )
        if (
            self.outcome in ("won", "lost")
            and awarded
            and self.bid_ids
            and awarded not in self.bid_ids.partner_id
        ):
            raise ValidationError(
                self.env._(
                    "%(tender)s: the Awarded Company %(awarded)s has no line in "
                    "the bids; add its bid so the comparison shows the winner.",
                    tender=self.display_name,
                    awarded=awarded.display_name,
                )
            )

    def _kam_check_award_all(self):
        for tender in self:
            tender._check_award_consistency()

    @api.onchange("partner_id")
    def _onchange_partner_id_currency(self):
        if self.partner_id.property_product_pricelist.currency_id:
            self.currency_id = self.partner_id.property_product_pricelist.currency_id

    @api.model
    def _kam_outcome_probability(self, vals):
        """A won tender is certain (100 %), a lost or cancelled one is not
        (0 %): set with the stage, whatever the form sends."""
        if not vals.get("stage_id"):
            return vals
        outcome = self.env["kam.tender.stage"].browse(vals["stage_id"]).outcome
        if outcome == "won":
            return dict(vals, probability=100.0)
        if outcome in ("lost", "cancelled"):
            return dict(vals, probability=0.0)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_outcome_vals(vals_list)
        self._kam_check_amount_vals(vals_list)
        vals_list = [self._kam_outcome_probability(vals) for vals in vals_list]
        tenders = super().create(vals_list)
        tenders._kam_fill_deal_roles()
        tenders._kam_sync_own_bid()
        tenders._kam_sync_award()
        tenders.filtered(lambda t: t.outcome != "open")._kam_record_outcome()
        return tenders

    @api.depends("outcome")
    def _compute_date_closed(self):
        today = fields.Date.context_today(self)
        for tender in self:
            if tender.outcome == "open":
                tender.date_closed = False
            elif not tender.date_closed:
                tender.date_closed = today

    def write(self, vals):
        self._kam_check_outcome_vals([vals])
        vals = self._kam_outcome_probability(vals)
        old_outcomes = {}
        if OUTCOME_FIELDS & set(vals):
            old_outcomes = {
                tender.id: (tender.outcome, tender.awarded_amount, tender.date_closed)
                for tender in self
            }
        old_deadlines = {}
        if "date_submission" in vals:
            old_deadlines = {tender.id: tender.date_submission for tender in self}
        res = super().write(vals)
        if old_outcomes:
            self.filtered(
                lambda t: old_outcomes[t.id]
                != (t.outcome, t.awarded_amount, t.date_closed)
            )._kam_record_outcome()
        if old_deadlines:
            self._kam_shift_milestones(old_deadlines)
        if {"bid_amount", "stage_id"} & set(vals):
            self._kam_sync_own_bid()
        if "stage_id" in vals:
            self._kam_sync_award()
            self._kam_offer_submitted()
            self.filtered(
                lambda t: t.outcome != "open"
            )._kam_cancel_milestone_activities()
        return res

    # --- outcome ---------------------------------------------------------
    @api.model
    def _kam_check_outcome_vals(self, vals_list):
        """Who set the outcome and its confirmation are written by the
        tender itself, never by a form or a call."""
        if self.env.su:
            return
        if any(OUTCOME_RECORD_FIELDS & set(vals) for vals in vals_list):
            raise AccessError(
                self.env._(
                    "Who set the outcome of a tender and its confirmation are "
                    "recorded automatically; use Confirm Outcome."
                )
            )

    def _kam_record_outcome(self):
        """Record who set the outcome of ``self`` (just changed) and now.
        It is confirmed at once when the company does not ask for a
        confirmation or when a KAM Manager sets it."""
        if not self:
            return
        is_manager = self.env.su or self.env.user.has_group(
            "kam_management.group_kam_manager"
        )
        now = fields.Datetime.now()
        for tender in self:
            confirmed = tender.outcome != "open" and (
                is_manager or not tender.company_id.kam_tender_outcome_confirmation
            )
            closed = tender.outcome != "open"
            vals = {
                "outcome_user_id": self.env.uid if closed else False,
                "outcome_date": now if closed else False,
                "outcome_confirmed": confirmed,
                "outcome_confirmed_by_id": self.env.uid if confirmed else False,
            }
            current = {
                "outcome_user_id": tender.outcome_user_id.id,
                "outcome_date": tender.outcome_date,
                "outcome_confirmed": tender.outcome_confirmed,
                "outcome_confirmed_by_id": tender.outcome_confirmed_by_id.id,
            }
            if current != vals:
                tender.sudo().write(vals)

    def action_confirm_outcome(self):
        """A KAM Manager confirms the outcome set by a KAM User: the tender
        then counts in KPI results and commissions."""
        if not self.env.user.has_group("kam_management.group_kam_manager"):
            raise AccessError(
                self.env._("Only a KAM Manager confirms the outcome of a tender.")
            )
        for tender in self:
            if tender.outcome == "open":
                raise UserError(
                    self.env._(
                        "%(tender)s is still open: there is no outcome to confirm.",
                        tender=tender.display_name,
                    )
                )
        self.filtered(lambda t: not t.outcome_confirmed).sudo().write(
            {"outcome_confirmed": True, "outcome_confirmed_by_id": self.env.uid}
        )
        return True

    def _kam_offer_submitted(self):
        """Submitting a tender sends its offer: the tender's draft quotations
        are marked as sent, which starts the proposal follow-up as for any
        sent quotation (a sequence already running is left as it is, and a
        quotation sent again never duplicates its activities)."""
        offers = (
            self.filtered(
                lambda t: t.stage_id.is_submitted and t.stage_id.outcome == "open"
            )
            .sudo()
            .sale_order_ids.filtered(lambda o: o.state == "draft")
        )
        if offers:
            offers.action_quotation_sent()

    def _kam_sync_award(self):
        """A won tender is awarded to our company at our bid by default."""
        for tender in self.filtered(
            lambda t: t.outcome == "won" and not t.awarded_partner_id
        ):
            tender.write(
                {
                    "awarded_partner_id": tender.company_id.partner_id.id,
                    "awarded_amount": tender.awarded_amount or tender.bid_amount,
                }
            )

    def _kam_sync_own_bid(self):
        """Our own bid is a line of the comparison; its amount and currency
        follow 'Our Bid' (computed on the line)."""
        missing = self.filtered(
            lambda t: t.bid_amount and not t.bid_ids.filtered("is_own")
        )
        if missing:
            self.env["kam.tender.bid"].create(
                [
                    {
                        "tender_id": tender.id,
                        "partner_id": tender.company_id.partner_id.id,
                    }
                    for tender in missing
                ]
            )

    def _kam_cancel_milestone_activities(self):
        """A closed tender (won, lost, cancelled) needs no more bid work: the
        activities of its milestones not done are cancelled (deleted, as
        Odoo cancels an activity); the milestones stay, not done."""
        milestones = self.milestone_ids.filtered(lambda m: not m.done and m.activity_id)
        activities = milestones.activity_id
        if activities:
            milestones.activity_id = False
            activities.unlink()

    def _kam_stage_of(self, outcome):
        stage = self.env["kam.tender.stage"].search(
            [("outcome", "=", outcome)], limit=1
        )
        if not stage:
            raise UserError(
                self.env._(
                    "There is no active tender stage with the outcome %(outcome)s.",
                    outcome=outcome,
                )
            )
        return stage

    def action_kam_mark_won(self):
        """Won: awarded to our company at our bid, probability 100, the
        milestone activities closed; the next step is the quotation."""
        stage = self._kam_stage_of("won")
        self.write({"stage_id": stage.id})
        for tender in self:
            tender.message_post(
                body=self.env._(
                    "Tender won, awarded to %(company)s. Next step: Create "
                    "Quotation.",
                    company=tender.awarded_partner_id.display_name,
                )
            )
        return True

    def _kam_close_wizard(self, outcome):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark as Lost")
            if outcome == "lost"
            else self.env._("Cancel Tender"),
            "res_model": "kam.tender.close.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_tender_id": self.id, "default_outcome": outcome},
        }

    def action_kam_mark_lost(self):
        return self._kam_close_wizard("lost")

    def action_kam_cancel(self):
        return self._kam_close_wizard("cancelled")

    def _kam_shift_milestones(self, old_deadlines):
        """Move the undone milestones (and their activities) by as many days
        as the deadline moved; done milestones keep their dates."""
        for tender in self:
            old = old_deadlines.get(tender.id)
            new = tender.date_submission
            if not old or not new or old == new:
                continue
            delta = new - old
            today = fields.Date.context_today(self)
            for milestone in tender.milestone_ids.filtered(
                lambda m: not m.done and m.date
            ):
                moved = milestone.date + delta
                # moved earlier: never into the past (a milestone already
                # past keeps its date)
                if delta.days < 0 and moved < today:
                    moved = today if milestone.date >= today else milestone.date
                milestone.date = moved

    def action_apply_milestone_template(self):
        self.ensure_one()
        template = self.milestone_template_id
        if not template:
            raise UserError(
                self.env._(
                    "%(tender)s: choose a Milestone Template first.",
                    tender=self.display_name,
                )
            )
        if not self.date_submission:
            raise UserError(
                self.env._(
                    "%(tender)s: set the Submission Deadline first: milestones "
                    "are planned backward from it.",
                    tender=self.display_name,
                )
            )
        today = fields.Date.context_today(self)
        available = (self.date_submission - today).days
        if available < 0:
            raise UserError(
                self.env._(
                    "%(tender)s: the Submission Deadline (%(deadline)s) has "
                    "passed; milestones are planned between today and the "
                    "deadline.",
                    tender=self.display_name,
                    deadline=self.date_submission,
                )
            )
        longest = max(template.line_ids.mapped("offset_days") or [0])
        vals_list = []
        for line in template.line_ids:
            offset = line.offset_days
            if longest > available:
                # too short a deadline: the plan is compressed between today
                # and the deadline, each milestone keeping its share of it
                offset = line.offset_days * available // longest
            day = self.date_submission - timedelta(days=offset)
            user = (
                line.user_id
                or self.partner_id._kam_responsible_user(day)
                or self.user_id
            )
            vals_list.append(
                {
                    "tender_id": self.id,
                    "name": line.name,
                    "sequence": line.sequence,
                    "offset_days": offset,
                    "date": day,
                    "user_id": user.id,
                    "note": line.note,
                }
            )
        self.env["kam.tender.milestone"].create(vals_list)
        if longest > available:
            self.message_post(
                body=self.env._(
                    "The milestone template %(template)s plans %(longest)s days "
                    "before the deadline; %(available)s days are left: its "
                    "milestones were compressed between today and the deadline.",
                    template=template.display_name,
                    longest=longest,
                    available=available,
                )
            )
        return True

    def action_apply_document_template(self):
        self.ensure_one()
        template = self.document_template_id
        if not template:
            raise UserError(
                self.env._(
                    "%(tender)s: choose a Checklist Template first.",
                    tender=self.display_name,
                )
            )
        existing = set(self.document_ids.mapped("name"))
        self.env["kam.tender.document"].create(
            [
                {
                    "tender_id": self.id,
                    "name": line.name,
                    "sequence": line.sequence,
                    "required": line.required,
                    "user_id": (line.user_id or self.user_id).id,
                }
                for line in template.line_ids
                if line.name not in existing
            ]
        )
        return True

    def action_create_opportunity(self):
        self.ensure_one()
        if not self.lead_id:
            self.lead_id = self.env["crm.lead"].create(
                {
                    "name": self.name,
                    "type": "opportunity",
                    "partner_id": self.partner_id.id,
                    "user_id": self.user_id.id,
                    "company_id": self.company_id.id,
                    "expected_revenue": self.currency_id._convert(
                        self.estimated_value,
                        self.company_id.currency_id,
                        self.company_id,
                        fields.Date.context_today(self),
                    ),
                    "probability": self.probability,
                    "date_deadline": self.date_award_expected,
                    "kam_tender_id": self.id,
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_create_quotation(self):
        self.ensure_one()
        vals = {
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "kam_tender_id": self.id,
            "opportunity_id": self.lead_id.id,
            "origin": self.reference or self.name,
        }
        if self.date_submission:
            vals["validity_date"] = self.date_submission + relativedelta(months=3)
        if self.outcome == "won":
            # the tender has no products: its award goes in as a note, the
            # lines are added on the quotation
            vals["order_line"] = [
                Command.create(
                    {
                        "display_type": "line_note",
                        "name": self.env._(
                            "Awarded tender %(tender)s: %(amount)s %(currency)s.",
                            tender=self.display_name,
                            amount=self.awarded_amount or self.bid_amount,
                            currency=self.currency_id.name,
                        ),
                    }
                )
            ]
        order = self.env["sale.order"].create(vals)
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action["domain"] = [("kam_tender_id", "=", self.id)]
        action["context"] = {
            "default_kam_tender_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_view_milestone_timeline(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_tender_milestone_action"
        )
        action["domain"] = [("tender_id", "=", self.id)]
        action["context"] = {"default_tender_id": self.id}
        action["view_mode"] = "timeline,list,calendar,form"
        action["views"] = [
            (False, view) for view in ("timeline", "list", "calendar", "form")
        ]
        return action

    def _kam_next_tender_vals(self):
        self.ensure_one()
        stage = self.env["kam.tender.stage"].search([("outcome", "=", "open")], limit=1)
        return {
            "name": self.env._("Re-tender: %(name)s", name=self.name),
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "issuer_id": self.issuer_id.id,
            "tender_type": self.tender_type,
            "procedure_id": self.procedure_id.id,
            "currency_id": self.currency_id.id,
            "estimated_value": self.awarded_amount or self.estimated_value,
            "user_id": (self.partner_id._kam_responsible_user() or self.user_id).id,
            "team_user_ids": [Command.set(self.team_user_ids.ids)],
            "stage_id": stage.id,
            "previous_tender_id": self.id,
            "date_award_expected": self.date_contract_end,
        }

    @api.model
    def _cron_create_next_tenders(self, batch_size=200):
        """Create the next tender (first stage) for each won contract whose
        end is within the company's re-tender lead time; never twice.

        Works in batches: when more contracts are waiting, the progress
        reported to the scheduler makes it run again soon."""
        today = fields.Date.context_today(self)
        created = self.browse()
        remaining = 0
        for company in self.env["res.company"].search([("active", "=", True)]):
            horizon = today + relativedelta(months=company.kam_tender_retender_months)
            tenders = self.with_context(active_test=False).search(
                [
                    ("company_id", "=", company.id),
                    ("outcome", "=", "won"),
                    ("date_contract_end", "!=", False),
                    ("date_contract_end", "<=", horizon),
                    ("date_contract_end", ">=", today),
                    ("next_tender_ids", "=", False),
                ],
                limit=batch_size + 1,
            )
            remaining += len(tenders[batch_size:])
            tenders = tenders[:batch_size]
            if tenders:
                created |= self.create(
                    [tender._kam_next_tender_vals() for tender in tenders]
                )
            from_orders, left = self.env["sale.order"]._kam_create_next_tenders(
                company, horizon, today, batch_size
            )
            created |= from_orders
            remaining += left
        for tender in created:
            tender.message_post(
                body=self.env._(
                    "Created from the end of a contract: the pre-tender work "
                    "starts now."
                )
            )
        self.env["ir.cron"]._notify_progress(done=len(created), remaining=remaining)
        return created
