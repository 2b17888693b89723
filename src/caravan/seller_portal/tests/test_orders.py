from datetime import timedelta

import pytest
from django.urls import reverse
from tests.factories import check_out_cart, deliver_event, fill_cart, move_clock

from caravan.orders.models import OrderEvent, SellerOrder

from .portal_helpers import market_seller_order, owner_of, place_paid_order, restock


def ship_snapshot(seller_order):
    row = SellerOrder.objects.get(id=seller_order.id)
    events = OrderEvent.objects.filter(seller_order=row).count()
    return (row.status, row.carrier, row.tracking_number, row.shipped_at, events)


def test_mark_shipped_moves_the_order_and_records_who_did_it(client, market):
    seller_order = market_seller_order(market)
    owner = owner_of(market.seller_ru)
    client.force_login(owner)
    url = reverse("seller_portal:order", args=[seller_order.public_id])

    response = client.post(url, {"carrier": " Russian Post ", "tracking_number": "RA123456789RU"})

    assert response.status_code == 302
    assert response["Location"] == url
    seller_order.refresh_from_db()
    assert (seller_order.status, seller_order.carrier, seller_order.tracking_number) == (
        "shipped",
        "Russian Post",
        "RA123456789RU",
    )
    event = seller_order.events.order_by("-id").first()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "awaiting_shipment",
        "shipped",
        owner,
        "RA123456789RU",
    )
    page = client.get(url)
    assert b'data-testid="ship-form"' not in page.content
    assert b"RA123456789RU" in page.content


def test_mark_shipped_without_tracking_is_refused_with_input_kept(client, market):
    seller_order = market_seller_order(market)
    client.force_login(owner_of(market.seller_ru))
    before = ship_snapshot(seller_order)

    response = client.post(
        reverse("seller_portal:order", args=[seller_order.public_id]),
        {"carrier": "Russian Post", "tracking_number": "   "},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"tracking_number": ["This field is required."]}
    assert 'value="Russian Post"' in response.content.decode()
    assert ship_snapshot(seller_order) == before


def test_shipping_twice_is_a_form_error_and_changes_nothing(client, market):
    seller_order = market_seller_order(market)
    client.force_login(owner_of(market.seller_ru))
    url = reverse("seller_portal:order", args=[seller_order.public_id])
    client.post(url, {"carrier": "Russian Post", "tracking_number": "RA111111111RU"})
    before = ship_snapshot(seller_order)

    response = client.post(url, {"carrier": "CDEK", "tracking_number": "CD222"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This order can no longer be marked shipped."
    ]
    assert 'value="CD222"' in response.content.decode()
    assert ship_snapshot(seller_order) == before


def test_an_unpaid_order_cannot_be_shipped(client, market):
    seller_order = market_seller_order(market, paid=False)
    client.force_login(owner_of(market.seller_ru))
    before = ship_snapshot(seller_order)

    page = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))
    response = client.post(
        reverse("seller_portal:order", args=[seller_order.public_id]),
        {"carrier": "Russian Post", "tracking_number": "RA123"},
    )

    assert b'data-testid="ship-form"' not in page.content
    assert response.context["form"].non_field_errors() == [
        "This order can no longer be marked shipped."
    ]
    assert ship_snapshot(seller_order) == before


def test_order_detail_shows_lines_address_delivery_totals_and_history(client, market):
    seller_order = market_seller_order(market)
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))

    html = response.content.decode()
    assert "Беспроводные наушники" in html or "Wireless Headphones" in html
    # Russia's order of lines: street, city, region, postal code; the phone dialled from abroad.
    assert (
        "<strong>Anna Smirnova</strong><br>Tverskaya 1, flat 2<br>Moscow<br>Москва<br>101000<br>"
        in html
    )
    assert '<span class="muted" data-testid="ship-to-phone">+7 900 123-45-67</span>' in html
    assert "Стандартная доставка" in html or "Standard delivery" in html
    assert response.context["seller_order"].total_amount == 2800
    assert [
        (event.from_status, event.to_status)
        for event in response.context["seller_order"].events.all()
    ] == [("", "pending_payment"), ("pending_payment", "awaiting_shipment")]
    assert 'data-testid="ship-form"' in html


def test_order_list_filters_by_state_and_counts_each_tab(client, market):
    restock(market.offer_ru, 50)
    shipped = market_seller_order(market)
    market_seller_order(market)
    market_seller_order(market, paid=False)
    owner = owner_of(market.seller_ru)
    client.force_login(owner)
    client.post(
        reverse("seller_portal:order", args=[shipped.public_id]),
        {"carrier": "Russian Post", "tracking_number": "RA1"},
    )

    response = client.get(reverse("seller_portal:orders"), {"status": "awaiting_shipment"})

    assert [row.status for row in response.context["page"].object_list] == ["awaiting_shipment"]
    assert [(value, count) for value, _label, count in response.context["tabs"]] == [
        ("", 3),
        ("pending_payment", 1),
        ("awaiting_shipment", 1),
        ("shipped", 1),
        ("delivered", 0),
        ("cancelled", 0),
    ]


def test_order_list_row_shows_item_count_total_and_overdue_ship_by(client, market, monkeypatch):
    restock(market.offer_ru, 50)
    order = place_paid_order(offer=market.offer_ru, quantity=3)
    client.force_login(owner_of(market.seller_ru))
    move_clock(monkeypatch, by=timedelta(days=5))

    response = client.get(reverse("seller_portal:orders"))

    row = response.context["page"].object_list[0]
    assert (row.number, row.item_count, row.total_amount) == (
        f"{order.number}-1",
        3,
        7800,
    )
    assert response.content.decode().count('class="is-overdue"') == 1


@pytest.mark.parametrize("order_count", [3, 10])
def test_order_list_runs_a_constant_number_of_queries(
    client, market, django_assert_max_num_queries, order_count
):
    restock(market.offer_ru, 100)
    for _ in range(order_count):
        place_paid_order(offer=market.offer_ru, quantity=2)
    client.force_login(owner_of(market.seller_ru))
    # The session's first page caches the header's cart count and seller flag.
    client.get(reverse("seller_portal:orders"))

    with django_assert_max_num_queries(8):
        response = client.get(reverse("seller_portal:orders"))

    assert len(response.context["page"].object_list) == order_count


def test_an_order_whose_payment_was_declined_is_not_to_ship(client, market):
    # given the buyer's card was declined: the order waits for another attempt
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    deliver_event(session_reference=result.payment.provider_reference, approved=False)
    seller_order = result.order.seller_orders.get()
    client.force_login(owner_of(market.seller_ru))

    dashboard = client.get(reverse("seller_portal:dashboard"))
    detail = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))

    assert seller_order.status == "pending_payment"
    assert dashboard.context["to_ship"] == []
    assert dashboard.context["overdue_count"] == 0
    assert b'data-testid="ship-form"' not in detail.content
