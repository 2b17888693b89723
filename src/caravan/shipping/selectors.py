"""Reads of the flat delivery methods (the old portal page; the buyer side reads profiles
through shipping.quotes, ADR 0012) and the dashboard's "has delivery" check."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound
from caravan.sellers.models import Seller

from .models import ProfileMethod, ShippingMethod


@dataclass(frozen=True)
class DeliveryPromise:
    days_min: int
    days_max: int


def delivery_promise(*, handling_days: int, method: ShippingMethod) -> DeliveryPromise:
    return DeliveryPromise(
        days_min=handling_days + method.transit_days_min,
        days_max=handling_days + method.transit_days_max,
    )


def list_seller_methods(*, seller: Seller) -> list[ShippingMethod]:
    """All of one seller's delivery options, active or not, in the seller's own order."""
    return list(ShippingMethod.objects.filter(seller=seller).order_by("position", "id"))


def get_seller_method(*, seller: Seller, id: int, for_update: bool = False) -> ShippingMethod:
    """One of the seller's delivery options; another seller's looks like one that is missing."""
    methods = ShippingMethod.objects.filter(seller=seller)
    if for_update:
        methods = methods.select_for_update()
    method = methods.filter(id=id).first()
    if method is None:
        raise NotFound(_("Delivery option not found"))
    return method


def seller_has_active_method(*, seller: Seller) -> bool:
    """Whether the seller's default profile offers any method (the dashboard's checklist)."""
    return ProfileMethod.objects.filter(
        profile__seller=seller, profile__is_default=True, is_active=True
    ).exists()
