"""Offer writes. Stock only ever moves through a conditional UPDATE (never read-then-write)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import Final, Literal

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from caravan.catalog.events import ProductsChanged
from caravan.catalog.models import Variant
from caravan.fx.services import base_currency, convert, latest_rates
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import OutOfStock, ValidationFailed
from caravan.kernel.events import publish
from caravan.kernel.money import Money
from caravan.sellers.models import Seller

from .models import Offer
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
    announce_product_changes(product_ids=[variant.product_id])
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
    announce_product_changes(product_ids=[offer.product_id])
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


def announce_product_changes(*, product_ids: Iterable[int]) -> None:
    """What buyers see of these products may have changed: the listing read model projects
    them once the caller's transaction commits (catalog.events.ProductsChanged, ADR 0007).
    Every offer, stock, moderation, seller or delivery change passes through here."""
    ids = tuple(sorted(set(product_ids)))
    if ids:
        publish(ProductsChanged(product_ids=ids))


@transaction.atomic
def refresh_edited_offers(*, offers: Iterable[Offer]) -> None:
    """Offers the operator saved or deleted in the admin, past update_offer: each saved one's
    sort key follows its price again, and their products are projected anew (a price, stock
    or state changed there reaches the listings as the seller's own edit would)."""
    products: set[int] = set()
    for offer in offers:
        products.add(offer.product_id)
        if offer.pk is not None:  # None once deleted
            Offer.objects.filter(pk=offer.pk).update(
                reference_price_amount=_reference_amount(offer.price)
            )
    announce_product_changes(product_ids=products)


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
    announce_product_changes(product_ids=changed_products)
    return len(changed_products)
