from datetime import UTC, datetime, timedelta

import pytest

from caravan.kernel.clock import now
from caravan.parcels.carriers.base import TrackedParcel
from caravan.parcels.carriers.sandbox import SandboxCarrier
from caravan.parcels.models import Parcel, TrackingEvent
from caravan.parcels.tracking import poll_parcels

from .helpers import paid_order, seller_order_of, ship

SHIPPED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def tracked(*, cross_border):
    return TrackedParcel(
        tracking_number="SBX1",
        shipped_at=SHIPPED,
        cross_border=cross_border,
        origin="China",
        destination="Kazan",
    )


def test_the_sandbox_reports_only_the_steps_already_reached():
    carrier = SandboxCarrier(step_hours=6)

    events = carrier.fetch_events(tracked(cross_border=False), at=SHIPPED + timedelta(hours=8))

    assert [(event.status, event.occurred_at, event.location) for event in events] == [
        ("accepted", SHIPPED + timedelta(hours=1), "China"),
        ("in_transit", SHIPPED + timedelta(hours=7), "China"),
    ]


def test_a_cross_border_parcel_passes_customs_and_the_route_ends_at_delivery():
    carrier = SandboxCarrier(step_hours=6)

    events = carrier.fetch_events(tracked(cross_border=True), at=SHIPPED + timedelta(days=365))

    assert [event.status for event in events] == [
        "accepted",
        "in_transit",
        "customs",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]
    assert events[-1].occurred_at == SHIPPED + timedelta(hours=31)
    assert [event.key for event in events] == [f"step-{index}" for index in range(6)]


def test_before_its_first_scan_a_parcel_has_no_events():
    carrier = SandboxCarrier(step_hours=6)

    assert carrier.fetch_events(tracked(cross_border=True), at=SHIPPED) == []


@pytest.mark.django_db
def test_polling_moves_a_parcel_along_and_delivers_its_seller_order(market, settings):
    settings.SANDBOX_CARRIER_STEP_HOURS = 6
    seller_order = seller_order_of(paid_order(market, quantity_cn=1), market.seller_cn)
    parcel = ship(seller_order, tracking="SBX-CN-1", carrier="sandbox")
    # Shipped two days ago: the polls below are in the past, as a late worker's would be.
    shipped = now() - timedelta(days=2)
    Parcel.objects.filter(id=parcel.id).update(shipped_at=shipped)

    halfway = poll_parcels(at=shipped + timedelta(hours=14))
    seller_order.refresh_from_db()
    status_halfway = seller_order.status
    done = poll_parcels(at=shipped + timedelta(days=1, hours=8))
    again = poll_parcels(at=shipped + timedelta(days=1, hours=9))

    parcel.refresh_from_db()
    seller_order.refresh_from_db()
    assert (halfway.parcels, halfway.events, halfway.failures) == (1, 3, 0)
    assert status_halfway == "shipped"
    assert (done.parcels, done.events) == (1, 3)
    assert (again.parcels, again.events) == (0, 0)
    assert parcel.status == "delivered"
    assert set(TrackingEvent.objects.values_list("source", flat=True)) == {"sandbox"}
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 6
    assert seller_order.status == "delivered"
    assert seller_order.delivered_at == shipped + timedelta(hours=31)
