from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import add_member

from caravan.parcels.models import Parcel, TrackingEvent
from caravan.parcels.services import ingest_carrier_events

from .helpers import carrier_event, owner_of, paid_order, seller_order_of, ship

pytestmark = pytest.mark.django_db


def test_the_ship_page_records_a_parcel_with_the_chosen_quantities(client, market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)
    line = seller_order.lines.get()
    client.force_login(owner_of(market.seller_ru))
    url = reverse("seller_portal:order_ship", args=[seller_order.public_id])

    page = client.get(url)
    response = client.post(
        url, {"carrier": "cdek", "tracking_number": "1234567890", f"line_{line.id}": "1"}
    )

    assert page.status_code == 200
    assert b'data-testid="parcel-form"' in page.content
    assert response.status_code == 302
    assert response["Location"] == url
    parcel = Parcel.objects.get()
    assert (parcel.carrier, parcel.tracking_number) == ("cdek", "1234567890")
    assert list(parcel.lines.values_list("quantity", flat=True)) == [1]


def test_the_ship_page_refuses_more_than_is_left(client, market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)
    line = seller_order.lines.get()
    client.force_login(owner_of(market.seller_ru))
    url = reverse("seller_portal:order_ship", args=[seller_order.public_id])

    response = client.post(
        url, {"carrier": "cdek", "tracking_number": "1234567890", f"line_{line.id}": "3"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors[f"line_{line.id}"] == [
        "Ensure this value is less than or equal to 2."
    ]
    assert Parcel.objects.count() == 0


def test_the_quick_form_ships_everything_in_one_parcel(client, market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)
    client.force_login(owner_of(market.seller_ru))

    response = client.post(
        reverse("seller_portal:order", args=[seller_order.public_id]),
        {"carrier": "CDEK", "tracking_number": "1234567890"},
    )

    assert response.status_code == 302
    parcel = Parcel.objects.get()
    seller_order.refresh_from_db()
    assert (parcel.carrier, list(parcel.lines.values_list("quantity", flat=True))) == (
        "cdek",
        [2],
    )
    assert (seller_order.status, seller_order.carrier) == ("shipped", "CDEK")


def test_a_carrier_without_a_code_keeps_the_name_the_seller_gave(client, market):
    order = paid_order(market, quantity_ru=1)
    seller_order = seller_order_of(order, market.seller_ru)
    client.force_login(owner_of(market.seller_ru))

    client.post(
        reverse("seller_portal:order", args=[seller_order.public_id]),
        {"carrier": "Cainiao", "tracking_number": "LP00920388417265"},
    )
    client.force_login(market.buyer)
    page = client.get(reverse("storefront:order", args=[order.number]))

    parcel = Parcel.objects.get()
    seller_order.refresh_from_db()
    assert (parcel.carrier, parcel.carrier_label, seller_order.carrier) == (
        "other",
        "Cainiao",
        "Cainiao",
    )
    assert "Tracking: Cainiao <strong>LP00920388417265</strong>" in page.content.decode()


def test_another_seller_can_neither_see_nor_ship_nor_track_the_parcels(client, market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=2), market.seller_ru)
    parcel = ship(seller_order, quantity=1)
    line = seller_order.lines.get()
    client.force_login(owner_of(market.seller_cn))

    ship_page = client.get(reverse("seller_portal:order_ship", args=[seller_order.public_id]))
    shipped = client.post(
        reverse("seller_portal:order_ship", args=[seller_order.public_id]),
        {"carrier": "cdek", "tracking_number": "999", f"line_{line.id}": "1"},
    )
    event = client.post(
        reverse("seller_portal:parcel_event", args=[seller_order.public_id, parcel.id]),
        {f"parcel-{parcel.id}-status": "in_transit", f"parcel-{parcel.id}-occurred_at": ""},
    )

    assert (ship_page.status_code, shipped.status_code, event.status_code) == (404, 404, 404)
    assert Parcel.objects.count() == 1
    assert TrackingEvent.objects.count() == 0


def test_a_viewer_without_the_ship_permission_cannot_record_a_parcel(client, market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=1), market.seller_ru)
    line = seller_order.lines.get()
    client.force_login(add_member(seller=market.seller_ru, role="catalog"))

    response = client.post(
        reverse("seller_portal:order_ship", args=[seller_order.public_id]),
        {"carrier": "cdek", "tracking_number": "999", f"line_{line.id}": "1"},
    )

    assert response.status_code == 403
    assert Parcel.objects.count() == 0


def test_the_seller_adds_an_event_to_the_timeline(client, market):
    seller_order = seller_order_of(paid_order(market, quantity_ru=1), market.seller_ru)
    parcel = ship(seller_order, carrier="other")
    client.force_login(owner_of(market.seller_ru))
    moment = timezone.localtime().replace(second=0, microsecond=0)
    prefix = f"parcel-{parcel.id}"

    response = client.post(
        reverse("seller_portal:parcel_event", args=[seller_order.public_id, parcel.id]),
        {
            f"{prefix}-status": "in_transit",
            f"{prefix}-occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
            f"{prefix}-location": "Moscow sorting centre",
            f"{prefix}-description": "",
        },
    )
    detail = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))

    assert response.status_code == 302
    event = TrackingEvent.objects.get()
    assert (event.status, event.occurred_at, event.location, event.source) == (
        "in_transit",
        moment,
        "Moscow sorting centre",
        "seller",
    )
    assert b"Moscow sorting centre" in detail.content


def test_the_buyer_sees_each_parcels_timeline_on_the_order_page(client, market):
    order = paid_order(market, quantity_ru=2)
    seller_order = seller_order_of(order, market.seller_ru)
    first = ship(seller_order, quantity=1, tracking="RA000000001RU")
    ship(seller_order, quantity=1, tracking="RA000000002RU")
    moment = timezone.now()
    ingest_carrier_events(
        parcel_id=first.id,
        events=[
            carrier_event("accepted", moment - timedelta(hours=5)),
            carrier_event("in_transit", moment - timedelta(hours=2)),
        ],
        source="sandbox",
    )
    client.force_login(market.buyer)

    response = client.get(reverse("storefront:order", args=[order.number]))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-testid="parcel"') == 2
    assert content.count('data-testid="timeline-event"') == 2
    assert content.count('data-testid="timeline-empty"') == 1
    assert "RA000000001RU" in content and "RA000000002RU" in content
    assert content.index("Accepted by the carrier") < content.index("In transit")


def test_another_buyer_cannot_see_the_parcels(client, market):
    order = paid_order(market, quantity_ru=1)
    ship(seller_order_of(order, market.seller_ru), tracking="RA000000001RU")
    client.force_login(add_member(seller=market.seller_cn, role="owner"))

    response = client.get(reverse("storefront:order", args=[order.number]))

    assert response.status_code == 404
    assert b"RA000000001RU" not in response.content
