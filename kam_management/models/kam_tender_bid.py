# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class KamTenderBid(models.Model):
    _name = "kam.tender.bid"
    _description = "Tender Bid"
    _order = "tender_id, rank, amount, id"
    _check_company_auto = True

    tender_id = fields.Many2one(
        comodel_name="kam.tender",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="tender_id.company_id", store=True, index=True, precompute=True
    )
    customer_id = fields.Many2one(
        related="tender_id.partner_id", string="Customer", store=True
    )
    procedure_id = fields.Many2one(related="tender_id.procedure_id", store=True)
    outcome = fields.Selection(related="tender_id.outcome", store=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Bidder",
        required=True,
        index=True,
        help="A competitor, or our own company for our bid.",
    )
    is_own = fields.Boolean(
        string="Our Bid",
        compute="_compute_is_own",
        store=True,
        precompute=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The tender's currency by default; our own bid is always in it.",
    )
    amount = fields.Monetary(
        string="Bid Amount",
        compute="_compute_amount",
        store=True,
        readonly=False,
        precompute=True,
        help="Our own bid follows the tender's 'Our Bid'.",
    )
    amount_company = fields.Monetary(
        string="Bid Amount (Company Currency)",
        compute="_compute_amount_company",
        store=True,
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    technical_score = fields.Float(aggregator="avg")
    price_score = fields.Float(aggregator="avg")
    total_score = fields.Float(
        compute="_compute_total_score",
        store=True,
        aggregator="avg",
        help="Technical score plus price score.",
    )
    rank = fields.Integer(help="Rank published by the buyer (1 = best).")
    is_winner = fields.Boolean(
        string="Winner",
        compute="_compute_is_winner",
        store=True,
        help="The bidder is the tender's Awarded Company.",
    )
    won_percent = fields.Float(
        string="Win Rate (%)",
        compute="_compute_is_winner",
        store=True,
        aggregator="avg",
        help="100 for the winning bid, 0 otherwise. Averaged over the bids of "
        "decided tenders it is the bidder's win rate.",
    )
    note = fields.Text(string="Notes")

    _sql_constraints = [
        (
            "tender_partner_uniq",
            "UNIQUE(tender_id, partner_id)",
            "A bidder has one bid line per tender.",
        ),
        ("rank_positive", "CHECK(rank >= 0)", "The rank cannot be negative."),
    ]

    @api.depends("partner_id", "company_id.partner_id")
    def _compute_is_own(self):
        for bid in self:
            bid.is_own = bid.partner_id == bid.company_id.partner_id

    @api.depends("is_own", "tender_id.currency_id")
    def _compute_currency_id(self):
        for bid in self:
            if bid.is_own or not bid.currency_id:
                bid.currency_id = (
                    bid.tender_id.currency_id or self.env.company.currency_id
                )
            else:
                bid.currency_id = bid.currency_id

    @api.depends("is_own", "tender_id.bid_amount")
    def _compute_amount(self):
        for bid in self:
            if bid.is_own:
                bid.amount = bid.tender_id.bid_amount
            else:
                bid.amount = bid.amount

    @api.depends("amount", "currency_id", "company_id", "tender_id.date_submission")
    def _compute_amount_company(self):
        today = fields.Date.context_today(self)
        for bid in self:
            company = bid.company_id or self.env.company
            bid.amount_company = bid.currency_id._convert(
                bid.amount,
                company.currency_id,
                company,
                bid.tender_id.date_submission or today,
            )

    @api.depends("technical_score", "price_score")
    def _compute_total_score(self):
        for bid in self:
            bid.total_score = bid.technical_score + bid.price_score

    @api.depends("partner_id", "tender_id.awarded_partner_id")
    def _compute_is_winner(self):
        for bid in self:
            awarded = bid.tender_id.awarded_partner_id
            bid.is_winner = bool(awarded) and bid.partner_id == awarded
            bid.won_percent = 100.0 if bid.is_winner else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        bids = super().create(vals_list)
        competitors = bids.filtered(lambda b: not b.is_own).partner_id
        competitors.filtered(lambda p: not p.kam_is_competitor).write(
            {"kam_is_competitor": True}
        )
        bids.tender_id._kam_check_award_all()
        return bids

    def write(self, vals):
        tenders = self.tender_id
        res = super().write(vals)
        if {"partner_id", "tender_id"} & set(vals):
            (tenders | self.tender_id)._kam_check_award_all()
        return res
