"""POST /api/v1/checkout: one order per Idempotency-Key, one charge in the buyer currency."""

import pytest
from tests.factories import build_market, fill_cart, make_buyer

from caravan.orders.models import Order
from caravan.payments.models import Payment, SandboxSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return build_market()


def _post(client, body, key="key-1"):  # type: ignore[no-untyped-def]
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post("/api/v1/checkout", body, content_type="application/json", headers=headers)


def test_a_checkout_places_one_order_charged_once_in_roubles(client, market):
    # given a buyer with a RUB and a CNY line in the cart
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 1)])
    client.force_login(market.buyer)

    # when they check out through the API
    response = _post(client, {"address_id": market.address.id, "currency": "RUB"})

    # then one order and one payment for 7520.32 RUB, with the hosted page to pay on
    assert response.status_code == 200
    body = response.json()
    assert body["amount"] == {"amount": "7520.32", "currency": "RUB"}
    assert body["redirect_url"].startswith("/sandbox/pay/sbx_")
    assert body["replayed"] is False
    assert Order.objects.get().number == body["order"]


def test_the_same_key_and_body_replay_the_first_answer(client, market):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    client.force_login(market.buyer)
    first = _post(client, {"address_id": market.address.id, "currency": "RUB"}).json()

    second = _post(client, {"address_id": market.address.id, "currency": "RUB"})

    assert second.status_code == 200
    assert second.json() == {**first, "replayed": True}
    assert (Order.objects.count(), Payment.objects.count(), SandboxSession.objects.count()) == (
        1,
        1,
        1,
    )


def test_the_same_key_with_another_body_is_refused(client, market):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    client.force_login(market.buyer)
    _post(client, {"address_id": market.address.id, "currency": "RUB"})

    response = _post(client, {"address_id": market.address.id, "currency": "EUR"})

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_conflict"
    assert Order.objects.count() == 1


def test_a_checkout_without_a_key_is_refused_and_places_nothing(client, market):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    client.force_login(market.buyer)

    response = _post(client, {"address_id": market.address.id, "currency": "RUB"}, key=None)

    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert Order.objects.count() == 0


def test_an_unsupported_currency_is_refused(client, market):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    client.force_login(market.buyer)

    response = _post(client, {"address_id": market.address.id, "currency": "GBP"})

    assert response.status_code == 400
    assert response.json()["code"] == "currency_unsupported"
    assert Order.objects.count() == 0


def test_checkout_needs_a_signed_in_buyer(client, market):
    response = _post(client, {"address_id": market.address.id, "currency": "RUB"})

    assert response.status_code == 401


def _declined_order(client, market):  # type: ignore[no-untyped-def]
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    client.force_login(market.buyer)
    body = _post(client, {"address_id": market.address.id, "currency": "RUB"}).json()
    client.post(body["redirect_url"], {"decision": "decline"})
    return Order.objects.get(number=body["order"]), body


def test_paying_a_declined_order_again_opens_one_new_attempt(client, market):
    order, first = _declined_order(client, market)

    response = client.post(f"/api/v1/orders/{order.number}/pay")
    again = client.post(f"/api/v1/orders/{order.number}/pay")

    assert response.status_code == again.status_code == 200
    body = response.json()
    second = Payment.objects.get(order=order, status="pending")
    assert body == {
        "order": order.number,
        "payment": second.public_id,
        "amount": first["amount"],
        "redirect_url": f"/sandbox/pay/{second.provider_reference}/",
    }
    assert again.json() == body
    assert body["payment"] != first["payment"]
    assert client.get(f"/api/v1/orders/{order.number}").json()["status"] == "pending_payment"


def test_a_paid_order_cannot_be_paid_through_the_api(client, market):
    order, _first = _declined_order(client, market)
    redirect_url = client.post(f"/api/v1/orders/{order.number}/pay").json()["redirect_url"]
    client.post(redirect_url, {"decision": "approve"})

    response = client.post(f"/api/v1/orders/{order.number}/pay")

    assert response.status_code == 400
    assert response.json()["code"] == "order_not_payable"
    assert Payment.objects.filter(order=order).count() == 2


def test_another_buyers_order_is_not_found_for_paying(client, market):
    order, _first = _declined_order(client, market)
    stranger, _address = make_buyer(email="stranger@example.com")
    client.force_login(stranger)

    response = client.post(f"/api/v1/orders/{order.number}/pay")

    assert response.status_code == 404
    assert Payment.objects.filter(order=order).count() == 1
