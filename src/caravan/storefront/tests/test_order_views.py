"""Order history and detail: payment states, paying again, tracking, confirming delivery."""

from datetime import timedelta

import pytest
from tests.factories import make_buyer, move_clock, place_market_order

from caravan.orders.models import Order, SellerOrder
from caravan.orders.services import mark_order_paid, ship_seller_order
from caravan.payments.models import Payment
from caravan.payments.sandbox import resolve_session
from caravan.payments.services import start_payment
from caravan.sellers.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(market):
    return place_market_order(market)


@pytest.fixture
def buyer_client(market, signed_in):
    return signed_in(market.buyer)


def paid(order):
    mark_order_paid(order_id=order.id)
    return Order.objects.get(id=order.id)


def test_order_history_lists_the_buyers_orders_with_totals(buyer_client, order):
    response = buyer_client.get("/orders/")

    summaries = response.context["summaries"]
    assert [summary.order.number for summary in summaries] == [order.number]
    assert str(summaries[0].totals) == "175 CN¥ + 5,300 ₽"
    page = response.content.decode()
    assert 'data-testid="order-status">awaiting payment' in page
    assert f'href="/orders/{order.number}/"' in page


def test_another_buyers_order_is_404_everywhere_and_unchanged(order, signed_in):
    stranger, _address = make_buyer(email="stranger@example.com")
    browser = signed_in(stranger)
    seller_order = order.seller_orders.first()

    assert browser.get(f"/orders/{order.number}/").status_code == 404
    assert browser.get(f"/orders/{order.number}/payment-status/").status_code == 404
    assert browser.post(f"/orders/{order.number}/pay/").status_code == 404
    assert (
        browser.post(f"/orders/{order.number}/confirm/{seller_order.public_id}/").status_code == 404
    )
    assert browser.get("/orders/").context["summaries"] == []
    assert Payment.objects.count() == 0
    assert Order.objects.get(id=order.id).status == "pending_payment"


def test_orders_need_sign_in(client, order):
    assert client.get(f"/orders/{order.number}/")["Location"] == (
        f"/account/login/?next=/orders/{order.number}/"
    )


def test_a_pending_order_offers_to_pay_now(buyer_client, order):
    response = buyer_client.get(f"/orders/{order.number}/")

    assert response.context["payment_state"] == "awaiting"
    assert 'data-testid="pay-now"' in response.content.decode()


def test_pay_now_opens_a_new_payment_session(buyer_client, order):
    response = buyer_client.post(f"/orders/{order.number}/pay/")

    assert response["Location"].startswith("/sandbox/pay/sbx_")
    assert sorted(Payment.objects.values_list("currency", "status")) == [
        ("CNY", "pending"),
        ("RUB", "pending"),
    ]


def test_pay_now_after_the_deadline_is_refused(buyer_client, order, monkeypatch):
    move_clock(monkeypatch, by=timedelta(hours=2))

    response = buyer_client.post(f"/orders/{order.number}/pay/", follow=True)

    assert "This order can no longer be paid." in response.content.decode()
    assert response.context["payment_state"] == "overdue"
    assert Payment.objects.count() == 0


def test_returning_before_the_webhook_polls_until_the_payment_settles(buyer_client, order):
    session = start_payment(order=order, return_url=f"/orders/{order.number}/?from=payment")

    waiting = buyer_client.get(f"/orders/{order.number}/", {"from": "payment"})
    poll = buyer_client.get(
        f"/orders/{order.number}/payment-status/", {"from": "payment"}, HTTP_HX_REQUEST="true"
    )
    resolve_session(reference=session.reference, approved=True)
    settled = buyer_client.get(
        f"/orders/{order.number}/payment-status/", {"from": "payment"}, HTTP_HX_REQUEST="true"
    )

    assert waiting.context["payment_state"] == "processing"
    page = waiting.content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'data-testid="pay-now"' not in page
    assert poll.templates[0].name == "storefront/_payment_status.html"
    assert 'data-testid="payment-processing"' in poll.content.decode()
    assert settled["HX-Refresh"] == "true"
    assert Order.objects.get(id=order.id).status == "paid"


def test_shipped_parcels_show_tracking_and_can_be_confirmed(buyer_client, order, market):
    paid(order)
    owner = Membership.objects.get(seller=market.seller_ru).user
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    ship_seller_order(
        seller=market.seller_ru,
        seller_order_public_id=seller_order.public_id,
        carrier="Russian Post",
        tracking_number="RA123456789RU",
        actor=owner,
    )

    page = buyer_client.get(f"/orders/{order.number}/").content.decode()
    response = buyer_client.post(
        f"/orders/{order.number}/confirm/{seller_order.public_id}/", follow=True
    )

    assert "Russian Post RA123456789RU" in page
    assert page.count('data-testid="confirm-delivery"') == 1
    assert "Thank you! Delivery confirmed." in response.content.decode()
    assert SellerOrder.objects.get(id=seller_order.id).status == "delivered"
    assert Order.objects.get(id=order.id).status == "paid"  # the other parcel is on its way


def test_confirming_a_parcel_that_is_not_shipped_changes_nothing(buyer_client, order, market):
    paid(order)
    seller_order = order.seller_orders.get(seller=market.seller_cn)

    response = buyer_client.post(
        f"/orders/{order.number}/confirm/{seller_order.public_id}/", follow=True
    )

    assert "This order cannot do that in its current state." in response.content.decode()
    assert SellerOrder.objects.get(id=seller_order.id).status == "awaiting_shipment"


def test_an_order_cancelled_for_not_paying_says_so(buyer_client, order, monkeypatch):
    from caravan.payments.services import expire_unpaid_orders

    start_payment(order=order, return_url="/")
    move_clock(monkeypatch, by=timedelta(hours=2))
    expire_unpaid_orders()

    response = buyer_client.get(f"/orders/{order.number}/")

    assert response.context["payment_state"] == "expired"
    assert "Not paid in time: the order is cancelled." in response.content.decode()
