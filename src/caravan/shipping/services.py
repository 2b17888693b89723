from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.events import publish
from caravan.kernel.money import MINOR_UNITS, Money
from caravan.sellers.models import Seller

from .events import ShippingMethodsChanged
from .flat_methods import mirror_flat_method
from .models import ShippingMethod
from .selectors import get_seller_method

MAX_TRANSIT_DAYS = 120
NAME_MAX_LENGTH = 120
CARRIER_MAX_LENGTH = 80
# price_amount is DECIMAL(12, 2): ten digits before the point.
MAX_PRICE_AMOUNT = Decimal("9999999999.99")


def _clean_text(value: str, *, max_length: int, code: str, message: str) -> str:
    text = value.strip()
    if not text or len(text) > max_length:
        raise ValidationFailed(message, code=code)
    return text


def _validated(
    *,
    seller: Seller,
    name_ru: str,
    name_en: str,
    carrier: str,
    price: Money,
    transit_days_min: int,
    transit_days_max: int,
) -> dict[str, object]:
    """The model fields of a delivery option, or ValidationFailed with a stable code."""
    if price.currency != seller.currency:
        raise ValidationFailed(
            _("Delivery is priced in the seller's currency"), code="currency_mismatch"
        )
    if price.amount < 0:
        raise ValidationFailed(_("Delivery price cannot be negative"), code="price_negative")
    if price.amount > MAX_PRICE_AMOUNT:
        raise ValidationFailed(_("This delivery price is too large"), code="price_too_large")
    exponent = price.amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MINOR_UNITS[price.currency]:
        raise ValidationFailed(
            _("Too many decimal places in the delivery price"), code="price_precision"
        )
    if not 0 <= transit_days_min <= transit_days_max <= MAX_TRANSIT_DAYS:
        raise ValidationFailed(
            _("Transit days must be a range within 0-120"), code="invalid_transit"
        )
    name_message = _("A delivery option needs a name in Russian and English, up to 120 characters")
    return {
        "name_ru": _clean_text(
            name_ru, max_length=NAME_MAX_LENGTH, code="name_ru_invalid", message=name_message
        ),
        "name_en": _clean_text(
            name_en, max_length=NAME_MAX_LENGTH, code="name_en_invalid", message=name_message
        ),
        "carrier": _clean_text(
            carrier,
            max_length=CARRIER_MAX_LENGTH,
            code="carrier_invalid",
            message=_("Name the carrier, up to 80 characters"),
        ),
        "price_amount": price.amount,
        "currency": price.currency,
        "transit_days_min": transit_days_min,
        "transit_days_max": transit_days_max,
    }


@transaction.atomic
def create_shipping_method(
    *,
    seller: Seller,
    name_ru: str,
    name_en: str,
    carrier: str,
    price: Money,
    transit_days_min: int,
    transit_days_max: int,
    position: int = 0,
) -> ShippingMethod:
    fields = _validated(
        seller=seller,
        name_ru=name_ru,
        name_en=name_en,
        carrier=carrier,
        price=price,
        transit_days_min=transit_days_min,
        transit_days_max=transit_days_max,
    )
    method = ShippingMethod.objects.create(seller=seller, position=position, **fields)
    mirror_flat_method(method)
    publish(ShippingMethodsChanged(seller_id=seller.id))
    return method


@transaction.atomic
def update_shipping_method(
    *,
    seller: Seller,
    method_id: int,
    name_ru: str,
    name_en: str,
    carrier: str,
    price: Money,
    transit_days_min: int,
    transit_days_max: int,
) -> ShippingMethod:
    """Edit one of the seller's own delivery options; another seller's is NotFound."""
    method = get_seller_method(seller=seller, id=method_id, for_update=True)
    fields = _validated(
        seller=seller,
        name_ru=name_ru,
        name_en=name_en,
        carrier=carrier,
        price=price,
        transit_days_min=transit_days_min,
        transit_days_max=transit_days_max,
    )
    for name, value in fields.items():
        setattr(method, name, value)
    method.save(update_fields=[*fields])
    mirror_flat_method(method)
    publish(ShippingMethodsChanged(seller_id=seller.id))
    return method


@transaction.atomic
def set_shipping_method_active(
    *, seller: Seller, method_id: int, is_active: bool
) -> ShippingMethod:
    """Offer or withdraw one of the seller's own delivery options."""
    method = get_seller_method(seller=seller, id=method_id, for_update=True)
    if method.is_active != is_active:
        method.is_active = is_active
        method.save(update_fields=["is_active"])
        mirror_flat_method(method)
        publish(ShippingMethodsChanged(seller_id=seller.id))
    return method


@transaction.atomic
def announce_shipping_edited(*, seller_ids: Iterable[int]) -> None:
    """Delivery options the operator edited in the admin, past the services above: the
    sellers' products are summarised and projected again, as after the seller's own edit."""
    for seller_id in sorted(set(seller_ids)):
        publish(ShippingMethodsChanged(seller_id=seller_id))
