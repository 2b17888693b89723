"""Reads of recorded rates: the one rule for which rate is current, and their ages."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Case, F, IntegerField, OrderBy, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from caravan.kernel.clock import now
from caravan.kernel.money import MINOR_UNITS

from .freshness import is_rate_stale, rate_age
from .models import ExchangeRate

CROSS_SUFFIX = "-cross"


def _newest_first() -> list[OrderBy]:
    """Which of several rates for a pair is current: the newest day the rate is for; on the
    same day a feed's own rate before a cross rate derived through another currency; then
    the one recorded last."""
    derived = Case(
        When(source__endswith=CROSS_SUFFIX, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return [F("rate_date").desc(), derived.asc(), F("as_of").desc(), F("id").desc()]


def _newest(rates: QuerySet[ExchangeRate], *, per: Iterable[str]) -> QuerySet[ExchangeRate]:
    return rates.annotate(
        rank=Window(RowNumber(), partition_by=[F(name) for name in per], order_by=_newest_first())
    ).filter(rank=1)


def latest_rates(*, quote: str) -> dict[str, ExchangeRate]:
    """The current rate from every currency into `quote`, in one query."""
    rows = _newest(ExchangeRate.objects.filter(quote=quote), per=["base"])
    return {rate.base: rate for rate in rows}


def latest_rates_into(*, quotes: Collection[str]) -> dict[str, dict[str, ExchangeRate]]:
    """latest_rates for several quote currencies in one query: {quote: {base: rate}}."""
    table: dict[str, dict[str, ExchangeRate]] = {quote: {} for quote in quotes}
    if not table:
        return table
    for rate in _newest(ExchangeRate.objects.filter(quote__in=list(table)), per=["quote", "base"]):
        table[rate.quote][rate.base] = rate
    return table


@dataclass(frozen=True)
class RateAge:
    base: str
    quote: str
    source: str
    rate: Decimal
    rate_date: date
    as_of: datetime
    age: timedelta
    is_stale: bool


def list_rate_ages(*, at: datetime | None = None, quote: str | None = None) -> list[RateAge]:
    """The newest rate of every pair from every source, with its age: what the back office
    shows, stale ones in red. Sorted by quote, base and source."""
    moment = at or now()
    rates = (
        ExchangeRate.objects.all() if quote is None else ExchangeRate.objects.filter(quote=quote)
    )
    rows = _newest(rates, per=["base", "quote", "source"])
    return sorted(
        (
            RateAge(
                base=rate.base,
                quote=rate.quote,
                source=rate.source,
                rate=rate.rate,
                rate_date=rate.rate_date,
                as_of=rate.as_of,
                age=rate_age(rate_date=rate.rate_date, at=moment),
                is_stale=is_rate_stale(rate_date=rate.rate_date, at=moment),
            )
            for rate in rows
        ),
        key=lambda age: (age.quote, age.base, age.source),
    )


def stale_currencies(*, quote: str, at: datetime | None = None) -> list[str]:
    """Currencies whose current rate into `quote` is too old to sell at."""
    moment = at or now()
    return sorted(
        base
        for base, rate in latest_rates(quote=quote).items()
        if is_rate_stale(rate_date=rate.rate_date, at=moment)
    )


def missing_currencies(*, quote: str) -> list[str]:
    """Marketplace currencies with no rate into `quote` at all."""
    return sorted(set(MINOR_UNITS) - {quote} - set(latest_rates(quote=quote)))
