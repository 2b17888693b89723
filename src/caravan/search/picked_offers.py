"""Each listing card's offer picked for the buyer's country and filters: the buy box
ranking among the offers that reach there (search.selectors.list_products and the home
page's shelves, ADR 0020)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Max, Min, Q

from caravan.fx.models import ExchangeRate
from caravan.fx.services import base_currency, convert, latest_rates
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money
from caravan.offers.buybox import OfferFacts, default_destination, pick_winners
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.selectors import buyable_offer_filter
from caravan.shipping.models import WeightBand
from caravan.shipping.quotes import Destination, ParcelLine, ShippingQuote

from .facets import Selection


@dataclass
class PickedOffers:
    summaries: list[ProductOfferSummary]
    # The offers ranked, quoted to the destination, by offer id (every card's winner).
    shipping: dict[int, ShippingQuote]


def show_offers_for(
    summaries: list[ProductOfferSummary],
    *,
    destination: Destination,
    selection: Selection | None = None,
) -> PickedOffers:
    """Each card's best offer for the buyer: the buy box ranking, for the buyer's
    destination, among the offers the filters keep (shipped from Russia, sold by a seller,
    used), and its seller count among the sellers delivering there. Six queries for the
    page, one of them building only the winners.
    A card nothing of which reaches the destination keeps its row's best offer (the card
    then says it does not deliver there). The summaries are changed in memory only."""
    selection = selection or Selection()
    # The rows' seller counts are for the marketplace's country.
    recount = destination.country != default_destination().country
    offers = Offer.objects.filter(
        buyable_offer_filter(),
        product_id__in=[summary.product_id for summary in summaries],
        stock_quantity__gt=0,
        stock_quantity__gte=F("min_order_quantity"),
    )
    if not recount:
        # Only the offers the filters keep: no seller count to work out from the others.
        offers = offers.filter(_kept(selection))
    # A light read first: a popular product has hundreds of offers.
    light = list(
        offers.values_list(
            "id",
            "product_id",
            "seller_id",
            "reference_price_amount",
            "ships_from",
            "condition",
            *_FACTS,
        )
    )
    bounds = _delivery_bounds(seller_ids={row[2] for row in light}, country=destination.country)
    delivering: dict[int, set[int]] = {}
    if recount:
        for _id, product_id, seller_id, *_rest in light:
            if seller_id in bounds:
                delivering.setdefault(product_id, set()).add(seller_id)
    narrowed = [
        (offer_id, product_id, seller_id, price)
        for offer_id, product_id, seller_id, price, ships_from, condition, *_facts in light
        if (not selection.ships_from or ships_from in selection.ships_from)
        and (not selection.sellers or seller_id in selection.sellers)
        and (not selection.conditions or condition in selection.conditions)
    ]
    rates = latest_rates(quote=base_currency())
    wanted = set(_possible_winners(narrowed, bounds=bounds, rates=rates))
    # The survivors ranked from plain values; only the winners become models.
    winners, shipping = pick_winners(
        offers=[_facts(row[:3], row[6:]) for row in light if row[0] in wanted],
        destination=destination,
        rates=rates,
    )
    won = Offer.objects.filter(id__in=winners.values()).select_related(
        "seller", "variant", "product"
    )
    best = {offer.product_id: offer for offer in won}
    for summary in summaries:
        if summary.product_id in best:
            summary.best_offer = best[summary.product_id]
        if recount:
            summary.seller_count = len(delivering.get(summary.product_id, ()))
    return PickedOffers(summaries=summaries, shipping=shipping)


def _kept(selection: Selection) -> Q:
    """The offer filters of a listing in SQL, as `narrowed` applies them in memory."""
    kept = Q()
    if selection.ships_from:
        kept &= Q(ships_from__in=selection.ships_from)
    if selection.sellers:
        kept &= Q(seller_id__in=selection.sellers)
    if selection.conditions:
        kept &= Q(condition__in=selection.conditions)
    return kept


# Reference prices are written at the rate of their day and the buy box converts at the
# latest: the bound below leaves this much room so a rate change cannot prune a winner.
_RATE_DRIFT = Decimal("1.02")


def _delivery_bounds(*, seller_ids: Iterable[int], country: str) -> dict[int, tuple[Money, Money]]:
    """Per seller, the lowest and the highest band price of the active methods of its
    default profile to zones naming the country or the rest of the world, whatever the
    weight (nothing when a method is free above a threshold): bounds on what delivering one
    unit there can cost (one query). A seller without any does not deliver there and cannot
    win. (Both zones count when a seller has both: the bounds are only wider, never wrong.)"""
    bounds: dict[int, tuple[Money, Money]] = {}
    for seller_id, currency, low, high, free_from in (
        WeightBand.objects.filter(
            Q(rate__zone__countries__icontains=f'"{country}"')
            | Q(rate__zone__is_rest_of_world=True),
            rate__method__profile__seller_id__in=set(seller_ids),
            rate__method__profile__is_default=True,
            rate__method__is_active=True,
        )
        .values_list("rate__method__profile__seller_id", "rate__method__currency")
        .annotate(
            low=Min("price_amount"),
            high=Max("price_amount"),
            free_from=Min("rate__method__free_threshold_amount"),
        )
        .values_list(
            "rate__method__profile__seller_id", "rate__method__currency", "low", "high", "free_from"
        )
    ):
        if seller_id in bounds and bounds[seller_id][0].currency != currency:
            continue  # a method left in an old currency: the buy box refuses its landed price
        previous = bounds.get(seller_id)
        # A method free above a threshold can deliver for nothing.
        low_money = Money.zero(currency) if free_from is not None else Money(low, currency)
        high_money = Money(high, currency)
        if previous is not None:
            low_money = min(previous[0], low_money, key=lambda money: money.amount)
            high_money = max(previous[1], high_money, key=lambda money: money.amount)
        bounds[seller_id] = (low_money, high_money)
    return bounds


def _possible_winners(
    light: list[tuple[int, int, int, Decimal]],
    *,
    bounds: dict[int, tuple[Money, Money]],
    rates: dict[str, ExchangeRate],
) -> list[int]:
    """The offers that could win their product's buy box: a popular product has hundreds
    of matching offers, and building each as a model to rank them cost tens of
    milliseconds a page. The buy box ranks by landed price (price plus the cheapest method
    reaching the buyer) first; delivery is priced per zone and weight, so the bounds of
    _delivery_bounds stand in: an offer whose lowest possible landed price is above the
    lowest highest-possible one (within the rate drift) cannot win; a seller without
    delivery to the buyer's country cannot win at all."""
    base = base_currency()
    delivery: dict[int, tuple[Decimal, Decimal]] = {}
    for seller_id, (cheapest, dearest) in bounds.items():
        try:
            delivery[seller_id] = (
                convert(money=cheapest, to=base, rates=rates).converted.amount,
                convert(money=dearest, to=base, rates=rates).converted.amount,
            )
        except NotFound:
            continue
    landed = [
        (offer_id, product_id, price + delivery[seller_id][0], price + delivery[seller_id][1])
        for offer_id, product_id, seller_id, price in light
        if seller_id in delivery
    ]
    ceiling: dict[int, Decimal] = {}
    for _offer_id, product_id, _floor, top in landed:
        if product_id not in ceiling or top < ceiling[product_id]:
            ceiling[product_id] = top
    return [
        offer_id
        for offer_id, product_id, floor, _top in landed
        if floor <= ceiling[product_id] * _RATE_DRIFT
    ]


# What pick_winners needs of an offer beyond its id, product and seller, read with the
# light rows (a second query for the survivors only cost a round trip a page).
_FACTS = (
    "price_amount",
    "currency",
    "handling_days",
    "stock_quantity",
    "min_order_quantity",
    "variant__net_weight_grams",
    "variant__length_mm",
    "variant__width_mm",
    "variant__height_mm",
)


def _facts(
    ids: tuple[int, int, int],
    facts: tuple[Decimal, str, int, int, int, int | None, int | None, int | None, int | None],
) -> OfferFacts:
    offer_id, product_id, seller_id = ids
    price, currency, handling_days, stock, minimum, weight, length, width, height = facts
    return OfferFacts(
        offer_id=offer_id,
        product_id=product_id,
        seller_id=seller_id,
        price=Money(price, currency),
        handling_days=handling_days,
        stock_quantity=stock,
        min_order_quantity=minimum,
        unit=ParcelLine(
            quantity=1,
            unit_price=Money(price, currency),
            weight_grams=weight,
            length_mm=length,
            width_mm=width,
            height_mm=height,
        ),
    )
