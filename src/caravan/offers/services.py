"""Offer writes. Stock only ever moves through a conditional UPDATE (never read-then-write)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Literal

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from caravan.catalog.models import AttributeValue, Category, Product, Variant
from caravan.fx.models import ExchangeRate
from caravan.fx.services import base_currency, convert, latest_rates
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import OutOfStock, ValidationFailed
from caravan.kernel.events import publish
from caravan.kernel.money import Money
from caravan.sellers.models import Seller
from caravan.shipping.selectors import list_methods_by_seller

from .buybox import BuyBox, build_buy_box, list_live_offers_by_product, product_buy_box
from .events import CatalogChanged
from .facets import AttributeFact, OfferFacts, facet_keys
from .models import Offer, ProductOfferSummary
from .selectors import get_seller_offer

MAX_HANDLING_DAYS = 60
MAX_STOCK = 1_000_000
# The most of one offer a single order may hold; the cart's line limit is this same number.
MAX_ORDER_QUANTITY = 99


class _Keep(Enum):
    KEEP = "keep"


# update_offer's "leave this field as it is", where None means "clear it".
KEEP: Final = _Keep.KEEP
Keep = Literal[_Keep.KEEP]


def _reference_amount(price: Money) -> Decimal:
    return convert(money=price, to=base_currency()).converted.amount


def _validate_price(*, seller: Seller, price: Money) -> None:
    if price.currency != seller.currency:
        raise ValidationFailed(
            f"Offers of {seller.name} are priced in {seller.currency}", code="currency_mismatch"
        )
    if price.amount <= 0:
        raise ValidationFailed(_("The price must be above zero"), code="price_not_positive")
    if price.rounded() != price:
        raise ValidationFailed(_("Too many decimal places in the price"), code="price_precision")


def _validate_stock(stock_quantity: int) -> None:
    if not 0 <= stock_quantity <= MAX_STOCK:
        raise ValidationFailed(
            _("Stock must be between 0 and %(maximum)s") % {"maximum": MAX_STOCK},
            code="invalid_stock",
        )


def _validate_handling(handling_days: int) -> None:
    if not 0 <= handling_days <= MAX_HANDLING_DAYS:
        raise ValidationFailed(
            f"Handling time must be 0 to {MAX_HANDLING_DAYS} days", code="invalid_handling_days"
        )


def _validate_compare_at(*, price: Money, compare_at: Money | None) -> None:
    if compare_at is None:
        return
    if compare_at.currency != price.currency:
        raise ValidationFailed(
            _("The compare-at price must be in the offer's currency"),
            code="compare_at_currency",
        )
    if compare_at.rounded() != compare_at:
        raise ValidationFailed(
            _("Too many decimal places in the compare-at price"), code="price_precision"
        )
    if compare_at.amount <= price.amount:
        raise ValidationFailed(
            _("The compare-at price must be above the price"), code="compare_at_not_above_price"
        )


def _validate_order_limits(*, minimum: int, maximum: int | None) -> None:
    if not 1 <= minimum <= MAX_ORDER_QUANTITY:
        raise ValidationFailed(
            _("The minimum per order must be between 1 and %(maximum)s")
            % {"maximum": MAX_ORDER_QUANTITY},
            code="invalid_min_order",
        )
    if maximum is not None and not minimum <= maximum <= MAX_ORDER_QUANTITY:
        raise ValidationFailed(
            _("The maximum per order must be between the minimum and %(maximum)s")
            % {"maximum": MAX_ORDER_QUANTITY},
            code="invalid_max_order",
        )


def _validate_country(country: str) -> None:
    if country not in COUNTRIES:
        raise ValidationFailed(
            _("Unknown country: %(country)s") % {"country": country}, code="invalid_country"
        )


def _validate_condition(condition: str) -> None:
    if condition not in Offer.Condition.values:
        raise ValidationFailed(
            _("Unknown condition: %(condition)s") % {"condition": condition},
            code="invalid_condition",
        )


def validate_offer_terms(
    *,
    seller: Seller,
    price: Money,
    stock_quantity: int,
    handling_days: int = 1,
    compare_at_price: Money | None = None,
    condition: str = Offer.Condition.NEW,
    min_order_quantity: int = 1,
    max_order_quantity: int | None = None,
) -> None:
    """Every rule an offer's terms must meet; raises the first broken one."""
    _validate_price(seller=seller, price=price)
    _validate_compare_at(price=price, compare_at=compare_at_price)
    _validate_stock(stock_quantity)
    _validate_handling(handling_days)
    _validate_condition(condition)
    _validate_order_limits(minimum=min_order_quantity, maximum=max_order_quantity)


