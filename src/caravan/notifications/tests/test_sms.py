"""SMS.ru's documented request (POST /sms/send, form fields api_id, to, msg, json=1) and
answers, never the network; phone numbers read into E.164."""

import httpx
import pytest
import respx

from caravan.kernel.errors import ValidationFailed
from caravan.notifications.phones import to_e164
from caravan.notifications.sms.base import SmsRejected, SmsUnavailable
from caravan.notifications.sms.registry import get_sms_gateway
from caravan.notifications.sms.sandbox import SandboxSms
from caravan.notifications.sms.smsru import SmsRuGateway

URL = "https://sms.ru/sms/send"


def gateway(**options):
    return SmsRuGateway(api_id="TEST-API-ID", base_url="https://sms.ru", timeout=5, **options)


def accepted(number="79001234567", sms_id="000000-10000000"):
    return {
        "status": "OK",
        "status_code": 100,
        "sms": {number: {"status": "OK", "status_code": 100, "sms_id": sms_id}},
        "balance": 4122.56,
    }


@respx.mock
def test_a_message_is_posted_as_sms_ru_documents_it_and_its_id_kept():
    route = respx.post(URL).mock(return_value=httpx.Response(200, json=accepted()))

    receipt = gateway(sender="Caravan").send(phone="+79001234567", text="Посылка CV-1 в пути")

    assert receipt.reference == "000000-10000000"
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert dict(httpx.QueryParams(request.content.decode())) == {
        "api_id": "TEST-API-ID",
        "to": "79001234567",
        "msg": "Посылка CV-1 в пути",
        "json": "1",
        "from": "Caravan",
    }


@respx.mock
def test_test_mode_is_asked_for_with_test_1():
    route = respx.post(URL).mock(return_value=httpx.Response(200, json=accepted()))

    gateway(test=True).send(phone="+79001234567", text="hello")

    assert dict(httpx.QueryParams(route.calls.last.request.content.decode()))["test"] == "1"


@respx.mock
def test_a_wrong_api_id_is_refused_for_good():
    respx.post(URL).mock(
        return_value=httpx.Response(
            200, json={"status": "ERROR", "status_code": 200, "status_text": "Неправильный api_id"}
        )
    )

    with pytest.raises(SmsRejected) as refused:
        gateway().send(phone="+79001234567", text="hello")

    assert refused.value.message == "SMS.ru error 200: Неправильный api_id"
    assert refused.value.retryable is False


@respx.mock
def test_a_number_the_gateway_cannot_reach_is_refused_for_good():
    respx.post(URL).mock(
        return_value=httpx.Response(
            200,
            json={
                "status": "OK",
                "status_code": 100,
                "sms": {
                    "79001234567": {
                        "status": "ERROR",
                        "status_code": 207,
                        "status_text": "На этот номер нельзя отправлять сообщения",
                    }
                },
                "balance": 10,
            },
        )
    )

    with pytest.raises(SmsRejected) as refused:
        gateway().send(phone="+79001234567", text="hello")

    assert refused.value.message == "SMS.ru error 207: На этот номер нельзя отправлять сообщения"


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"status": "ERROR", "status_code": 220, "status_text": "later"}),
        httpx.Response(200, json={"status": "ERROR", "status_code": 201, "status_text": "funds"}),
        httpx.Response(502, text="Bad Gateway"),
        httpx.Response(200, text="100\n000000-10000000"),
        httpx.Response(200, json={"status": "OK", "status_code": 100, "sms": {}}),
    ],
)
@respx.mock
def test_answers_that_may_pass_with_time_are_retryable(answer):
    respx.post(URL).mock(return_value=answer)

    with pytest.raises(SmsUnavailable) as failed:
        gateway().send(phone="+79001234567", text="hello")

    assert failed.value.retryable is True


@respx.mock
def test_a_timeout_is_retryable():
    respx.post(URL).mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(SmsUnavailable) as failed:
        gateway().send(phone="+79001234567", text="hello")

    assert failed.value.message == "SMS.ru did not answer in time"


def test_the_configured_gateway_is_the_sandbox_unless_sms_ru_is_chosen(settings):
    assert isinstance(get_sms_gateway(), SandboxSms)
    settings.SMS_GATEWAY = "smsru"
    settings.SMSRU_API_ID = "KEY"
    assert isinstance(get_sms_gateway(), SmsRuGateway)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+79001234567", "RU", "+79001234567"),
        ("8 (900) 123-45-67", "RU", "+79001234567"),
        ("9001234567", "RU", "+79001234567"),
        ("+7 900 123 45 67", "DE", "+79001234567"),
        ("030 1234567", "DE", "+49301234567"),
        ("+375 29 123-45-67", "RU", "+375291234567"),
    ],
)
def test_phone_numbers_are_read_into_e164(raw, region, expected):
    assert to_e164(raw, region=region) == expected


@pytest.mark.parametrize("raw", ["", "not a phone", "12", "+7 900 123", "+999 123456789"])
def test_what_is_not_a_phone_number_is_refused(raw):
    with pytest.raises(ValidationFailed) as refused:
        to_e164(raw, region="RU")

    assert refused.value.code == "invalid_phone"
