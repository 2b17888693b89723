"""Delivery options and promises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import ShippingMethod


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
