"""Parcel writes: shipping a seller order in parcels, the seller's own tracking events and
the carriers' feeds. Locks follow the house order (order, seller orders) and then the
parcel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, ValidationFailed
from caravan.orders.models import Order, SellerOrder
from caravan.orders.selectors import get_seller_order
from caravan.orders.services import (
    confirm_delivery_by_carrier,
    lock_order,
    mark_locked_seller_order_shipped,
)
from caravan.sellers.models import Seller

from .carriers.base import CarrierEvent
from .models import Carrier, Parcel, ParcelLine, TrackingEvent, TrackingStatus
from .selectors import get_seller_parcel, shipped_quantities

TRACKING_MAX_LENGTH = 64
LOCATION_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 255


def _locked(seller_order_id: int) -> tuple[Order, SellerOrder]:
    order_id = SellerOrder.objects.values_list("order_id", flat=True).get(id=seller_order_id)
    order, seller_orders = lock_order(order_id=order_id)
    seller_order = next(item for item in seller_orders if item.id == seller_order_id)
    seller_order.order = order
    return order, seller_order


@transaction.atomic
def ship_parcel(
    *,
    seller: Seller,
    seller_order_public_id: str,
    carrier: str,
    tracking_number: str,
    quantities: Mapping[int, int],
    actor: User,
    carrier_name: str = "",
) -> Parcel:
    """Hand some of a seller order's lines to a carrier as one parcel. When every ordered
    unit is in a parcel the seller order is shipped (and the buyer told, with every
    tracking number)."""
    tracking_number = tracking_number.strip().upper()
    if carrier not in Carrier.values:
        raise ValidationFailed(_("Choose a carrier from the list."), code="carrier_unknown")
    if not tracking_number or len(tracking_number) > TRACKING_MAX_LENGTH:
        raise ValidationFailed(
            _("Give the tracking number, up to 64 characters."), code="tracking_required"
        )
    seller_order = get_seller_order(seller=seller, public_id=seller_order_public_id)
    order, seller_order = _locked(seller_order.id)
    if seller_order.status != SellerOrder.Status.AWAITING_SHIPMENT:
        raise InvalidTransition(
            _("Order %(number)s is not awaiting shipment.") % {"number": seller_order.number}
        )
    ordered = {line.id: line for line in seller_order.lines.all()}
    shipped = shipped_quantities(seller_order_id=seller_order.id)
    chosen = {line_id: count for line_id, count in quantities.items() if count}
    if not chosen:
        raise ValidationFailed(_("Put at least one item in the parcel."), code="parcel_empty")
    for line_id, count in chosen.items():
        line = ordered.get(line_id)
        if line is None:
            raise ValidationFailed(_("That item is not in this order."), code="line_unknown")
        if count < 0 or count > line.quantity - shipped.get(line_id, 0):
            raise ValidationFailed(
                _("%(item)s: only %(left)s left to ship, not %(count)s.")
                % {
                    "item": line.product_name,
                    "left": line.quantity - shipped.get(line_id, 0),
                    "count": count,
                },
                code="parcel_over_quantity",
            )
    if Parcel.objects.filter(carrier=carrier, tracking_number=tracking_number).exists():
        raise ValidationFailed(
            _("Tracking number %(number)s is already used with this carrier.")
            % {"number": tracking_number},
            code="tracking_taken",
        )
    parcel = Parcel.objects.create(
        seller_order=seller_order,
        carrier=carrier,
        carrier_name=carrier_name.strip()[:80],
        tracking_number=tracking_number,
        shipped_at=now(),
    )
    ParcelLine.objects.bulk_create(
        [
            ParcelLine(parcel=parcel, order_line_id=line_id, quantity=count)
            for line_id, count in sorted(chosen.items())
        ]
    )
    everything_shipped = all(
        shipped.get(line_id, 0) + chosen.get(line_id, 0) == line.quantity
        for line_id, line in ordered.items()
    )
    if everything_shipped:
        mark_locked_seller_order_shipped(
            order=order,
            seller_order=seller_order,
            carrier=parcel.carrier_label,
            tracking_number=tracking_number,
            actor=actor,
        )
    return parcel


@transaction.atomic
def add_tracking_event(
    *,
    seller: Seller,
    parcel_id: int,
    status: str,
    occurred_at: datetime,
    location: str,
    description: str,
) -> TrackingEvent:
    """The seller's own word on a parcel (a carrier with no adapter). It is shown on the
    buyer's timeline; a seller's "delivered" does not confirm delivery (that would start
    the escrow clock on the seller's say-so): the buyer or a carrier feed does."""
    if status not in TrackingStatus.values or status == TrackingStatus.NOTE:
        raise ValidationFailed(_("Choose a status from the list."), code="status_unknown")
    if occurred_at > now():
        raise ValidationFailed(_("The event cannot be in the future."), code="event_in_future")
    location, description = location.strip(), description.strip()
    if len(location) > LOCATION_MAX_LENGTH or len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationFailed(_("Place or description is too long."), code="event_too_long")
    parcel = get_seller_parcel(seller=seller, parcel_id=parcel_id)
    _locked(parcel.seller_order_id)
    parcel = Parcel.objects.select_for_update().get(id=parcel.id)
    if occurred_at < parcel.shipped_at.replace(hour=0, minute=0, second=0, microsecond=0):
        raise ValidationFailed(
            _("The event cannot be before the parcel was shipped."), code="event_before_shipping"
        )
    key = f"seller:{status}:{occurred_at.isoformat()}:{location}"[:160]
    event, _created = TrackingEvent.objects.get_or_create(
        parcel=parcel,
        dedup_key=key,
        defaults={
            "status": status,
            "occurred_at": occurred_at,
            "location": location,
            "description": description,
            "source": TrackingEvent.Source.SELLER,
        },
    )
    _refresh_status(parcel)
    return event


@transaction.atomic
def ingest_carrier_events(
    *, parcel_id: int, events: Sequence[CarrierEvent], source: str, at: datetime | None = None
) -> list[TrackingEvent]:
    """Record what a carrier's feed says about a parcel. Reading the same feed again records
    nothing twice (each event's key); the new events are returned. When the feed makes the
    last parcel of a shipped seller order delivered, the seller order is delivered, once,
    by the same transition as the buyer's confirmation."""
    if source not in {TrackingEvent.Source.CARRIER, TrackingEvent.Source.SANDBOX}:
        raise ValueError(f"not a carrier source: {source}")
    seller_order_id = Parcel.objects.values_list("seller_order_id", flat=True).get(id=parcel_id)
    _order, seller_order = _locked(seller_order_id)
    parcel = Parcel.objects.select_for_update().get(id=parcel_id)
    known = set(parcel.events.values_list("dedup_key", flat=True))
    fresh: list[TrackingEvent] = []
    for event in events:
        key = f"{source}:{event.key}"[:160]
        if key in known:
            continue
        known.add(key)
        fresh.append(
            TrackingEvent(
                parcel=parcel,
                status=event.status,
                occurred_at=event.occurred_at,
                location=event.location[:LOCATION_MAX_LENGTH],
                description=event.description[:DESCRIPTION_MAX_LENGTH],
                source=source,
                dedup_key=key,
            )
        )
    TrackingEvent.objects.bulk_create(fresh)
    parcel.polled_at = at or now()
    parcel.save(update_fields=["polled_at"])
    _refresh_status(parcel)
    delivered = [item for item in fresh if item.status == TrackingStatus.DELIVERED]
    if delivered and seller_order.status == SellerOrder.Status.SHIPPED:
        _deliver_when_all_delivered(seller_order, at=max(item.occurred_at for item in delivered))
    return fresh


def _refresh_status(parcel: Parcel) -> None:
    latest = (
        parcel.events.exclude(status=TrackingStatus.NOTE).order_by("-occurred_at", "-id").first()
    )
    status = latest.status if latest is not None else ""
    if parcel.status != status:
        parcel.status = status
        parcel.save(update_fields=["status"])


def _deliver_when_all_delivered(seller_order: SellerOrder, *, at: datetime) -> None:
    # Only a carrier's word counts: a parcel the seller alone calls delivered keeps the
    # seller order waiting for the buyer (or the automatic confirmation).
    statuses = list(Parcel.objects.filter(seller_order=seller_order).values_list("id", "status"))
    carrier_delivered = set(
        TrackingEvent.objects.filter(
            parcel__seller_order=seller_order,
            status=TrackingStatus.DELIVERED,
            source__in=[TrackingEvent.Source.CARRIER, TrackingEvent.Source.SANDBOX],
        ).values_list("parcel_id", flat=True)
    )
    if all(
        status == TrackingStatus.DELIVERED and parcel_id in carrier_delivered
        for parcel_id, status in statuses
    ):
        numbers = ", ".join(
            Parcel.objects.filter(seller_order=seller_order).values_list(
                "tracking_number", flat=True
            )
        )
        confirm_delivery_by_carrier(
            seller_order_id=seller_order.id, at=at, note=f"delivered by carrier: {numbers}"
        )
