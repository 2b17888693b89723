from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.sellers.models import Seller

from .models import ShippingMethod


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
    if price.currency != seller.currency:
        raise ValidationFailed(
            _("Delivery is priced in the seller's currency"), code="currency_mismatch"
        )
    if price.amount < 0:
        raise ValidationFailed(_("Delivery price cannot be negative"), code="price_negative")
    if not 0 <= transit_days_min <= transit_days_max <= 120:
        raise ValidationFailed(
            _("Transit days must be a range within 0-120"), code="invalid_transit"
        )
    return ShippingMethod.objects.create(
        seller=seller,
        name_ru=name_ru,
        name_en=name_en,
        carrier=carrier,
        price_amount=price.amount,
        currency=price.currency,
        transit_days_min=transit_days_min,
        transit_days_max=transit_days_max,
        position=position,
    )