@transaction.atomic
def create_offer(
    *,
    seller: Seller,
    variant: Variant,
    price: Money,
    stock_quantity: int,
    ships_from: str | None = None,
    handling_days: int = 1,
    seller_sku: str = "",
    is_active: bool = True,
    compare_at_price: Money | None = None,
    condition: str = Offer.Condition.NEW,
    min_order_quantity: int = 1,
    max_order_quantity: int | None = None,
) -> Offer:
    validate_offer_terms(
        seller=seller,
        price=price,
        stock_quantity=stock_quantity,
        handling_days=handling_days,
        compare_at_price=compare_at_price,
        condition=condition,
        min_order_quantity=min_order_quantity,
        max_order_quantity=max_order_quantity,
    )
    origin = ships_from or seller.country
    _validate_country(origin)
    if Offer.objects.filter(seller=seller, variant=variant).exists():
        raise ValidationFailed(_("You already have an offer on this variant"), code="offer_exists")
    offer = Offer.objects.create(
        seller=seller,
        variant=variant,
        product_id=variant.product_id,
        seller_sku=seller_sku.strip(),
        price_amount=price.amount,
        compare_at_amount=compare_at_price.amount if compare_at_price else None,
        currency=price.currency,
        reference_price_amount=_reference_amount(price),
        stock_quantity=stock_quantity,
        ships_from=origin,
        handling_days=handling_days,
        condition=condition,
        min_order_quantity=min_order_quantity,
        max_order_quantity=max_order_quantity,
        is_active=is_active,
    )
    refresh_product_summary(product_id=variant.product_id)
    return offer


@transaction.atomic
def update_offer(
    *,
    seller: Seller,
    offer_public_id: str,
    price: Money | None = None,
    stock_quantity: int | None = None,
    handling_days: int | None = None,
    is_active: bool | None = None,
    compare_at_price: Money | Keep | None = KEEP,
    condition: str | None = None,
    ships_from: str | None = None,
    min_order_quantity: int | None = None,
    max_order_quantity: int | Keep | None = KEEP,
    seller_sku: str | None = None,
) -> Offer:
    """Change the given terms (None or KEEP leaves a term as it is; None clears the
    compare-at price and the maximum). The terms are checked as a whole, so a new price at
    or above the current compare-at price is refused."""
    offer = get_seller_offer(seller=seller, public_id=offer_public_id, for_update=True)
    new_price = price if price is not None else offer.price
    new_compare_at = offer.compare_at_price if compare_at_price is KEEP else compare_at_price
    new_maximum = offer.max_order_quantity if max_order_quantity is KEEP else max_order_quantity
    validate_offer_terms(
        seller=seller,
        price=new_price,
        stock_quantity=stock_quantity if stock_quantity is not None else offer.stock_quantity,
        handling_days=handling_days if handling_days is not None else offer.handling_days,
        compare_at_price=new_compare_at,
        condition=condition if condition is not None else offer.condition,
        min_order_quantity=(
            min_order_quantity if min_order_quantity is not None else offer.min_order_quantity
        ),
        max_order_quantity=new_maximum,
    )
    if ships_from is not None:
        _validate_country(ships_from)
        offer.ships_from = ships_from
    if price is not None:
        offer.price_amount = price.amount
        offer.reference_price_amount = _reference_amount(price)
    offer.compare_at_amount = new_compare_at.amount if new_compare_at else None
    offer.max_order_quantity = new_maximum
    if stock_quantity is not None:
        offer.stock_quantity = stock_quantity
    if handling_days is not None:
        offer.handling_days = handling_days
    if condition is not None:
        offer.condition = condition
    if min_order_quantity is not None:
        offer.min_order_quantity = min_order_quantity
    if seller_sku is not None:
        offer.seller_sku = seller_sku.strip()
    if is_active is not None:
        offer.is_active = is_active
    offer.save()
    refresh_product_summary(product_id=offer.product_id)
    return offer


