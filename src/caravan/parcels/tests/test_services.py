from datetime import timedelta

import pytest

from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, NotFound, ValidationFailed
from caravan.orders.models import OrderEvent, SellerOrder
from caravan.parcels.models import Parcel, ParcelLine, TrackingEvent
from caravan.parcels.selectors import tracking_numbers
from caravan.parcels.services import add_tracking_event, ingest_carrier_events, ship_parcel

from .helpers import carrier_event, owner_of, paid_order, seller_order_of, ship

pytestmark = pytest.mark.django_db


def test_a_partial_parcel_leaves_the_seller_order_awaiting_shipment(market):
    # given a paid order with two units from the Russian seller
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)

    # when one unit ships
    parcel = ship(seller_order, quantity=1, tracking="ra000000001ru")

    # then the parcel holds one unit and the seller order still waits for the other
    seller_order.refresh_from_db()
    assert (parcel.carrier, parcel.tracking_number, parcel.status) == (
        "sandbox",
        "RA000000001RU",
        "",
    )
    assert list(parcel.lines.values_list("quantity", flat=True)) == [1]
    assert seller_order.status == SellerOrder.Status.AWAITING_SHIPMENT


def test_the_parcel_that_completes_the_order_ships_the_seller_order(market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)
    ship(seller_order, quantity=1, tracking="RA000000001RU")

    ship(seller_order, quantity=1, tracking="RA000000002RU")

    seller_order.refresh_from_db()
    assert (seller_order.status, seller_order.tracking_number) == ("shipped", "RA000000002RU")
    assert seller_order.shipped_at is not None
    assert tracking_numbers(seller_order_id=seller_order.id) == [
        ("Caravan sandbox carrier", "RA000000001RU"),
        ("Caravan sandbox carrier", "RA000000002RU"),
    ]


def test_shipping_more_than_was_ordered_across_parcels_is_refused(market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)
    ship(seller_order, quantity=1, tracking="RA000000001RU")

    with pytest.raises(ValidationFailed) as refused:
        ship(seller_order, quantity=2, tracking="RA000000002RU")

    assert refused.value.code == "parcel_over_quantity"
    assert Parcel.objects.filter(seller_order=seller_order).count() == 1
    assert ParcelLine.objects.filter(parcel__seller_order=seller_order).count() == 1


def test_a_tracking_number_is_unique_per_carrier_only(market):
    order = paid_order(market, quantity_ru=2)
    seller_order = seller_order_of(order, market.seller_ru)
    ship(seller_order, quantity=1, tracking="RA000000001RU", carrier="sandbox")

    with pytest.raises(ValidationFailed) as refused:
        ship(seller_order, quantity=1, tracking="RA000000001RU", carrier="sandbox")
    other_carrier = ship(seller_order, quantity=1, tracking="RA000000001RU", carrier="cdek")

    assert refused.value.code == "tracking_taken"
    assert other_carrier.carrier == "cdek"


def test_a_seller_cannot_ship_another_sellers_order(market):
    seller_order = seller_order_of(paid_order(market), market.seller_ru)
    line = seller_order.lines.get()

    with pytest.raises(NotFound):
        ship_parcel(
            seller=market.seller_cn,
            seller_order_public_id=seller_order.public_id,
            carrier="sandbox",
            tracking_number="RA1",
            quantities={line.id: 1},
            actor=owner_of(market.seller_cn),
        )

    assert Parcel.objects.count() == 0


def test_lines_of_another_seller_order_are_refused(market):
    order = paid_order(market)
    seller_order = seller_order_of(order, market.seller_ru)
    foreign_line = seller_order_of(order, market.seller_cn).lines.get()

    with pytest.raises(ValidationFailed) as refused:
        ship_parcel(
            seller=market.seller_ru,
            seller_order_public_id=seller_order.public_id,
            carrier="sandbox",
            tracking_number="RA1",
            quantities={foreign_line.id: 1},
            actor=owner_of(market.seller_ru),
        )

    assert refused.value.code == "line_unknown"
    assert Parcel.objects.count() == 0


def test_a_shipped_seller_order_takes_no_more_parcels(market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=1), market.seller_ru)
    ship(seller_order, tracking="RA000000001RU")

    with pytest.raises(InvalidTransition):
        ship(seller_order, tracking="RA000000002RU")

    assert Parcel.objects.count() == 1


