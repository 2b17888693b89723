"""The buy box: which of the competing offers on a product a buyer is shown first.

The ranking is docs/decisions/0003-buy-box.md. In short, among offers a buyer can actually
buy (active, in stock for at least the seller's minimum, delivered to the buyer's country),
the winner is the lowest landed price (offer price + the cheapest method reaching the buyer,
converted to the marketplace currency at the reference rate), then the earliest last day of
that method's promise (the one the product page shows and the cart picks by default, ADR
0012), then the best seller rating, then the most stock, then the lowest offer id. The ordering is pure
(`rank`), so it is tested with exact inputs; `build_buy_box` gathers those inputs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from caravan.catalog.models import Product
from caravan.fx.models import ExchangeRate
from caravan.fx.services import base_currency, convert, latest_rates
from caravan.kernel import clock
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money
from caravan.shipping.quotes import (
    DeliveryDates,
    Destination,
    MethodQuote,
    ParcelLine,
    SellerParcel,
    ShippingQuote,
    TablesReader,
    cheapest_deliveries,
    load_tables,
    quote_sellers,
)

from .models import Offer
from .selectors import buyable_offer_filter, is_buyable_offer

# Until buyers can review sellers every seller has the same rating, so the rating never
# decides; the reviews issue replaces seller_ratings_for_buy_box and nothing else changes.
NEUTRAL_SELLER_RATING = Decimal("0")


def seller_ratings_for_buy_box(*, seller_ids: Iterable[int]) -> dict[int, Decimal]:
    """The rating input of the ranking (higher is better): neutral for every seller for now."""
    return {seller_id: NEUTRAL_SELLER_RATING for seller_id in seller_ids}


@dataclass(frozen=True)
class Candidate:
    """What the ranking compares of one offer, in plain values."""

    offer_id: int
    landed_reference_amount: Decimal | None  # None: no delivery option or no exchange rate
    delivery_days: int | None  # days from today to the promise's last day (buyer's dates)
    seller_rating: Decimal
    stock_quantity: int
    min_order_quantity: int = 1
    is_active: bool = True

    @property
    def is_eligible(self) -> bool:
        """Buyable now: a buyer could put it in the cart and check out."""
        return (
            self.is_active
            and self.stock_quantity > 0
            and self.stock_quantity >= self.min_order_quantity
            and self.landed_reference_amount is not None
            and self.delivery_days is not None
        )


def rank_key(candidate: Candidate) -> tuple[Decimal, int, Decimal, int, int]:
    """Smaller wins: landed price, delivery days, rating (negated), stock (negated), id."""
    assert candidate.landed_reference_amount is not None and candidate.delivery_days is not None
    return (
        candidate.landed_reference_amount,
        candidate.delivery_days,
        -candidate.seller_rating,
        -candidate.stock_quantity,
        candidate.offer_id,
    )


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The eligible candidates, best first. Ineligible ones (out of stock above all) never
    appear, so they can never win."""
    return sorted((c for c in candidates if c.is_eligible), key=rank_key)


@dataclass(frozen=True)
class RankedOffer:
    offer: Offer
    shipping: ShippingQuote  # every method reaching the buyer for one unit, or the refusal
    landed_price: Money | None  # price + delivery, in the offer's currency
    candidate: Candidate

    @property
    def delivery(self) -> MethodQuote | None:
        """The cheapest method reaching the buyer: the cart's default choice."""
        return next(iter(self.shipping.options), None)

    @property
    def promise(self) -> DeliveryDates | None:
        return self.delivery.dates if self.delivery else None

    @property
    def is_eligible(self) -> bool:
        return self.candidate.is_eligible


@dataclass(frozen=True)
class BuyBox:
    winner: RankedOffer | None
    # Every offer given: the eligible ones in ranking order, then the rest cheapest first.
    ranked: list[RankedOffer]
    # Sellers other than the winner's with a buyable offer, and the lowest of their prices
    # (by reference price; shown in that offer's own currency).
    other_seller_count: int
    other_lowest_price: Money | None


def _landed_reference(
    *, price: Money, delivery: Money, base: str, rates: dict[str, ExchangeRate]
) -> Decimal | None:
    try:
        return (
            convert(money=price, to=base, rates=rates).converted
            + convert(money=delivery, to=base, rates=rates).converted
        ).amount
    except NotFound:
        # No rate for the currency: the offer cannot be compared, so it cannot win.
        return None


def default_destination() -> Destination:
    """Where a visitor who has said nothing is quoted to (the listing projection's rows too)."""
    return Destination(country=settings.MARKETPLACE_COUNTRY)