def take_stock(*, offer_id: int, quantity: int) -> None:
    """Decrement stock only if enough is left; the caller's transaction decides the rest."""
    if quantity <= 0:
        raise ValidationFailed(_("Quantity must be positive"), code="invalid_quantity")
    updated = Offer.objects.filter(
        id=offer_id, is_active=True, stock_quantity__gte=quantity
    ).update(stock_quantity=F("stock_quantity") - quantity)
    if updated != 1:
        raise OutOfStock(_("Not enough stock left for this offer"), code="out_of_stock")


def take_stocks(*, quantities: dict[int, int]) -> None:
    """Take several offers' stock in one conditional UPDATE: every offer must have enough
    left, or nothing is taken (the caller's transaction rolls back) and OutOfStock names the
    first offer short. One statement whatever the number of lines keeps the row locks a
    checkout holds short, which is what a rush on one offer waits on."""
    if not quantities or any(quantity <= 0 for quantity in quantities.values()):
        raise ValidationFailed(_("Quantity must be positive"), code="invalid_quantity")
    if len(quantities) == 1:
        ((offer_id, quantity),) = quantities.items()
        take_stock(offer_id=offer_id, quantity=quantity)
        return
    wanted = Case(
        *(When(id=offer_id, then=Value(quantity)) for offer_id, quantity in quantities.items()),
        output_field=IntegerField(),
    )
    updated = Offer.objects.filter(
        id__in=list(quantities), is_active=True, stock_quantity__gte=wanted
    ).update(stock_quantity=F("stock_quantity") - wanted)
    if updated != len(quantities):
        raise OutOfStock(_("Not enough stock left for this offer"), code="out_of_stock")


def release_stock(*, offer_id: int, quantity: int) -> None:
    Offer.objects.filter(id=offer_id).update(stock_quantity=F("stock_quantity") + quantity)


_SUMMARY_PRODUCT_FIELDS = (
    "id",
    "public_id",
    "category_id",
    "created_at",
    "name_ru",
    "name_en",
    "brand",
    "is_active",
    "is_approved",
)
# Products per round of queries in refresh_product_summaries: their offers, sellers and
# variants are in memory at once, so a bulk import's peak stays a few MiB whatever its size.
SUMMARY_BATCH_SIZE = 200


def refresh_product_summary(*, product_id: int) -> ProductOfferSummary:
    """The one place a product's listing row is recomputed: its best offer is the buy-box
    winner (offers.buybox), so listing cards and the product page name the same offer.
    refresh_product_summaries does the same for many products at once."""
    product = Product.objects.only(*_SUMMARY_PRODUCT_FIELDS).get(id=product_id)
    buy_box = product_buy_box(product_id=product_id)
    facts = _FacetFacts.load([product_id])
    previous_signature = (
        ProductOfferSummary.objects.filter(product_id=product_id)
        .values_list("card_signature", flat=True)
        .first()
    )
    fields = _summary_fields(product=product, buy_box=buy_box, facts=facts)
    summary, _created = ProductOfferSummary.objects.update_or_create(
        product_id=product_id, defaults=fields
    )
    event = CatalogChanged(
        product_id=product_id,
        product_public_id=product.public_id,
        listing_changed=previous_signature != fields["card_signature"],
    )
    transaction.on_commit(lambda: publish(event))
    return summary


