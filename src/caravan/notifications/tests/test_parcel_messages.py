from datetime import timedelta

import pytest

from caravan.kernel.clock import now
from caravan.notifications import kinds
from caravan.notifications.models import Message
from caravan.parcels.services import ingest_carrier_events
from caravan.parcels.tests.helpers import carrier_event, paid_order, seller_order_of, ship

pytestmark = pytest.mark.django_db


def only(kind, **filters):
    rows = list(Message.objects.filter(kind=kind, **filters))
    assert len(rows) == 1, rows
    return rows[0]


def test_the_shipped_message_names_every_parcels_tracking_number(
    market, django_capture_on_commit_callbacks
):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)
    ship(seller_order, quantity=1, tracking="RA000000001RU", carrier="russian_post")

    with django_capture_on_commit_callbacks(execute=True):
        ship(seller_order, quantity=1, tracking="RA000000002RU", carrier="russian_post")

    email = only(kinds.PARCEL_SHIPPED, channel=Message.Channel.EMAIL)
    text = only(kinds.PARCEL_SHIPPED, channel=Message.Channel.SMS)
    assert "Tracking numbers" in email.body_text
    assert "RA000000001RU, RA000000002RU" in email.body_text
    assert text.body_text.startswith(
        f"Caravan: parcel {seller_order.number} shipped, Russian Post RA000000001RU, RA000000002RU."
    )


def test_a_partial_parcel_sends_no_shipped_message(market, django_capture_on_commit_callbacks):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)

    with django_capture_on_commit_callbacks(execute=True):
        ship(seller_order, quantity=1)

    assert Message.objects.filter(kind=kinds.PARCEL_SHIPPED).count() == 0


def test_the_carriers_delivery_tells_the_buyer_once(market, django_capture_on_commit_callbacks):
    seller_order = seller_order_of(paid_order(market, quantity_ru=1), market.seller_ru)
    parcel = ship(seller_order)
    feed = [carrier_event("delivered", now() - timedelta(hours=1))]

    with django_capture_on_commit_callbacks(execute=True):
        ingest_carrier_events(parcel_id=parcel.id, events=feed, source="sandbox")
        ingest_carrier_events(parcel_id=parcel.id, events=feed, source="sandbox")

    message = only(kinds.PARCEL_DELIVERED)
    assert message.user == market.buyer
    assert message.subject == f"Parcel {seller_order.number} is delivered"
