"""The Stripe adapter against Stripe's documented requests and responses (Checkout Sessions
and Refunds)."""

from datetime import UTC, date, datetime

import httpx
import pytest
import respx

from caravan.kernel.money import Money
from caravan.payments.gateways.base import (
    HostedPayment,
    ProviderPayment,
    ProviderRefund,
    ProviderRefused,
    ProviderStatus,
    ProviderUnavailable,
    RefundStatus,
)
from caravan.payments.tests.stripe_samples import (
    API,
    CREATED,
    INTENT_ID,
    NOW,
    SECRET_KEY,
    SESSION_ID,
    WEBHOOK_SECRET,
    create,
    form,
    gateway,
    query,
    refund_json,
    session_json,
)


@respx.mock
def test_create_payment_posts_a_checkout_session_in_minor_units():
    # given
    route = respx.post(f"{API}/checkout/sessions").respond(200, json=session_json())

    # when
    hosted = create(Money("1234.5", "RUB"))

    # then
    assert hosted == HostedPayment(
        reference=SESSION_ID,
        redirect_url=f"https://checkout.stripe.com/c/pay/{SESSION_ID}",
        status=ProviderStatus.PENDING,
    )
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert request.headers["Idempotency-Key"] == "pay_8f3k2"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(request) == {
        "mode": "payment",
        "line_items[0][price_data][currency]": "rub",
        "line_items[0][price_data][unit_amount]": "123450",
        "line_items[0][price_data][product_data][name]": "Order C-7KQ2",
        "line_items[0][quantity]": "1",
        "success_url": "https://shop.test/orders/C-7KQ2/",
        "cancel_url": "https://shop.test/orders/C-7KQ2/",
        "client_reference_id": "pay_8f3k2",
        "metadata[merchant_reference]": "pay_8f3k2",
        "payment_intent_data[metadata][merchant_reference]": "pay_8f3k2",
    }


@respx.mock
def test_a_zero_decimal_currency_is_sent_without_a_minor_unit():
    route = respx.post(f"{API}/checkout/sessions").respond(
        200, json=session_json(amount_total=5000, currency="jpy")
    )

    create(Money("5000", "JPY"))

    assert form(route.calls.last.request)["line_items[0][price_data][unit_amount]"] == "5000"
    assert form(route.calls.last.request)["line_items[0][price_data][currency]"] == "jpy"


@respx.mock
def test_fetch_payment_maps_a_paid_session_with_its_charge():
    route = respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(
        200,
        json=session_json(
            "complete",
            "paid",
            payment_intent={
                "id": INTENT_ID,
                "object": "payment_intent",
                "latest_charge": {
                    "id": "ch_1",
                    "object": "charge",
                    "amount": 123450,
                    "amount_refunded": 20000,
                    "captured": True,
                    "created": NOW + 30,
                    "currency": "rub",
                },
            },
        ),
    )

    payment = gateway().fetch_payment(reference=SESSION_ID)

    assert payment == ProviderPayment(
        reference=SESSION_ID,
        status=ProviderStatus.SUCCEEDED,
        amount=Money("1234.50", "RUB"),
        merchant_reference="pay_8f3k2",
        created_at=CREATED,
        captured_at=datetime.fromtimestamp(NOW + 30, tz=UTC),
        refunded=Money("200.00", "RUB"),
    )
    assert query(route.calls.last.request) == {"expand[]": "payment_intent.latest_charge"}


@pytest.mark.parametrize(
    ("status", "payment_status", "expected"),
    [
        ("open", "unpaid", ProviderStatus.PENDING),
        ("complete", "unpaid", ProviderStatus.PENDING),
        ("complete", "paid", ProviderStatus.SUCCEEDED),
        ("expired", "unpaid", ProviderStatus.CANCELED),
    ],
)
def test_session_states_map_onto_provider_statuses(status, payment_status, expected):
    with respx.mock:
        respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(
            200, json=session_json(status, payment_status)
        )
        payment = gateway().fetch_payment(reference=SESSION_ID)

    assert payment.status == expected


@respx.mock
def test_a_jpy_session_amount_is_read_in_whole_yen():
    respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(
        200, json=session_json(amount_total=5000, currency="jpy")
    )

    assert gateway().fetch_payment(reference=SESSION_ID).amount == Money("5000", "JPY")


