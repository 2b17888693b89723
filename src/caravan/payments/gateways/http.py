"""HTTP plumbing the real payment adapters share: one JSON call, its errors mapped onto the
gateway's two failure kinds, and the secret kept out of every message and log line."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from caravan.kernel.money import MINOR_UNITS, Money, UnknownCurrency

from .base import ProviderRefused, ProviderUnavailable

logger = logging.getLogger("caravan.payments.gateways")

# 429 means "slow down", not "no": the same call with the same idempotency key may succeed.
RETRYABLE_CLIENT_STATUSES = frozenset({408, 429})

JsonObject = dict[str, Any]
ErrorDetail = Callable[[object], str]
UNEXPECTED_ANSWER = "provider_unexpected_answer"


class ProviderClient:
    """Calls one provider's JSON API. `error_detail` turns the provider's 4xx body into a
    short text (its error code and description) for ProviderRefused."""

    def __init__(
        self,
        *,
        provider: str,
        base_url: str,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        timeout_seconds: float,
        error_detail: ErrorDetail,
        secrets: tuple[str, ...] = (),
    ) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self._auth = auth
        self._headers = dict(headers or {})
        self._timeout = timeout_seconds
        self._error_detail = error_detail
        self._secrets = tuple(secret for secret in secrets if secret)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Mapping[str, object] | None = None,
        form: Mapping[str, str] | None = None,
        idempotency_header: str = "",
        idempotency_key: str = "",
    ) -> JsonObject:
        headers = dict(self._headers)
        if idempotency_header and idempotency_key:
            headers[idempotency_header] = idempotency_key
        what = f"{self.provider} {method} {path}"
        try:
            with httpx.Client(auth=self._auth, timeout=self._timeout) as client:
                response = client.request(
                    method,
                    f"{self.base_url}{path}",
                    params=params,
                    json=json_body,
                    data=form,
                    headers=headers,
                )
        except httpx.TimeoutException as error:
            logger.warning("%s timed out", what)
            raise ProviderUnavailable(f"{what} timed out after {self._timeout} s") from error
        except httpx.HTTPError as error:
            logger.warning("%s failed: %s", what, type(error).__name__)
            raise ProviderUnavailable(f"{what} failed: {type(error).__name__}") from error
        logger.info("%s -> %s", what, response.status_code)
        status = response.status_code
        if status >= 500 or status in RETRYABLE_CLIENT_STATUSES:
            raise ProviderUnavailable(f"{what} answered {status}: {self._describe(response)}")
        if status >= 400:
            raise ProviderRefused(f"{what} answered {status}: {self._describe(response)}")
        try:
            payload = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ProviderUnavailable(
                f"{what} answered {status} with a body that is not JSON"
            ) from error
        if not isinstance(payload, dict):
            raise ProviderUnavailable(
                f"{what} answered {status} with a JSON {type(payload).__name__}"
            )
        return payload

    def _describe(self, response: httpx.Response) -> str:
        try:
            payload = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return "no error description"
        detail = self._error_detail(payload) or "no error description"
        # A provider echoing a wrong key back must not put it into our logs and messages.
        for secret in self._secrets:
            detail = detail.replace(secret, "***")
        return detail


def unexpected(provider: str, what: str) -> ProviderUnavailable:
    """A 2xx answer without the fields its documentation promises (or in a currency Caravan
    does not know). Nothing may be recorded from it; asking again with the same idempotency
    key is safe, so it is retryable like an outage, with a code of its own."""
    return ProviderUnavailable(
        f"{provider} answered with an unexpected {what}", code=UNEXPECTED_ANSWER
    )


def text(payload: Mapping[str, Any], key: str, *, provider: str, what: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value:
        raise unexpected(provider, f"{what} (no {key})")
    return value


def decimal_money(value: object, currency: object, *, provider: str) -> Money:
    """An amount given as a decimal string ("1234.50"), as YooKassa sends it."""
    if not isinstance(value, str) or not isinstance(currency, str):
        raise unexpected(provider, "amount")
    try:
        return Money(value, currency.upper())
    except UnknownCurrency as error:
        raise unexpected(provider, f"currency {currency!r}") from error
    except ValueError as error:
        raise unexpected(provider, f"amount {value!r}") from error


def decimal_text(money: Money) -> str:
    """The amount with exactly the currency's minor digits ("1234.50", "1000" for JPY).
    An amount finer than the minor unit is a bug upstream, so it raises instead of rounding."""
    places = minor_places(money.currency)
    quantized = money.amount.quantize(Decimal(1).scaleb(-places))
    if quantized != money.amount:
        raise ValueError(f"{money.amount} {money.currency} has more than {places} decimals")
    return format(quantized, "f")


def minor_units(money: Money) -> int:
    """The amount as an integer count of the currency's minor unit (Stripe's form)."""
    places = minor_places(money.currency)
    scaled = money.amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{money.amount} {money.currency} has more than {places} decimals")
    return int(scaled)


def from_minor_units(value: object, currency: object, *, provider: str) -> Money:
    if isinstance(value, bool) or not isinstance(value, int) or not isinstance(currency, str):
        raise unexpected(provider, "amount")
    code = currency.upper()
    if code not in MINOR_UNITS:
        raise unexpected(provider, f"currency {currency!r}")
    return Money(Decimal(value).scaleb(-MINOR_UNITS[code]), code)


def minor_places(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise UnknownCurrency(f"unknown currency: {currency!r}") from None


def iso_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def unix_datetime(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return datetime.fromtimestamp(value, tz=UTC)
