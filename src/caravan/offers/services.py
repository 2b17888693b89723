"""Offer writes. Stock only ever moves through a conditional UPDATE (never read-then-write)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from caravan.catalog.models import Product, Variant
from caravan.fx.services import base_currency, convert, latest_rates
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import OutOfStock, ValidationFailed
from caravan.kernel.events import publish
from caravan.kernel.money import Money
from caravan.sellers.models import Seller

from .events import CatalogChanged
from .models import Offer, ProductOfferSummary
from .selectors import get_seller_offer

MAX_HANDLING_DAYS = 60
MAX_STOCK = 1_000_000


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
) -> Offer:
    _validate_price(seller=seller, price=price)
    _validate_stock(stock_quantity)
    _validate_handling(handling_days)
    origin = ships_from or seller.country
    if origin not in COUNTRIES:
        raise ValidationFailed(
            _("Unknown country: %(country)s") % {"country": origin}, code="invalid_country"
        )
    if Offer.objects.filter(seller=seller, variant=variant).exists():
        raise ValidationFailed(_("You already have an offer on this variant"), code="offer_exists")
    offer = Offer.objects.create(
        seller=seller,
        variant=variant,
        product_id=variant.product_id,
        seller_sku=seller_sku.strip(),
        price_amount=price.amount,
        currency=price.currency,
        reference_price_amount=_reference_amount(price),
        stock_quantity=stock_quantity,
        ships_from=origin,
        handling_days=handling_days,
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
) -> Offer:
    offer = get_seller_offer(seller=seller, public_id=offer_public_id, for_update=True)
    if price is not None:
        _validate_price(seller=seller, price=price)
        offer.price_amount = price.amount
        offer.reference_price_amount = _reference_amount(price)
    if stock_quantity is not None:
        _validate_stock(stock_quantity)
        offer.stock_quantity = stock_quantity
    if handling_days is not None:
        _validate_handling(handling_days)
        offer.handling_days = handling_days
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


def release_stock(*, offer_id: int, quantity: int) -> None:
    Offer.objects.filter(id=offer_id).update(stock_quantity=F("stock_quantity") + quantity)


def refresh_product_summary(*, product_id: int) -> ProductOfferSummary:
    product = Product.objects.only(
        "id", "public_id", "category_id", "created_at", "name_ru", "name_en", "brand", "is_active"
    ).get(id=product_id)
    buyable = Offer.objects.filter(
        product_id=product_id, is_active=True, stock_quantity__gt=0, seller__status="active"
    )
    best = buyable.order_by("reference_price_amount", "id").first()
    counts = buyable.aggregate(offers=Count("id"), sellers=Count("seller_id", distinct=True))
    previous = (
        ProductOfferSummary.objects.filter(product_id=product_id)
        .select_related("best_offer")
        .first()
    )
    summary, _created = ProductOfferSummary.objects.update_or_create(
        product_id=product_id,
        defaults={
            "best_offer": best,
            "offer_count": counts["offers"],
            "seller_count": counts["sellers"],
            "min_reference_price_amount": best.reference_price_amount if best else None,
            "is_buyable": best is not None and product.is_active,
            "product_created_at": product.created_at,
            "category_id": product.category_id,
            "search_text": f"{product.name_ru} {product.name_en} {product.brand}".lower(),
        },
    )
    event = CatalogChanged(
        product_id=product_id,
        product_public_id=product.public_id,
        listing_changed=previous is None or _card(previous) != _card(summary),
    )
    transaction.on_commit(lambda: publish(event))
    return summary


def _card(summary: ProductOfferSummary) -> tuple[object, ...]:
    """What a listing card shows of a product; a stock move inside it changes nothing here."""
    best = summary.best_offer
    return (
        summary.best_offer_id,
        summary.offer_count,
        summary.seller_count,
        summary.is_buyable,
        summary.search_text,
        best.price_amount if best else None,
        best.handling_days if best else None,
    )


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