@respx.mock
def test_a_session_in_an_unknown_currency_is_an_unexpected_answer():
    respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(
        200, json=session_json(currency="xyz")
    )

    with pytest.raises(ProviderUnavailable) as raised:
        gateway().fetch_payment(reference=SESSION_ID)

    assert (raised.value.code, raised.value.message) == (
        "provider_unexpected_answer",
        "Stripe answered with an unexpected currency 'xyz'",
    )


@respx.mock
def test_capture_of_a_paid_session_returns_it_without_a_post():
    respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(
        200, json=session_json("complete", "paid")
    )

    payment = gateway().capture(
        reference=SESSION_ID, amount=Money("1234.50", "RUB"), idempotency_key="capture:1"
    )

    assert payment.status == ProviderStatus.SUCCEEDED


@respx.mock
def test_capture_of_an_unpaid_session_is_refused():
    respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(200, json=session_json())

    with pytest.raises(ProviderRefused, match="captures on payment"):
        gateway().capture(
            reference=SESSION_ID, amount=Money("1234.50", "RUB"), idempotency_key="capture:1"
        )


@respx.mock
def test_cancel_expires_the_session_with_our_idempotency_key():
    route = respx.post(f"{API}/checkout/sessions/{SESSION_ID}/expire").respond(
        200, json=session_json("expired")
    )

    payment = gateway().cancel(reference=SESSION_ID, idempotency_key="void:pay_8f3k2")

    assert payment.status == ProviderStatus.CANCELED
    assert route.calls.last.request.headers["Idempotency-Key"] == "void:pay_8f3k2"


@respx.mock
def test_full_refund_goes_to_the_sessions_payment_intent():
    respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(
        200, json=session_json("complete", "paid")
    )
    route = respx.post(f"{API}/refunds").respond(200, json=refund_json())

    refund = gateway().refund(
        payment_reference=SESSION_ID,
        amount=Money("1234.50", "RUB"),
        idempotency_key="refund:rf_1",
        reason="Item not delivered",
    )

    assert refund == ProviderRefund(
        reference="re_1",
        payment_reference=SESSION_ID,
        amount=Money("1234.50", "RUB"),
        status=RefundStatus.SUCCEEDED,
        created_at=datetime.fromtimestamp(NOW + 60, tz=UTC),
    )
    request = route.calls.last.request
    assert request.headers["Idempotency-Key"] == "refund:rf_1"
    assert form(request) == {
        "payment_intent": INTENT_ID,
        "amount": "123450",
        "metadata[checkout_session]": SESSION_ID,
        "metadata[reason]": "Item not delivered",
    }


@respx.mock
def test_partial_refund_sends_the_part_in_minor_units():
    respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(
        200, json=session_json("complete", "paid")
    )
    route = respx.post(f"{API}/refunds").respond(
        200, json=refund_json(status="pending", amount=10000)
    )

    refund = gateway().refund(
        payment_reference=SESSION_ID,
        amount=Money("100", "RUB"),
        idempotency_key="refund:rf_2",
        reason="",
    )

    assert (refund.amount, refund.status) == (Money("100.00", "RUB"), RefundStatus.PENDING)
    assert form(route.calls.last.request) == {
        "payment_intent": INTENT_ID,
        "amount": "10000",
        "metadata[checkout_session]": SESSION_ID,
    }


@respx.mock
def test_refund_of_an_unpaid_session_is_refused_without_a_post():
    respx.get(f"{API}/checkout/sessions/{SESSION_ID}").respond(200, json=session_json())
    route = respx.post(f"{API}/refunds")

    with pytest.raises(ProviderRefused, match="has no payment to refund"):
        gateway().refund(
            payment_reference=SESSION_ID,
            amount=Money("100", "RUB"),
            idempotency_key="refund:rf_3",
            reason="",
        )

    assert route.call_count == 0


@respx.mock
def test_list_payments_walks_every_page_of_one_utc_day():
    second = session_json("complete", "paid", id="cs_test_2")
    route = respx.get(f"{API}/checkout/sessions").mock(
        side_effect=[
            httpx.Response(
                200, json={"object": "list", "data": [session_json()], "has_more": True}
            ),
            httpx.Response(200, json={"object": "list", "data": [second], "has_more": False}),
        ]
    )

    payments = gateway().list_payments(day=date(2026, 12, 6))

    assert [(payment.reference, payment.status) for payment in payments] == [
        (SESSION_ID, ProviderStatus.PENDING),
        ("cs_test_2", ProviderStatus.SUCCEEDED),
    ]
    day = {
        "created[gte]": "1796515200",  # 2026-12-06 00:00 UTC
        "created[lt]": "1796601600",
        "limit": "100",
        "expand[]": "data.payment_intent.latest_charge",
    }
    assert [query(call.request) for call in route.calls] == [
        day,
        {**day, "starting_after": SESSION_ID},
    ]


