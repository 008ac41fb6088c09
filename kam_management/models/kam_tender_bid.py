# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

#: scores of a bid, in points between 0 and 100
SCORE_FIELDS = ("technical_score", "price_score")


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
    technical_score = fields.Float(
        aggregator="avg",
        help="Points of the technical evaluation (0-100), typed in.",
    )
    price_score = fields.Float(
        compute="_compute_price_score",
        store=True,
        aggregator="avg",
        help="The tender's Price Points x lowest bid amount / this bid amount "
        "(in company currency); 0 without an amount.",
    )
    total_score = fields.Float(
        compute="_compute_total_score",
        store=True,
        aggregator="avg",
        help="Technical score plus price score.",
    )
    rank = fields.Integer(
        compute="_compute_price_score",
        store=True,
        help="1 = best: by total score (highest first), then lowest amount, "
        "then the first recorded; bids without an amount are not ranked (0).",
    )
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
        ("amount_positive", "CHECK(amount >= 0)", "A Bid Amount cannot be negative."),
        (
            "technical_score_range",
            "CHECK(technical_score >= 0 AND technical_score <= 100)",
            "A Technical Score is between 0 and 100.",
        ),
        (
            "price_score_range",
            "CHECK(price_score >= 0 AND price_score <= 100)",
            "A Price Score is between 0 and 100.",
        ),
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

    @api.depends(
        "tender_id.price_weight",
        "tender_id.bid_ids.amount_company",
        "tender_id.bid_ids.technical_score",
    )
    def _compute_price_score(self):
        """Per tender, from all its bids: price score = price points x
        lowest amount / amount; rank by total score, then amount, then id."""
        for tender in self.tender_id:
            bids = tender.bid_ids
            priced = bids.filtered(lambda b: b.amount_company > 0)
            lowest = min(priced.mapped("amount_company"), default=0.0)
            scores = {
                bid.id: tender.price_weight * lowest / bid.amount_company
                for bid in priced
            }
            ranking = sorted(
                priced,
                key=lambda b, scores=scores: (
                    -(b.technical_score + scores[b.id]),
                    b.amount_company,
                    b.id,
                ),
            )
            ranks = {bid.id: index for index, bid in enumerate(ranking, 1)}
            for bid in bids & self:
                bid.price_score = min(scores.get(bid.id, 0.0), 100.0)
                bid.rank = ranks.get(bid.id, 0)
        for bid in self.filtered(lambda b: not b.tender_id):
            bid.price_score = 0.0
            bid.rank = 0

    @api.model
    def _kam_check_bounds(self, values, tender, bidder):
        """``values``: {field: value} of one bid; ``tender``, ``bidder``:
        records (possibly empty) naming it in the message."""
        if (values.get("amount") or 0) < 0:
            raise ValidationError(
                self.env._(
                    "%(tender)s, bid of %(bidder)s: the Bid Amount cannot be "
                    "negative (%(value)s).",
                    tender=tender.display_name,
                    bidder=bidder.display_name,
                    value=values["amount"],
                )
            )
        for name in SCORE_FIELDS:
            value = values.get(name) or 0
            if not 0 <= value <= 100:
                raise ValidationError(
                    self.env._(
                        "%(tender)s, bid of %(bidder)s: %(field)s is between "
                        "0 and 100, not %(value)s.",
                        tender=tender.display_name,
                        bidder=bidder.display_name,
                        field=self._fields[name]._description_string(self.env),
                        value=value,
                    )
                )

    @api.constrains("amount", *SCORE_FIELDS)
    def _check_bounds(self):
        for bid in self:
            bid._kam_check_bounds(
                {name: bid[name] for name in ("amount", *SCORE_FIELDS)},
                bid.tender_id,
                bid.partner_id,
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
        # before the row is written (the database CHECK names no bid)
        for vals in vals_list:
            self._kam_check_bounds(
                vals,
                self.env["kam.tender"].browse(vals.get("tender_id")),
                self.env["res.partner"].browse(vals.get("partner_id")),
            )
        bids = super().create(vals_list)
        bids.filtered(lambda b: b.is_own)._kam_sync_tender_bid()
        competitors = bids.filtered(lambda b: not b.is_own).partner_id
        competitors.filtered(lambda p: not p.kam_is_competitor).write(
            {"kam_is_competitor": True}
        )
        bids.tender_id._kam_check_award_all()
        return bids

    def write(self, vals):
        tenders = self.tender_id
        res = super().write(vals)
        if "amount" in vals:
            self.filtered(lambda b: b.is_own)._kam_sync_tender_bid()
        if {"partner_id", "tender_id"} & set(vals):
            (tenders | self.tender_id)._kam_check_award_all()
        return res

    def _kam_sync_tender_bid(self):
        """Our bid line typed in: 'Our Bid' of the tender follows it (in the
        tender currency). When the tender takes its bid from a quotation,
        the line cannot say otherwise: the quotation is changed instead."""
        for bid in self:
            tender = bid.tender_id
            if tender.currency_id.compare_amounts(bid.amount, tender.bid_amount) == 0:
                continue
            if tender.sale_order_ids.filtered(
                lambda o: o.state != "cancel" and o.amount_untaxed
            ):
                raise UserError(
                    self.env._(
                        "%(tender)s: Our Bid follows its quotation; change the "
                        "quotation rather than our bid line.",
                        tender=tender.display_name,
                    )
                )
            tender.bid_amount = bid.amount