def test_reading_the_same_feed_twice_records_each_event_once(market):
    seller_order = seller_order_of(paid_order(market), market.seller_ru)
    parcel = ship(seller_order)
    moment = now()
    feed = [
        carrier_event("accepted", moment - timedelta(hours=3)),
        carrier_event("in_transit", moment - timedelta(hours=1)),
    ]

    first = ingest_carrier_events(parcel_id=parcel.id, events=feed, source="carrier")
    second = ingest_carrier_events(parcel_id=parcel.id, events=feed, source="carrier")

    parcel.refresh_from_db()
    assert [event.status for event in first] == ["accepted", "in_transit"]
    assert second == []
    assert TrackingEvent.objects.filter(parcel=parcel).count() == 2
    assert parcel.status == "in_transit"


def test_all_parcels_delivered_by_the_carrier_deliver_the_seller_order_once(
    market, django_capture_on_commit_callbacks
):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)
    first = ship(seller_order, quantity=1, tracking="RA000000001RU")
    second = ship(seller_order, quantity=1, tracking="RA000000002RU")
    moment = now()
    delivered_at = moment - timedelta(hours=2)
    events_before = OrderEvent.objects.filter(seller_order=seller_order).count()

    ingest_carrier_events(
        parcel_id=first.id, events=[carrier_event("delivered", delivered_at)], source="carrier"
    )
    seller_order.refresh_from_db()
    after_first = seller_order.status
    ingest_carrier_events(
        parcel_id=second.id, events=[carrier_event("delivered", delivered_at)], source="carrier"
    )
    ingest_carrier_events(
        parcel_id=second.id,
        events=[carrier_event("delivered", delivered_at, key="again")],
        source="carrier",
    )

    seller_order.refresh_from_db()
    assert after_first == "shipped"
    assert seller_order.status == "delivered"
    assert seller_order.delivered_at == delivered_at
    assert seller_order.protection_ends_at == delivered_at + timedelta(days=15)
    transitions = list(
        OrderEvent.objects.filter(seller_order=seller_order)
        .order_by("id")[events_before:]
        .values_list("from_status", "to_status", "actor", "note")
    )
    assert transitions == [
        ("shipped", "delivered", None, "delivered by carrier: RA000000001RU, RA000000002RU")
    ]


def test_a_sellers_own_delivered_event_does_not_deliver_the_seller_order(market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=1), market.seller_ru)
    parcel = ship(seller_order, carrier="other")

    event = add_tracking_event(
        seller=market.seller_ru,
        parcel_id=parcel.id,
        status="delivered",
        occurred_at=now(),
        location="Kazan",
        description="Left with the neighbour",
    )

    seller_order.refresh_from_db()
    parcel.refresh_from_db()
    assert (event.source, event.status, parcel.status) == ("seller", "delivered", "delivered")
    assert seller_order.status == "shipped"


def test_a_seller_cannot_add_events_to_another_sellers_parcel(market):
    parcel = ship(seller_order_of(paid_order(market), market.seller_ru))

    with pytest.raises(NotFound):
        add_tracking_event(
            seller=market.seller_cn,
            parcel_id=parcel.id,
            status="in_transit",
            occurred_at=now(),
            location="",
            description="",
        )

    assert TrackingEvent.objects.count() == 0


def test_an_event_in_the_future_is_refused(market):
    parcel = ship(seller_order_of(paid_order(market), market.seller_ru))

    with pytest.raises(ValidationFailed) as refused:
        add_tracking_event(
            seller=market.seller_ru,
            parcel_id=parcel.id,
            status="in_transit",
            occurred_at=now() + timedelta(hours=1),
            location="",
            description="",
        )

    assert refused.value.code == "event_in_future"
    assert TrackingEvent.objects.count() == 0


def test_an_unmapped_carrier_update_is_kept_and_moves_nothing(market):
    parcel = ship(seller_order_of(paid_order(market), market.seller_ru))
    moment = now()
    ingest_carrier_events(
        parcel_id=parcel.id,
        events=[carrier_event("in_transit", moment - timedelta(hours=2))],
        source="carrier",
    )

    ingest_carrier_events(
        parcel_id=parcel.id,
        events=[carrier_event("note", moment - timedelta(hours=1), key="NEW_CODE")],
        source="carrier",
    )

    parcel.refresh_from_db()
    assert parcel.status == "in_transit"
    assert list(parcel.events.values_list("status", flat=True)) == ["in_transit", "note"]