def refresh_product_summaries(*, product_ids: Iterable[int]) -> int:
    """refresh_product_summary for each of the products (the same rows, the same events in
    the same order), in a fixed number of queries per SUMMARY_BATCH_SIZE products instead of
    five per product. Returns the number of products refreshed."""
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    with transaction.atomic():
        rates = latest_rates(quote=base_currency())
        events: list[CatalogChanged] = []
        for start in range(0, len(ids), SUMMARY_BATCH_SIZE):
            events += _refresh_summary_chunk(ids[start : start + SUMMARY_BATCH_SIZE], rates=rates)
        transaction.on_commit(lambda: _publish_together(events))
    return len(ids)


def _refresh_summary_chunk(
    product_ids: list[int], *, rates: dict[str, ExchangeRate]
) -> list[CatalogChanged]:
    products = {
        product.id: product
        for product in Product.objects.only(*_SUMMARY_PRODUCT_FIELDS).filter(id__in=product_ids)
    }
    missing = sorted(set(product_ids) - products.keys())
    if missing:
        # As refresh_product_summary does for one missing product, before anything is written.
        raise Product.DoesNotExist(f"Product {missing[0]} does not exist")
    offers = list_live_offers_by_product(product_ids=product_ids)
    methods = list_methods_by_seller(
        seller_ids={offer.seller_id for rows in offers.values() for offer in rows}
    )
    facts = _FacetFacts.load(product_ids)
    existing = {
        summary.product_id: summary
        for summary in ProductOfferSummary.objects.filter(product_id__in=product_ids).only(
            "product_id", "card_signature"
        )
    }
    updated: list[ProductOfferSummary] = []
    created: list[ProductOfferSummary] = []
    events: list[CatalogChanged] = []
    for product_id in product_ids:
        product = products[product_id]
        buy_box = build_buy_box(offers=offers.get(product_id, []), methods=methods, rates=rates)
        fields = _summary_fields(product=product, buy_box=buy_box, facts=facts)
        summary = existing.get(product_id)
        previous_signature = summary.card_signature if summary else None
        if summary is None:
            created.append(ProductOfferSummary(product_id=product_id, **fields))
        else:
            for name, value in fields.items():
                setattr(summary, name, value)
            updated.append(summary)
        events.append(
            CatalogChanged(
                product_id=product_id,
                product_public_id=product.public_id,
                listing_changed=previous_signature != fields["card_signature"],
            )
        )
    ProductOfferSummary.objects.bulk_create(created)
    ProductOfferSummary.objects.bulk_update(updated, fields=_SUMMARY_WRITTEN_FIELDS)
    return events


def _publish_together(events: list[CatalogChanged]) -> None:
    """Publish a burst of events inside one transaction, so that a subscriber deferring its
    work to commit (search collects the product ids) does it once for the whole burst."""
    with transaction.atomic():
        for event in events:
            publish(event)


# The keys of _summary_fields, which bulk_update writes.
_SUMMARY_WRITTEN_FIELDS = (
    "best_offer",
    "offer_count",
    "seller_count",
    "min_reference_price_amount",
    "landed_reference_amount",
    "fastest_delivery_days",
    "facet_keys",
    "is_buyable",
    "product_created_at",
    "category_id",
    "search_text",
    "card_signature",
)


