# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Ranking of customers by share, ABC classes, dependence levels, concentration.

Definitions (the documentation and the tests rely on them):

* only customers with a positive amount are ranked; total = their sum;
  share = amount / total x 100;
* rank by amount descending, ties by customer id ascending; the customer
  percentile is ceil(rank / number of ranked customers x 100), the x axis of
  a Pareto curve that stays readable with many customers;
* a customer is class A when the cumulative share of all customers ranked
  before it is < the A threshold, B when < the B threshold, else C (so the
  largest customer is always A);
* dependence level: share > mono -> ``mono``; > critical -> ``critical``;
  > key -> ``key``; else ``none``;
* key account: share > key, or (absolute threshold > 0 and revenue >= it);
* a customer with a negative amount is loss-making: it is not ranked (rank
  0, share 0, no class, dependence ``none``, never key), listed with its
  amount; shares and classes of the positive customers do not change;
* top-1 / top-5 share: share of the largest / sum of the five largest;
  Herfindahl-Hirschman index = sum of share^2 with shares in %, so 0-10000.
"""

from typing import NamedTuple


class RankedCustomer(NamedTuple):
    partner_id: int
    amount: float
    rank: int
    customer_percent: int
    share: float
    cumulative_share: float
    abc_class: str
    dependence_level: str


class Concentration(NamedTuple):
    total: float
    count: int
    top1_share: float
    top5_share: float
    hhi: float


def dependence_level(share, key, critical, mono):
    """Dependence of the supplier on one customer, from its share in %."""
    if share > mono:
        return "mono"
    if share > critical:
        return "critical"
    if share > key:
        return "key"
    return "none"


def is_key_account(share, revenue, key, absolute=0.0):
    """Key when the share exceeds the key threshold, or when an absolute
    threshold is set (> 0) and the revenue reaches it."""
    return share > key or bool(absolute and revenue >= absolute)


def rank_customers(amounts, a_threshold, b_threshold, key, critical, mono):
    """Rank ``amounts`` ({partner_id: amount}) and classify each customer.

    :return: list of :class:`RankedCustomer`, rank 1 first.
    """
    ranked = sorted(
        ((pid, amount) for pid, amount in amounts.items() if amount > 0),
        key=lambda item: (-item[1], item[0]),
    )
    total = sum(amount for __, amount in ranked)
    result = []
    before = 0.0
    amount_before = 0.0
    for rank, (pid, amount) in enumerate(ranked, start=1):
        share = amount / total * 100.0
        if before < a_threshold:
            abc = "A"
        elif before < b_threshold:
            abc = "B"
        else:
            abc = "C"
        amount_before += amount
        cumulative = amount_before / total * 100.0
        result.append(
            RankedCustomer(
                partner_id=pid,
                amount=amount,
                rank=rank,
                customer_percent=-(-rank * 100 // len(ranked)),
                share=share,
                cumulative_share=cumulative,
                abc_class=abc,
                dependence_level=dependence_level(share, key, critical, mono),
            )
        )
        before = cumulative
    return result


def loss_making_customer(partner_id, amount):
    """The unranked entry of a customer whose amount is negative."""
    return RankedCustomer(
        partner_id=partner_id,
        amount=amount,
        rank=0,
        customer_percent=0,
        share=0.0,
        cumulative_share=0.0,
        abc_class=None,
        dependence_level="none",
    )


def concentration(ranked):
    """Total, count, top-1 share, top-5 share and HHI of ranked customers."""
    shares = [customer.share for customer in ranked]
    return Concentration(
        total=sum(customer.amount for customer in ranked),
        count=len(ranked),
        top1_share=shares[0] if shares else 0.0,
        top5_share=sum(shares[:5]),
        hhi=sum(share * share for share in shares),
    )
