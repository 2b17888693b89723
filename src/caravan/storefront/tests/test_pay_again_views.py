"""The order page after a declined payment: pay again, or start over with the cart back."""

import pytest
from tests.factories import fill_cart, make_buyer

from caravan.cart.models import CartLine
from caravan.offers.models import Offer
from caravan.orders.models import Order
from caravan.payments.models import Payment, SandboxSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def declined(market, signed_in):
    """The buyer checked out 2 RUB units and 1 CNY unit and pressed Decline at the sandbox."""
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 1)])
    client = signed_in(market.buyer)
    payment_page = client.post("/checkout/", {"address": str(market.address.id)})["Location"]
    client.post(payment_page, {"decision": "decline"})
    return client, Order.objects.get()


def stocks():
    return list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True))


def test_pay_again_sends_the_buyer_to_a_new_payment_page(declined):
    client, order = declined

    response = client.post(f"/orders/{order.number}/pay/")

    second = Payment.objects.get(order=order, status="pending")
    assert response.status_code == 302
    assert response["Location"] == f"/sandbox/pay/{second.provider_reference}/"
    assert list(
        Payment.objects.filter(order=order).order_by("id").values_list("status", flat=True)
    ) == [
        "failed",
        "pending",
    ]


def test_a_double_click_on_pay_again_goes_to_the_same_page(declined):
    client, order = declined

    first = client.post(f"/orders/{order.number}/pay/")
    second = client.post(f"/orders/{order.number}/pay/")

    assert first["Location"] == second["Location"]
    assert Payment.objects.filter(order=order).count() == 2
    assert SandboxSession.objects.count() == 2


def test_approving_the_second_attempt_pays_the_order(declined):
    client, order = declined
    payment_page = client.post(f"/orders/{order.number}/pay/")["Location"]

    back = client.post(payment_page, {"decision": "approve"})
    page = client.get(back["Location"])

    assert Order.objects.get(id=order.id).status == "paid"
    assert page.context["payment_state"] == "paid"
    assert "Payment received. Thank you!" in page.content.decode()
    assert 'data-testid="pay-again"' not in page.content.decode()


def test_starting_over_cancels_the_order_and_fills_the_cart_again(
    declined, market, django_capture_on_commit_callbacks
):
    client, order = declined
    assert stocks() == [3, 7]

    # the cart hears of the cancellation after its commit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/orders/{order.number}/start-over/", follow=True)

    assert response.redirect_chain == [("/cart/", 302)]
    assert Order.objects.get(id=order.id).status == "cancelled"
    assert stocks() == [5, 8]
    assert list(
        CartLine.objects.filter(cart__user=market.buyer)
        .order_by("offer_id")
        .values_list("offer_id", "quantity")
    ) == [(market.offer_ru.id, 2), (market.offer_cn.id, 1)]
    text = response.content.decode()
    assert (
        f"Order {order.number} is cancelled and nothing was charged. "
        "Its items that are still on sale are back in your cart."
    ) in text
    order_page = client.get(f"/orders/{order.number}/")
    assert order_page.context["payment_state"] == "started_over"
    assert 'data-testid="pay-again"' not in order_page.content.decode()


def test_another_buyer_can_neither_pay_nor_cancel_the_order(declined, signed_in):
    _client, order = declined
    stranger, _address = make_buyer(email="stranger@example.com")
    other = signed_in(stranger)

    assert other.post(f"/orders/{order.number}/pay/").status_code == 404
    assert other.post(f"/orders/{order.number}/start-over/").status_code == 404
    assert Order.objects.get(id=order.id).status == "pending_payment"
    assert Payment.objects.filter(order=order).count() == 1


def test_starting_over_is_a_post(declined):
    client, order = declined

    assert client.get(f"/orders/{order.number}/start-over/").status_code == 405
    assert Order.objects.get(id=order.id).status == "pending_payment"


def test_a_paid_order_cannot_be_started_over(declined):
    client, order = declined
    payment_page = client.post(f"/orders/{order.number}/pay/")["Location"]
    client.post(payment_page, {"decision": "approve"})

    response = client.post(f"/orders/{order.number}/start-over/", follow=True)

    assert response.redirect_chain == [(f"/orders/{order.number}/", 302)]
    assert "This order is paid already and cannot be cancelled here." in response.content.decode()
    assert Order.objects.get(id=order.id).status == "paid"


def test_the_cart_points_to_the_order_its_items_wait_in(declined):
    client, order = declined

    page = client.get("/cart/")

    assert page.context["payable_orders"] == [order]
    text = page.content.decode()
    assert f"Order {order.number} (7,520.32 ₽) is waiting for payment until" in text
    assert f'href="/orders/{order.number}/">Open the order to pay or cancel it</a>' in text


def test_the_cart_forgets_the_order_once_it_is_paid(declined):
    client, order = declined
    payment_page = client.post(f"/orders/{order.number}/pay/")["Location"]
    client.post(payment_page, {"decision": "approve"})

    page = client.get("/cart/")

    assert page.context["payable_orders"] == []
    assert 'data-testid="payable-order"' not in page.content.decode()
