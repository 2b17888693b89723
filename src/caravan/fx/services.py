"""Conversions. Every conversion names the rate, its source and its time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money

from .models import ExchangeRate


@dataclass(frozen=True)
class Conversion:
    original: Money
    converted: Money
    rate: Decimal
    source: str
    as_of: datetime | None


def base_currency() -> str:
    return str(getattr(settings, "MARKETPLACE_CURRENCY", "RUB"))


def latest_rates(*, quote: str) -> dict[str, ExchangeRate]:
    """The newest rate from every currency into `quote`, in one query."""
    rates: dict[str, ExchangeRate] = {}
    for rate in ExchangeRate.objects.filter(quote=quote).order_by("base", "-as_of"):
        rates.setdefault(rate.base, rate)
    return rates


def convert(*, money: Money, to: str, rates: dict[str, ExchangeRate] | None = None) -> Conversion:
    if money.currency == to:
        return Conversion(money, money, Decimal(1), "identity", None)
    table = rates if rates is not None else latest_rates(quote=to)
    rate = table.get(money.currency)
    if rate is None:
        raise NotFound(f"no rate from {money.currency} to {to}", code="rate_missing")
    converted = Money(money.amount * rate.rate, to).rounded()
    return Conversion(money, converted, rate.rate, rate.source, rate.as_of)


@transaction.atomic
def record_rate(*, base: str, quote: str, rate: Decimal, source: str) -> ExchangeRate:
    return ExchangeRate.objects.create(
        base=base, quote=quote, rate=rate, source=source, as_of=now()
    )
