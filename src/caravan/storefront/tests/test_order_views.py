"""Order history and detail: buyer-currency figures and the conversion note, payment states,
paying again, tracking, confirming delivery, cancelling a paid parcel and its refund."""

from datetime import timedelta

import pytest
from tests.factories import (
    check_out_cart,
    fill_cart,
    make_buyer,
    move_clock,
    pay_market_order,
    place_market_order,
)

from caravan.offers.models import Offer
from caravan.orders.models import Order, SellerOrder
from caravan.orders.services import ship_seller_order
from caravan.payments.models import Payment, Refund, SandboxSession
from caravan.payments.sandbox import resolve_session
from caravan.payments.services import expire_unpaid_orders
from caravan.sellers.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(market):
    """Placed, not paid, no payment opened yet."""
    return place_market_order(market)


@pytest.fixture
def paid_order(market, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return pay_market_order(market)


@pytest.fixture
def buyer_client(market, signed_in):
    return signed_in(market.buyer)


def ship(market, seller_order):
    owner = Membership.objects.filter(seller=seller_order.seller).first().user
    ship_seller_order(
        seller=seller_order.seller,
        seller_order_public_id=seller_order.public_id,
        carrier="Russian Post",
        tracking_number="RA123456789RU",
        actor=owner,
    )


def test_order_history_lists_the_buyers_orders_with_their_total_in_roubles(buyer_client, order):
    response = buyer_client.get("/orders/")

    summaries = response.context["summaries"]
    assert [summary.order.number for summary in summaries] == [order.number]
    page = response.content.decode()
    assert "<strong>7,520.32 ₽</strong>" in page
    assert '<span class="muted">2,220.32 ₽</span>' in page  # the CNY parcel, converted
    assert '<span class="muted">5,300 ₽</span>' in page
    assert 'data-testid="order-status">awaiting payment' in page
    assert f'href="/orders/{order.number}/"' in page


def test_the_order_page_shows_buyer_currency_figures_and_the_conversion_note(
    buyer_client, paid_order
):
    page = buyer_client.get(f"/orders/{paid_order.number}/").content.decode()

    assert '<strong data-testid="order-total">7,520.32 ₽</strong>' in page
    assert page.count('data-testid="seller-order-total"') == 2
    assert '<dd data-testid="seller-order-total">5,300 ₽</dd>' in page
    assert '<dd data-testid="seller-order-total">2,220.32 ₽</dd>' in page
    # the CNY line: what the buyer paid, and the seller's own price beside it
    assert "1,903.13 ₽ × 1" in page
    assert "≈ 150 CN¥" in page
    # only the converted parcel explains its conversion
    assert page.count('data-testid="fx-note"') == 1
    assert "The seller's price is 175 CN¥; converted at 1 CNY = 12.6875 RUB" in page


def test_another_buyers_order_is_404_everywhere_and_unchanged(paid_order, signed_in):
    stranger, _address = make_buyer(email="stranger@example.com")
    browser = signed_in(stranger)
    seller_order = paid_order.seller_orders.first()

    assert browser.get(f"/orders/{paid_order.number}/").status_code == 404
    assert browser.get(f"/orders/{paid_order.number}/payment-status/").status_code == 404
    assert browser.post(f"/orders/{paid_order.number}/pay/").status_code == 404
    assert (
        browser.post(f"/orders/{paid_order.number}/confirm/{seller_order.public_id}/").status_code
        == 404
    )
    assert (
        browser.post(f"/orders/{paid_order.number}/cancel/{seller_order.public_id}/").status_code
        == 404
    )
    assert browser.get("/orders/").context["summaries"] == []
    assert Refund.objects.count() == 0
    assert Order.objects.get(id=paid_order.id).status == "paid"
    assert SellerOrder.objects.get(id=seller_order.id).status == "awaiting_shipment"


def test_a_parcel_of_another_order_of_the_same_buyer_is_404(buyer_client, market, paid_order):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    other = check_out_cart(user=market.buyer, address=market.address, cart=cart).order
    parcel = paid_order.seller_orders.first()

    response = buyer_client.post(f"/orders/{other.number}/cancel/{parcel.public_id}/")

    assert response.status_code == 404
    assert SellerOrder.objects.get(id=parcel.id).status == "awaiting_shipment"


def test_orders_need_sign_in(client, order):
    assert client.get(f"/orders/{order.number}/")["Location"] == (
        f"/account/login/?next=/orders/{order.number}/"
    )


def test_a_pending_order_offers_to_pay_now_and_no_cancel(buyer_client, order):
    response = buyer_client.get(f"/orders/{order.number}/")

    assert response.context["payment_state"] == "awaiting"
    page = response.content.decode()
    assert 'data-testid="pay-now"' in page
    assert 'data-testid="cancel-seller-order"' not in page


def test_pay_now_opens_one_payment_and_pressing_it_again_reuses_it(buyer_client, order):
    first = buyer_client.post(f"/orders/{order.number}/pay/")
    again = buyer_client.post(f"/orders/{order.number}/pay/")

    session = SandboxSession.objects.get()
    assert first["Location"] == again["Location"] == f"/sandbox/pay/{session.reference}/"
    assert list(Payment.objects.values_list("currency", "amount", "status")) == [
        ("RUB", order.total.amount, "pending")
    ]
    assert session.money == order.total


def test_pay_now_after_the_deadline_is_refused(buyer_client, order, monkeypatch):
    move_clock(monkeypatch, by=timedelta(hours=2))

    response = buyer_client.post(f"/orders/{order.number}/pay/", follow=True)

    assert "This order can no longer be paid." in response.content.decode()
    assert response.context["payment_state"] == "overdue"
    assert Payment.objects.count() == 0


def test_returning_before_the_notification_polls_until_the_payment_settles(buyer_client, market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    number = result.order.number

    waiting = buyer_client.get(f"/orders/{number}/", {"from": "payment"})
    poll = buyer_client.get(
        f"/orders/{number}/payment-status/", {"from": "payment"}, HTTP_HX_REQUEST="true"
    )
    resolve_session(reference=result.payment.provider_reference, approved=True)
    settled = buyer_client.get(
        f"/orders/{number}/payment-status/", {"from": "payment"}, HTTP_HX_REQUEST="true"
    )

    assert waiting.context["payment_state"] == "processing"
    page = waiting.content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'data-testid="pay-now"' not in page
    assert poll.templates[0].name == "storefront/_payment_status.html"
    assert 'data-testid="payment-processing"' in poll.content.decode()
    assert settled["HX-Refresh"] == "true"
    assert Order.objects.get(id=result.order.id).status == "paid"


def test_shipped_parcels_show_tracking_and_can_be_confirmed(buyer_client, paid_order, market):
    seller_order = paid_order.seller_orders.get(seller=market.seller_ru)
    ship(market, seller_order)

    page = buyer_client.get(f"/orders/{paid_order.number}/").content.decode()
    response = buyer_client.post(
        f"/orders/{paid_order.number}/confirm/{seller_order.public_id}/", follow=True
    )

    assert "Russian Post RA123456789RU" in page
    assert page.count('data-testid="confirm-delivery"') == 1
    # the shipped parcel can no longer be cancelled; the other one still can
    assert page.count('data-testid="cancel-seller-order"') == 1
    assert "Thank you! Delivery confirmed." in response.content.decode()
    assert SellerOrder.objects.get(id=seller_order.id).status == "delivered"
    assert Order.objects.get(id=paid_order.id).status == "paid"  # the other parcel is on its way


def test_confirming_a_parcel_that_is_not_shipped_changes_nothing(buyer_client, paid_order, market):
    seller_order = paid_order.seller_orders.get(seller=market.seller_cn)

    response = buyer_client.post(
        f"/orders/{paid_order.number}/confirm/{seller_order.public_id}/", follow=True
    )

    assert "This order cannot do that in its current state." in response.content.decode()
    assert SellerOrder.objects.get(id=seller_order.id).status == "awaiting_shipment"


def test_paid_parcels_not_shipped_offer_to_cancel(buyer_client, paid_order):
    page = buyer_client.get(f"/orders/{paid_order.number}/").content.decode()

    assert page.count('data-testid="cancel-seller-order"') == 2
    assert "You get 2,220.32 ₽ back in full; the seller has not shipped yet." in page


def test_cancelling_a_paid_parcel_refunds_it_and_shows_the_refund(
    buyer_client, paid_order, market, django_capture_on_commit_callbacks
):
    seller_order = paid_order.seller_orders.get(seller=market.seller_cn)

    with django_capture_on_commit_callbacks(execute=True):
        response = buyer_client.post(
            f"/orders/{paid_order.number}/cancel/{seller_order.public_id}/",
            {"reason": "Found it cheaper"},
            follow=True,
        )

    page = response.content.decode()
    assert response.redirect_chain == [(f"/orders/{paid_order.number}/", 302)]
    assert "Cancelled. 2,220.32 ₽ is on its way back to your card." in page
    assert SellerOrder.objects.get(id=seller_order.id).status == "cancelled"
    assert Offer.objects.get(id=market.offer_cn.id).stock_quantity == 8
    refund = Refund.objects.get()
    assert (refund.status, refund.money, refund.reason) == (
        "succeeded",
        seller_order.buyer_total,
        "Found it cheaper",
    )
    assert 'data-testid="cancel-reason">Cancelled: Found it cheaper' in page
    # the provider is asked after commit: the page shown on return has it pending
    assert page.count('data-testid="refund"') == 1
    assert "Refund of 2,220.32 ₽ (pending)" in page
    later = buyer_client.get(f"/orders/{paid_order.number}/").content.decode()
    assert "Refund of 2,220.32 ₽ (succeeded)" in later
    assert page.count('data-testid="cancel-seller-order"') == 1  # the RUB parcel only
    assert Order.objects.get(id=paid_order.id).status == "paid"


def test_cancelling_a_shipped_parcel_is_refused_and_changes_nothing(
    buyer_client, paid_order, market
):
    seller_order = paid_order.seller_orders.get(seller=market.seller_cn)
    ship(market, seller_order)

    response = buyer_client.post(
        f"/orders/{paid_order.number}/cancel/{seller_order.public_id}/", follow=True
    )

    assert "Only a paid parcel that has not shipped yet can be cancelled." in (
        response.content.decode()
    )
    assert SellerOrder.objects.get(id=seller_order.id).status == "shipped"
    assert Refund.objects.count() == 0


def test_cancelling_needs_a_post(buyer_client, paid_order):
    seller_order = paid_order.seller_orders.first()

    response = buyer_client.get(f"/orders/{paid_order.number}/cancel/{seller_order.public_id}/")

    assert response.status_code == 405
    assert Refund.objects.count() == 0


def test_an_order_cancelled_for_not_paying_says_so(buyer_client, market, monkeypatch):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    order = check_out_cart(user=market.buyer, address=market.address, cart=cart).order
    move_clock(monkeypatch, by=timedelta(hours=2))
    expire_unpaid_orders()

    response = buyer_client.get(f"/orders/{order.number}/")

    assert response.context["payment_state"] == "expired"
    assert "Not paid in time: the order is cancelled." in response.content.decode()