def quote_offers(
    *,
    offers: Sequence[Offer],
    destination: Destination,
    placed_at: datetime | None = None,
    tables: TablesReader | None = None,
) -> dict[int, ShippingQuote]:
    """Per offer id, one unit of it quoted to the destination with the offer's handling time:
    the product page's promise. Two queries for all the offers' sellers (none with `tables`
    that hold them: shipping.quotes.quote_sellers)."""
    return quote_sellers(
        parcels={
            offer.id: SellerParcel(
                seller_id=offer.seller_id,
                currency=offer.currency,
                lines=[
                    ParcelLine.of_variant(variant=offer.variant, quantity=1, unit_price=offer.price)
                ],
                handling_days=offer.handling_days,
            )
            for offer in offers
        },
        destination=destination,
        placed_at=placed_at,
        tables=tables,
    )


def _candidate(
    *,
    offer_id: int,
    price: Money,
    quote: ShippingQuote,
    today: date,
    seller_rating: Decimal,
    stock_quantity: int,
    min_order_quantity: int,
    is_active: bool,
    base: str,
    rates: dict[str, ExchangeRate],
) -> Candidate:
    """The ranking's inputs for one offer quoted to the buyer: its cheapest method's landed
    price and promise."""
    cheapest = next(iter(quote.options), None)
    return Candidate(
        offer_id=offer_id,
        landed_reference_amount=(
            _landed_reference(price=price, delivery=cheapest.price, base=base, rates=rates)
            if cheapest
            else None
        ),
        delivery_days=(cheapest.dates.latest - today).days if cheapest else None,
        seller_rating=seller_rating,
        stock_quantity=stock_quantity,
        min_order_quantity=min_order_quantity,
        is_active=is_active,
    )


def build_buy_box(
    *,
    offers: Sequence[Offer],
    destination: Destination | None = None,
    shipping: Mapping[int, ShippingQuote] | None = None,
    rates: dict[str, ExchangeRate] | None = None,
    placed_at: datetime | None = None,
    tables: TablesReader | None = None,
) -> BuyBox:
    """Rank the given offers (with seller and variant loaded) for a buyer in `destination`
    (None: the marketplace's country). Three queries at most: the shipping engine's two and
    the exchange rates, skipped when the caller passes `shipping` (by offer id) or `rates`."""
    return buy_box_of(
        rank_offers(
            offers=offers,
            destination=destination,
            shipping=shipping,
            rates=rates,
            placed_at=placed_at,
            tables=tables,
        )
    )


def rank_offers(
    *,
    offers: Sequence[Offer],
    destination: Destination | None = None,
    shipping: Mapping[int, ShippingQuote] | None = None,
    rates: dict[str, ExchangeRate] | None = None,
    placed_at: datetime | None = None,
    tables: TablesReader | None = None,
) -> list[RankedOffer]:
    """Each offer quoted to the buyer and ranked alone (rank_offer), in the given order:
    build_buy_box's work before it compares them (buy_box_of), with the same queries."""
    base = base_currency()
    destination = destination or default_destination()
    moment = placed_at or clock.now()
    if shipping is None:
        shipping = quote_offers(
            offers=offers, destination=destination, placed_at=moment, tables=tables
        )
    if rates is None:
        rates = latest_rates(quote=base)
    today = moment.astimezone(ZoneInfo(destination.buyer_timezone)).date()
    ratings = seller_ratings_for_buy_box(seller_ids={offer.seller_id for offer in offers})
    return [
        rank_offer(
            offer,
            quote=shipping[offer.id],
            today=today,
            seller_rating=ratings[offer.seller_id],
            base=base,
            rates=rates,
        )
        for offer in offers
    ]


def rank_offer(
    offer: Offer,
    *,
    quote: ShippingQuote,
    today: date,
    seller_rating: Decimal,
    base: str,
    rates: dict[str, ExchangeRate],
) -> RankedOffer:
    """One offer (with seller, variant and product loaded) quoted to the buyer, with what
    the ranking compares of it: build_buy_box's work for one offer alone."""
    cheapest = next(iter(quote.options), None)
    # Delivery is priced in the seller's currency, as offers are; a method left in an old
    # currency after a change gets no landed price of its own.
    landed = (
        offer.price + cheapest.price
        if cheapest is not None and cheapest.price.currency == offer.currency
        else None
    )
    candidate = _candidate(
        offer_id=offer.id,
        price=offer.price,
        quote=quote,
        today=today,
        seller_rating=seller_rating,
        stock_quantity=offer.stock_quantity,
        min_order_quantity=offer.min_order_quantity,
        is_active=is_buyable_offer(offer),
        base=base,
        rates=rates,
    )
    return RankedOffer(offer=offer, shipping=quote, landed_price=landed, candidate=candidate)


def buy_box_of(rows: Sequence[RankedOffer]) -> BuyBox:
    """The buy box of offers each ranked alone (rank_offer): the winner, the eligible ones
    in ranking order, then the rest."""
    by_id = {row.offer.id: row for row in rows}
    eligible = [by_id[candidate.offer_id] for candidate in rank(row.candidate for row in rows)]
    rest = sorted(
        (row for row in rows if not row.is_eligible),
        key=lambda row: (row.offer.reference_price_amount, row.offer.id),
    )
    winner = eligible[0] if eligible else None
    others = [row for row in eligible if winner and row.offer.seller_id != winner.offer.seller_id]
    lowest = min(
        others, key=lambda row: (row.offer.reference_price_amount, row.offer.id), default=None
    )
    return BuyBox(
        winner=winner,
        ranked=[*eligible, *rest],
        other_seller_count=len({row.offer.seller_id for row in others}),
        other_lowest_price=lowest.offer.price if lowest else None,
    )


