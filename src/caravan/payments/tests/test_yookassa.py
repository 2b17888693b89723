"""The YooKassa adapter against YooKassa's documented requests and responses (API v3)."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

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
from caravan.payments.tests.yookassa_samples import (
    API,
    CONFIRMATION_URL,
    PAYMENT_ID,
    REFUND_ID,
    SECRET_KEY,
    basic_auth,
    gateway,
    payment_json,
    refund_json,
)


@respx.mock
def test_create_payment_posts_the_documented_body_and_returns_the_redirect():
    # given
    route = respx.post(f"{API}/payments").respond(200, json=payment_json())

    # when
    hosted = gateway().create_payment(
        amount=Money("1234.5", "RUB"),
        merchant_reference="pay_8f3k2",
        description="Order C-7KQ2",
        return_url="https://shop.test/orders/C-7KQ2/",
        idempotency_key="pay_8f3k2",
    )

    # then
    assert hosted == HostedPayment(
        reference=PAYMENT_ID,
        redirect_url=CONFIRMATION_URL,
        status=ProviderStatus.PENDING,
    )
    request = route.calls.last.request
    assert request.headers["Idempotence-Key"] == "pay_8f3k2"
    assert request.headers["Authorization"] == basic_auth()
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "amount": {"value": "1234.50", "currency": "RUB"},
        "capture": True,
        "confirmation": {"type": "redirect", "return_url": "https://shop.test/orders/C-7KQ2/"},
        "description": "Order C-7KQ2",
        "metadata": {"merchant_reference": "pay_8f3k2"},
    }


@respx.mock
def test_create_payment_cuts_the_description_to_yookassas_128_characters():
    route = respx.post(f"{API}/payments").respond(200, json=payment_json())

    gateway().create_payment(
        amount=Money("10", "RUB"),
        merchant_reference="pay_1",
        description="x" * 200,
        return_url="https://shop.test/",
        idempotency_key="pay_1",
    )

    assert json.loads(route.calls.last.request.content)["description"] == "x" * 128


def test_create_payment_refuses_an_amount_finer_than_the_minor_unit_before_calling():
    with respx.mock(assert_all_called=False) as router:
        route = router.post(f"{API}/payments")
        with pytest.raises(ValueError, match="more than 2 decimals"):
            gateway().create_payment(
                amount=Money("10.005", "RUB"),
                merchant_reference="pay_1",
                description="Order",
                return_url="https://shop.test/",
                idempotency_key="pay_1",
            )
        assert route.call_count == 0


@respx.mock
def test_fetch_payment_maps_the_documented_object_exactly():
    respx.get(f"{API}/payments/{PAYMENT_ID}").respond(
        200,
        json=payment_json(
            "succeeded",
            captured_at="2026-12-06T10:20:00.000Z",
            refunded_amount={"value": "200.00", "currency": "RUB"},
        ),
    )

    payment = gateway().fetch_payment(reference=PAYMENT_ID)

    assert payment == ProviderPayment(
        reference=PAYMENT_ID,
        status=ProviderStatus.SUCCEEDED,
        amount=Money(Decimal("1234.50"), "RUB"),
        merchant_reference="pay_8f3k2",
        created_at=datetime(2026, 12, 6, 10, 15, 30, 123000, tzinfo=UTC),
        captured_at=datetime(2026, 12, 6, 10, 20, tzinfo=UTC),
        refunded=Money("200.00", "RUB"),
    )


@respx.mock
def test_capture_posts_the_amount_with_our_idempotence_key():
    route = respx.post(f"{API}/payments/{PAYMENT_ID}/capture").respond(
        200, json=payment_json("succeeded")
    )

    payment = gateway().capture(
        reference=PAYMENT_ID, amount=Money("1234.50", "RUB"), idempotency_key="capture:pay_8f3k2"
    )

    assert payment.status == ProviderStatus.SUCCEEDED
    request = route.calls.last.request
    assert request.headers["Idempotence-Key"] == "capture:pay_8f3k2"
    assert json.loads(request.content) == {"amount": {"value": "1234.50", "currency": "RUB"}}


@respx.mock
def test_cancel_posts_with_our_idempotence_key_and_maps_canceled():
    route = respx.post(f"{API}/payments/{PAYMENT_ID}/cancel").respond(
        200,
        json=payment_json(
            "canceled", cancellation_details={"party": "merchant", "reason": "canceled_by_merchant"}
        ),
    )

    payment = gateway().cancel(reference=PAYMENT_ID, idempotency_key="void:pay_8f3k2")

    assert payment.status == ProviderStatus.CANCELED
    assert route.calls.last.request.headers["Idempotence-Key"] == "void:pay_8f3k2"


@respx.mock
def test_full_refund_posts_payment_id_amount_and_reason():
    route = respx.post(f"{API}/refunds").respond(200, json=refund_json())

    refund = gateway().refund(
        payment_reference=PAYMENT_ID,
        amount=Money("1234.50", "RUB"),
        idempotency_key="refund:rf_1",
        reason="Item not delivered",
    )

    assert refund == ProviderRefund(
        reference=REFUND_ID,
        payment_reference=PAYMENT_ID,
        amount=Money("1234.50", "RUB"),
        status=RefundStatus.SUCCEEDED,
        created_at=datetime(2026, 12, 6, 11, 0, tzinfo=UTC),
    )
    request = route.calls.last.request
    assert request.headers["Idempotence-Key"] == "refund:rf_1"
    assert json.loads(request.content) == {
        "payment_id": PAYMENT_ID,
        "amount": {"value": "1234.50", "currency": "RUB"},
        "description": "Item not delivered",
    }


@respx.mock
def test_partial_refund_sends_the_part_and_maps_pending():
    route = respx.post(f"{API}/refunds").respond(
        200, json=refund_json(status="pending", value="100.00")
    )

    refund = gateway().refund(
        payment_reference=PAYMENT_ID,
        amount=Money("100", "RUB"),
        idempotency_key="refund:rf_2",
        reason="",
    )

    assert (refund.amount, refund.status) == (Money("100.00", "RUB"), RefundStatus.PENDING)
    assert json.loads(route.calls.last.request.content) == {
        "payment_id": PAYMENT_ID,
        "amount": {"value": "100.00", "currency": "RUB"},
    }


@respx.mock
def test_a_canceled_refund_maps_to_failed():
    respx.post(f"{API}/refunds").respond(200, json=refund_json(status="canceled"))

    refund = gateway().refund(
        payment_reference=PAYMENT_ID,
        amount=Money("1234.50", "RUB"),
        idempotency_key="refund:rf_3",
        reason="",
    )

    assert refund.status == RefundStatus.FAILED


@respx.mock
def test_list_payments_walks_every_page_of_one_utc_day():
    second = payment_json("succeeded", id="2d1f2a8e-000f-5000-9000-000000000002")
    route = respx.get(f"{API}/payments").mock(
        side_effect=[
            httpx.Response(
                200, json={"type": "list", "items": [payment_json()], "next_cursor": "cursor-2"}
            ),
            httpx.Response(200, json={"type": "list", "items": [second]}),
        ]
    )

    payments = gateway().list_payments(day=date(2026, 12, 6))

    assert [(payment.reference, payment.status) for payment in payments] == [
        (PAYMENT_ID, ProviderStatus.PENDING),
        ("2d1f2a8e-000f-5000-9000-000000000002", ProviderStatus.SUCCEEDED),
    ]
    queries = [parse_qs(urlsplit(str(call.request.url)).query) for call in route.calls]
    assert queries == [
        {
            "created_at.gte": ["2026-12-06T00:00:00.000Z"],
            "created_at.lt": ["2026-12-07T00:00:00.000Z"],
            "limit": ["100"],
        },
        {
            "created_at.gte": ["2026-12-06T00:00:00.000Z"],
            "created_at.lt": ["2026-12-07T00:00:00.000Z"],
            "limit": ["100"],
            "cursor": ["cursor-2"],
        },
    ]


@respx.mock
def test_list_refunds_walks_every_page():
    respx.get(f"{API}/refunds").mock(
        side_effect=[
            httpx.Response(
                200, json={"type": "list", "items": [refund_json()], "next_cursor": "c2"}
            ),
            httpx.Response(
                200,
                json={"type": "list", "items": [refund_json(refund_id="r-2", value="5.00")]},
            ),
        ]
    )

    refunds = gateway().list_refunds(day=date(2026, 12, 6))

    assert [(refund.reference, refund.amount) for refund in refunds] == [
        (REFUND_ID, Money("1234.50", "RUB")),
        ("r-2", Money("5.00", "RUB")),
    ]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            400,
            {
                "type": "error",
                "id": "ab5a11cd-13cc-4e33-af8b-75a74e18dd09",
                "code": "invalid_request",
                "description": "Idempotence key duplicated",
                "parameter": "Idempotence-Key",
            },
            "YooKassa POST /payments answered 400: invalid_request Idempotence key duplicated "
            "(parameter Idempotence-Key)",
        ),
        (
            401,
            {
                "type": "error",
                "id": "1",
                "code": "invalid_credentials",
                "description": "Basic authentication failed",
            },
            "YooKassa POST /payments answered 401: invalid_credentials Basic authentication failed",
        ),
        (
            404,
            {"type": "error", "id": "2", "code": "not_found", "description": "Not found"},
            "YooKassa POST /payments answered 404: not_found Not found",
        ),
    ],
)
def test_a_4xx_is_refused_with_yookassas_code_and_no_secret(status, body, message):
    with respx.mock:
        respx.post(f"{API}/payments").respond(status, json=body)
        with pytest.raises(ProviderRefused) as raised:
            gateway().create_payment(
                amount=Money("10", "RUB"),
                merchant_reference="pay_1",
                description="Order",
                return_url="https://shop.test/",
                idempotency_key="pay_1",
            )

    assert raised.value.message == message
    assert SECRET_KEY not in str(raised.value)


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            httpx.Response(
                500,
                json={"type": "error", "code": "internal_server_error", "description": "Try later"},
            ),
            "answered 500: internal_server_error Try later",
        ),
        (
            httpx.Response(503, text="<html>Service Unavailable</html>"),
            "answered 503: no error description",
        ),
        (
            httpx.Response(
                429, json={"type": "error", "code": "too_many_requests", "description": "Slow down"}
            ),
            "answered 429: too_many_requests Slow down",
        ),
    ],
)
def test_a_5xx_or_429_is_unavailable(response, message):
    with respx.mock:
        respx.get(f"{API}/payments/{PAYMENT_ID}").mock(return_value=response)
        with pytest.raises(ProviderUnavailable) as raised:
            gateway().fetch_payment(reference=PAYMENT_ID)

    assert raised.value.message == f"YooKassa GET /payments/{PAYMENT_ID} {message}"


@respx.mock
def test_a_timeout_is_unavailable():
    respx.post(f"{API}/refunds").mock(side_effect=httpx.ReadTimeout("read timed out"))

    with pytest.raises(ProviderUnavailable) as raised:
        gateway().refund(
            payment_reference=PAYMENT_ID,
            amount=Money("1", "RUB"),
            idempotency_key="refund:rf_4",
            reason="",
        )

    assert raised.value.message == "YooKassa POST /refunds timed out after 5 s"


@respx.mock
def test_a_connection_error_is_unavailable():
    respx.get(f"{API}/payments/{PAYMENT_ID}").mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(ProviderUnavailable) as raised:
        gateway().fetch_payment(reference=PAYMENT_ID)

    assert raised.value.message == f"YooKassa GET /payments/{PAYMENT_ID} failed: ConnectError"


@respx.mock
def test_a_200_that_is_not_json_is_unavailable():
    respx.get(f"{API}/payments/{PAYMENT_ID}").respond(200, text="<html>maintenance</html>")

    with pytest.raises(ProviderUnavailable) as raised:
        gateway().fetch_payment(reference=PAYMENT_ID)

    assert raised.value.message == (
        f"YooKassa GET /payments/{PAYMENT_ID} answered 200 with a body that is not JSON"
    )


@respx.mock
def test_a_200_in_an_unknown_currency_is_an_unexpected_answer():
    respx.get(f"{API}/payments/{PAYMENT_ID}").respond(
        200, json=payment_json(amount={"value": "10.00", "currency": "XYZ"})
    )

    with pytest.raises(ProviderUnavailable) as raised:
        gateway().fetch_payment(reference=PAYMENT_ID)

    assert (raised.value.code, raised.value.message) == (
        "provider_unexpected_answer",
        "YooKassa answered with an unexpected currency 'XYZ'",
    )


def test_the_gateway_repr_does_not_show_the_secret():
    assert SECRET_KEY not in repr(gateway())


@respx.mock
def test_no_log_line_shows_the_secret(caplog):
    respx.post(f"{API}/payments").respond(
        401, json={"type": "error", "code": "invalid_credentials", "description": "Bad key"}
    )

    with caplog.at_level("DEBUG"), pytest.raises(ProviderRefused):
        gateway().create_payment(
            amount=Money("10", "RUB"),
            merchant_reference="pay_1",
            description="Order",
            return_url="https://shop.test/",
            idempotency_key="pay_1",
        )

    assert caplog.records
    assert all(SECRET_KEY not in record.getMessage() for record in caplog.records)
    assert all(basic_auth() not in record.getMessage() for record in caplog.records)
