"""SMS.ru's HTTP API: POST /sms/send with api_id, to, msg and json=1.

The answer is JSON: a request-level "status" ("OK" or "ERROR") and "status_code", and per
number under "sms" its own status, status_code and sms_id (or status_text on an error).
Codes 100 mean accepted; the rest are errors, of which a few pass with time."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from .base import SmsReceipt, SmsRejected, SmsUnavailable

# Out of money, a daily limit, the service down, too many messages to one number: later
# the same message can go through. Every other error code will fail the same way again.
RETRYABLE_CODES = frozenset({201, 206, 220, 230, 231, 232})


class SmsRuGateway:
    name = "smsru"

    def __init__(
        self, *, api_id: str, sender: str = "", base_url: str, timeout: float, test: bool = False
    ) -> None:
        self._api_id = api_id
        self._sender = sender
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._test = test

    @classmethod
    def from_settings(cls) -> SmsRuGateway:
        return cls(
            api_id=settings.SMSRU_API_ID,
            sender=settings.SMSRU_SENDER,
            base_url=settings.SMSRU_API_URL,
            timeout=settings.SMS_HTTP_TIMEOUT_SECONDS,
            test=settings.SMSRU_TEST,
        )

    def send(self, *, phone: str, text: str) -> SmsReceipt:
        # SMS.ru takes the number as digits with the country code and no "+".
        number = phone.removeprefix("+")
        form = {"api_id": self._api_id, "to": number, "msg": text, "json": "1"}
        if self._sender:
            form["from"] = self._sender
        if self._test:
            form["test"] = "1"
        try:
            response = httpx.post(f"{self._base_url}/sms/send", data=form, timeout=self._timeout)
        except httpx.TimeoutException as error:
            raise SmsUnavailable("SMS.ru did not answer in time") from error
        except httpx.HTTPError as error:
            raise SmsUnavailable(f"SMS.ru unreachable: {type(error).__name__}") from error
        if response.status_code >= 500:
            raise SmsUnavailable(f"SMS.ru answered HTTP {response.status_code}")
        try:
            answer: Any = response.json()
        except ValueError as error:
            raise SmsUnavailable(
                f"SMS.ru answered HTTP {response.status_code} without JSON"
            ) from error
        if not isinstance(answer, dict):
            raise SmsUnavailable("SMS.ru answered something other than a JSON object")
        if answer.get("status") != "OK":
            raise _error(answer)
        result = (answer.get("sms") or {}).get(number)
        if not isinstance(result, dict):
            raise SmsUnavailable(f"SMS.ru's answer does not mention {number}")
        if result.get("status") != "OK":
            raise _error(result)
        return SmsReceipt(reference=str(result.get("sms_id", "")))


def _error(part: dict[str, Any]) -> SmsRejected | SmsUnavailable:
    code = part.get("status_code")
    text = f"SMS.ru error {code}: {part.get('status_text', '')}".strip()
    if isinstance(code, int) and code in RETRYABLE_CODES:
        return SmsUnavailable(text)
    return SmsRejected(text)