@dataclass(frozen=True)
class OfferFacts:
    """What ranking one buyable offer needs, read as plain values (a listing's many
    offers) rather than as a model with its seller, variant and product."""

    offer_id: int
    product_id: int
    seller_id: int
    price: Money
    handling_days: int
    stock_quantity: int
    min_order_quantity: int
    unit: ParcelLine  # one unit of the offer's variant


def pick_winners(
    *,
    offers: Sequence[OfferFacts],
    destination: Destination,
    rates: dict[str, ExchangeRate],
    placed_at: datetime | None = None,
) -> tuple[dict[int, int], dict[int, ShippingQuote]]:
    """Per product id, the offer build_buy_box would rank first among the product's given
    offers (a product none of whose offers reaches the buyer is left out), and the quotes
    of the offers at their product's lowest landed price by offer id (the winners' among
    them): the same ranking for many products at once without a model per offer, and with
    delivery dates worked out only where the price ties. Two queries (the shipping
    engine's); the offers must be buyable."""
    base = base_currency()
    moment = placed_at or clock.now()
    parcels = {
        facts.offer_id: SellerParcel(
            seller_id=facts.seller_id,
            currency=facts.price.currency,
            lines=[facts.unit],
            handling_days=facts.handling_days,
        )
        for facts in offers
    }
    tables = load_tables(seller_ids={facts.seller_id for facts in offers}, destination=destination)
    # Landed price ranks first: only the offers at their product's lowest are dated.
    delivery = cheapest_deliveries(parcels=parcels, tables=tables)
    landed: dict[int, Decimal] = {}
    lowest: dict[int, Decimal] = {}
    for facts in offers:
        cheapest = delivery[facts.offer_id]
        if cheapest is None or not 0 < facts.stock_quantity >= facts.min_order_quantity:
            continue
        amount = _landed_reference(price=facts.price, delivery=cheapest, base=base, rates=rates)
        if amount is not None:
            landed[facts.offer_id] = amount
            lowest[facts.product_id] = min(amount, lowest.get(facts.product_id, amount))
    tied = [
        facts
        for facts in offers
        if facts.offer_id in landed and landed[facts.offer_id] == lowest[facts.product_id]
    ]
    shipping = quote_sellers(
        parcels={facts.offer_id: parcels[facts.offer_id] for facts in tied},
        destination=destination,
        placed_at=moment,
        tables=lambda **_kwargs: tables,
    )
    today = moment.astimezone(ZoneInfo(destination.buyer_timezone)).date()
    ratings = seller_ratings_for_buy_box(seller_ids={facts.seller_id for facts in tied})
    candidates: dict[int, list[Candidate]] = {}
    for facts in tied:
        candidates.setdefault(facts.product_id, []).append(
            _candidate(
                offer_id=facts.offer_id,
                price=facts.price,
                quote=shipping[facts.offer_id],
                today=today,
                seller_rating=ratings[facts.seller_id],
                stock_quantity=facts.stock_quantity,
                min_order_quantity=facts.min_order_quantity,
                is_active=True,
                base=base,
                rates=rates,
            )
        )
    winners: dict[int, int] = {}
    for product_id, product_candidates in candidates.items():
        ranked = rank(product_candidates)
        if ranked:
            winners[product_id] = ranked[0].offer_id
    return winners, shipping


def list_live_offers(*, product_id: int) -> list[Offer]:
    """Every active offer of an active seller on the product, seller and variant loaded."""
    return list_live_offers_by_product(product_ids=[product_id]).get(product_id, [])


def list_live_offers_by_product(
    *, product_ids: Collection[int], products: Mapping[int, Product] | None = None
) -> dict[int, list[Offer]]:
    """list_live_offers for several products in one query (a product without any is left
    out), each list in the same order. `products`: the caller's, already read (with at
    least what is_buyable_offer reads), given to the offers instead of reading them again
    with every offer."""
    offers: dict[int, list[Offer]] = {}
    relations = ("seller", "variant") if products is not None else ("seller", "variant", "product")
    for offer in (
        Offer.objects.filter(buyable_offer_filter(), product_id__in=product_ids)
        .select_related(*relations)
        .order_by("reference_price_amount", "id")
    ):
        if products is not None:
            offer.product = products[offer.product_id]
        offers.setdefault(offer.product_id, []).append(offer)
    return offers


def product_buy_box(*, product_id: int, destination: Destination | None = None) -> BuyBox:
    """The buy box of a whole product (all variants) for a buyer in `destination`."""
    return build_buy_box(offers=list_live_offers(product_id=product_id), destination=destination)