@respx.mock
def test_list_refunds_walks_every_page_and_finds_a_dashboard_refunds_session():
    refunds_route = respx.get(f"{API}/refunds").mock(
        side_effect=[
            httpx.Response(200, json={"object": "list", "data": [refund_json()], "has_more": True}),
            httpx.Response(
                200,
                json={
                    "object": "list",
                    "data": [refund_json(refund_id="re_2", amount=500, metadata={})],
                    "has_more": False,
                },
            ),
        ]
    )
    lookup = respx.get(f"{API}/checkout/sessions").respond(
        200, json={"object": "list", "data": [session_json("complete", "paid")], "has_more": False}
    )

    refunds = gateway().list_refunds(day=date(2026, 12, 6))

    assert [(refund.reference, refund.payment_reference, refund.amount) for refund in refunds] == [
        ("re_1", SESSION_ID, Money("1234.50", "RUB")),
        ("re_2", SESSION_ID, Money("5.00", "RUB")),
    ]
    assert query(refunds_route.calls[1].request)["starting_after"] == "re_1"
    assert query(lookup.calls.last.request) == {"payment_intent": INTENT_ID, "limit": "1"}


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (
            400,
            {
                "type": "invalid_request_error",
                "code": "parameter_missing",
                "message": "Missing required param: line_items[0][price_data][currency].",
                "param": "line_items[0][price_data][currency]",
            },
            "answered 400: parameter_missing Missing required param: "
            "line_items[0][price_data][currency].",
        ),
        (
            401,
            {
                "type": "invalid_request_error",
                "message": "Invalid API Key provided: sk_test_****hown",
            },
            "answered 401: Invalid API Key provided: sk_test_****hown",
        ),
        (
            404,
            {
                "type": "invalid_request_error",
                "code": "resource_missing",
                "message": "No such checkout.session",
            },
            "answered 404: resource_missing No such checkout.session",
        ),
    ],
)
def test_a_4xx_is_refused_with_stripes_code_and_no_secret(status, error, message):
    with respx.mock:
        respx.post(f"{API}/checkout/sessions").respond(status, json={"error": error})
        with pytest.raises(ProviderRefused) as raised:
            create(Money("10", "RUB"))

    assert raised.value.message == f"Stripe POST /checkout/sessions {message}"
    assert SECRET_KEY not in str(raised.value)


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            httpx.Response(
                500, json={"error": {"type": "api_error", "message": "Something went wrong"}}
            ),
            "answered 500: Something went wrong",
        ),
        (httpx.Response(503, text="upstream connect error"), "answered 503: no error description"),
        (
            httpx.Response(
                429,
                json={
                    "error": {
                        "type": "invalid_request_error",
                        "code": "rate_limit",
                        "message": "Too many requests",
                    }
                },
            ),
            "answered 429: rate_limit Too many requests",
        ),
    ],
)
def test_a_5xx_or_429_is_unavailable(response, message):
    with respx.mock:
        respx.post(f"{API}/checkout/sessions").mock(return_value=response)
        with pytest.raises(ProviderUnavailable) as raised:
            create(Money("10", "RUB"))

    assert raised.value.message == f"Stripe POST /checkout/sessions {message}"


@respx.mock
def test_a_timeout_is_unavailable():
    respx.post(f"{API}/checkout/sessions").mock(side_effect=httpx.ConnectTimeout("timed out"))

    with pytest.raises(ProviderUnavailable) as raised:
        create(Money("10", "RUB"))

    assert raised.value.message == "Stripe POST /checkout/sessions timed out after 5 s"


def test_the_gateway_repr_does_not_show_the_secrets():
    text = repr(gateway())

    assert SECRET_KEY not in text
    assert WEBHOOK_SECRET not in text


@respx.mock
def test_a_provider_echoing_the_secret_key_does_not_put_it_in_the_message():
    respx.post(f"{API}/checkout/sessions").respond(
        401,
        json={
            "error": {
                "type": "invalid_request_error",
                "message": f"Invalid API Key provided: {SECRET_KEY}",
            }
        },
    )

    with pytest.raises(ProviderRefused) as raised:
        create(Money("10", "RUB"))

    assert raised.value.message == (
        "Stripe POST /checkout/sessions answered 401: Invalid API Key provided: ***"
    )
