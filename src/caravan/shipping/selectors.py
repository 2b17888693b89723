"""Delivery options and promises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound
from caravan.sellers.models import Seller

from .models import ProfileMethod, ShippingMethod


@dataclass(frozen=True)
class DeliveryPromise:
    days_min: int
    days_max: int


def list_methods_by_seller(*, seller_ids: Iterable[int]) -> dict[int, list[ShippingMethod]]:
    """Active methods of several sellers in one query, each list cheapest first."""
    methods: dict[int, list[ShippingMethod]] = {}
    for method in ShippingMethod.objects.filter(
        seller_id__in=set(seller_ids), is_active=True
    ).order_by("seller_id", "price_amount", "transit_days_max", "id"):
        methods.setdefault(method.seller_id, []).append(method)
    return methods


def delivery_promise(*, handling_days: int, method: ShippingMethod) -> DeliveryPromise:
    return DeliveryPromise(
        days_min=handling_days + method.transit_days_min,
        days_max=handling_days + method.transit_days_max,
    )


def fastest_promise(*, handling_days: int, methods: list[ShippingMethod]) -> DeliveryPromise | None:
    if not methods:
        return None
    fastest = min(methods, key=lambda method: (method.transit_days_max, method.price_amount))
    return delivery_promise(handling_days=handling_days, method=fastest)


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