class _FacetFacts:
    """The catalog facts facet keys need for a batch of products: two queries."""

    def __init__(
        self, parents: dict[int, int | None], attributes: dict[int, list[AttributeFact]]
    ) -> None:
        self.parents = parents
        self.attributes = attributes

    @classmethod
    def load(cls, product_ids: list[int]) -> _FacetFacts:
        attributes: dict[int, list[AttributeFact]] = {}
        for product_id, variant_id, code, value_ru, value_en in (
            AttributeValue.objects.filter(product_id__in=product_ids)
            .order_by("position", "id")
            .values_list("product_id", "variant_id", "attribute__code", "value_ru", "value_en")
        ):
            attributes.setdefault(product_id, []).append(
                AttributeFact(
                    code=code, value_ru=value_ru, value_en=value_en, variant_id=variant_id
                )
            )
        return cls(dict(Category.objects.values_list("id", "parent_id")), attributes)


def _summary_fields(*, product: Product, buy_box: BuyBox, facts: _FacetFacts) -> dict[str, Any]:
    """A product's listing row from its buy box: the values both refreshes write."""
    best = buy_box.winner.offer if buy_box.winner else None
    eligible = [row for row in buy_box.ranked if row.is_eligible]
    buyable = [row.offer for row in eligible]
    seller_count = len({offer.seller_id for offer in buyable})
    search_text = f"{product.name_ru} {product.name_en} {product.brand}".lower()
    is_buyable = best is not None and product.is_visible
    fields: dict[str, Any] = {
        "best_offer": best,
        "offer_count": len(buyable),
        "seller_count": seller_count,
        # The winner's price, so that sorting and filtering by price agree with the
        # price the card shows.
        "min_reference_price_amount": best.reference_price_amount if best else None,
        "landed_reference_amount": (
            buy_box.winner.candidate.landed_reference_amount if buy_box.winner else None
        ),
        "fastest_delivery_days": min(
            (
                row.candidate.delivery_days
                for row in eligible
                if row.candidate.delivery_days is not None
            ),
            default=None,
        ),
        "facet_keys": facet_keys(
            category_id=product.category_id,
            parents=facts.parents,
            offers=[
                OfferFacts(
                    seller_id=offer.seller_id,
                    ships_from=offer.ships_from,
                    condition=offer.condition,
                    variant_id=offer.variant_id,
                )
                for offer in buyable
            ]
            if is_buyable
            else [],
            attributes=facts.attributes.get(product.id, []),
        ),
        "is_buyable": is_buyable,
        "product_created_at": product.created_at,
        "category_id": product.category_id,
        "search_text": search_text,
        "card_signature": "",
    }
    fields["card_signature"] = _card_signature(
        listed=(
            fields["facet_keys"],
            fields["fastest_delivery_days"],
            str(fields["landed_reference_amount"]),
        ),
        best=best,
        offer_count=len(buyable),
        seller_count=seller_count,
        is_buyable=is_buyable,
        search_text=search_text,
    )
    return fields


def _card_signature(
    *,
    listed: tuple[object, ...],
    best: Offer | None,
    offer_count: int,
    seller_count: int,
    is_buyable: bool,
    search_text: str,
) -> str:
    """What listings show of a product (its card, and the facets and sort keys that place
    it); a stock move inside it changes nothing here."""
    shown = (
        *listed,
        best.id if best else None,
        offer_count,
        seller_count,
        is_buyable,
        search_text,
        str(best.price_amount) if best else None,
        str(best.compare_at_amount) if best else None,
        best.handling_days if best else None,
        best.ships_from if best else None,
    )
    return hashlib.sha256(repr(shown).encode()).hexdigest()


@transaction.atomic
def reprice_references() -> int:
    """Recompute every offer's sort key after new exchange rates arrive."""
    base = base_currency()
    rates = latest_rates(quote=base)
    changed_products: set[int] = set()
    for offer in Offer.objects.filter(~Q(currency=base)).only("id", "price_amount", "currency"):
        amount = convert(money=offer.price, to=base, rates=rates).converted.amount
        Offer.objects.filter(id=offer.id).update(reference_price_amount=amount)
        changed_products.add(offer.product_id)
    for product_id in changed_products:
        refresh_product_summary(product_id=product_id)
    return len(changed_products)
