"""Reads about parcels, each scoped to whoever asks: a seller reaches its own seller
orders' parcels, a buyer the parcels of their own orders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.errors import NotFound
from caravan.orders.models import OrderLine, SellerOrder
from caravan.sellers.models import Seller

from .models import Parcel, ParcelLine, TrackingEvent


@dataclass(frozen=True)
class LineToShip:
    line: OrderLine
    shipped: int

    @property
    def remaining(self) -> int:
        return self.line.quantity - self.shipped


def shipped_quantities(*, seller_order_id: int) -> dict[int, int]:
    """Quantity of each order line already put in a parcel."""
    rows = (
        ParcelLine.objects.filter(parcel__seller_order_id=seller_order_id)
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["order_line_id"]: row["total"] for row in rows}


def lines_to_ship(*, seller_order: SellerOrder) -> list[LineToShip]:
    shipped = shipped_quantities(seller_order_id=seller_order.id)
    return [
        LineToShip(line=line, shipped=shipped.get(line.id, 0))
        for line in seller_order.lines.order_by("id")
    ]


def get_seller_parcel(*, seller: Seller, parcel_id: int) -> Parcel:
    """One of the seller's parcels; another seller's is not found, not forbidden."""
    parcel = (
        Parcel.objects.select_related("seller_order__order", "seller_order__seller")
        .filter(id=parcel_id, seller_order__seller=seller)
        .first()
    )
    if parcel is None:
        raise NotFound(_("Parcel not found"), code="parcel_not_found")
    return parcel


def list_parcels(*, seller_order: SellerOrder) -> list[Parcel]:
    """A seller order's parcels with their lines and events, oldest parcel first. The
    caller has fetched the seller order through its own scoped selector."""
    return list(
        Parcel.objects.filter(seller_order=seller_order)
        .prefetch_related("lines__order_line", "events")
        .order_by("shipped_at", "id")
    )


def list_buyer_parcels(*, buyer: User, seller_order_id: int) -> list[Parcel]:
    return list(
        Parcel.objects.filter(seller_order_id=seller_order_id, seller_order__order__buyer=buyer)
        .prefetch_related("lines__order_line", "events")
        .order_by("shipped_at", "id")
    )


def tracking_numbers(*, seller_order_id: int) -> list[tuple[str, str]]:
    """(carrier label, tracking number) of each parcel, in shipping order."""
    return [
        (parcel.carrier_label, parcel.tracking_number)
        for parcel in Parcel.objects.filter(seller_order_id=seller_order_id).order_by(
            "shipped_at", "id"
        )
    ]


def parcels_to_poll(*, carriers: Iterable[str], limit: int) -> QuerySet[Parcel]:
    """Parcels a carrier adapter still has news of: not delivered or returned, least
    recently asked first."""
    return (
        Parcel.objects.filter(carrier__in=list(carriers))
        .exclude(status__in=["delivered", "returned"])
        .select_related("seller_order__order", "seller_order__seller")
        .order_by("polled_at", "id")[:limit]
    )


def timeline(parcel: Parcel) -> list[TrackingEvent]:
    """Events in the order they happened (prefetched by the list selectors)."""
    return sorted(parcel.events.all(), key=lambda event: (event.occurred_at, event.id))
