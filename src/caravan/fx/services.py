"""Conversions and rates recorded by hand. Every conversion names the rate, its source and
its date. Feeds are imported by `fx.importing`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money

from .models import ExchangeRate, recording_day
from .selectors import latest_rates

__all__ = ["Conversion", "base_currency", "convert", "latest_rates", "record_rate"]


@dataclass(frozen=True)
class Conversion:
    original: Money
    converted: Money
    rate: Decimal
    source: str
    as_of: datetime | None
    rate_date: date | None = None


def base_currency() -> str:
    return str(getattr(settings, "MARKETPLACE_CURRENCY", "RUB"))


def convert(*, money: Money, to: str, rates: dict[str, ExchangeRate] | None = None) -> Conversion:
    if money.currency == to:
        return Conversion(money, money, Decimal(1), "identity", None)
    table = rates if rates is not None else latest_rates(quote=to)
    rate = table.get(money.currency)
    if rate is None:
        raise NotFound(f"no rate from {money.currency} to {to}", code="rate_missing")
    converted = Money(money.amount * rate.rate, to).rounded()
    return Conversion(money, converted, rate.rate, rate.source, rate.as_of, rate.rate_date)


@transaction.atomic
def record_rate(
    *, base: str, quote: str, rate: Decimal, source: str, rate_date: date | None = None
) -> ExchangeRate:
    """Record `source`'s rate for `rate_date` (default: today). A source has one rate per
    pair and day, so recording it again that day corrects it."""
    if base == quote or rate <= 0:
        raise ValueError(f"not a rate: 1 {base} = {rate} {quote}")
    recorded, _created = ExchangeRate.objects.update_or_create(
        base=base,
        quote=quote,
        source=source,
        rate_date=rate_date or recording_day(),
        defaults={"rate": rate, "as_of": now()},
    )
    return recorded
