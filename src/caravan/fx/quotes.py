"""Quotes in the buyer's currency: the mid rate, the operator's margin on it, and the one
rounding point a converted price goes through (docs/decisions/0006-money.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import MINOR_UNITS, Money

from .freshness import is_rate_stale
from .models import ExchangeRate
from .selectors import latest_rates

BASIS_POINTS = Decimal(10000)


@dataclass(frozen=True)
class Quote:
    """How one unit of `base` is sold to a buyer paying in `quote`. `rate_date` is the day
    the source published the rate for; `as_of` when Caravan recorded it."""

    base: str
    quote: str
    mid: Decimal
    margin_bps: int
    source: str
    as_of: datetime | None
    rate_date: date | None = None

    @property
    def effective(self) -> Decimal:
        return self.mid * (1 + Decimal(self.margin_bps) / BASIS_POINTS)

    @property
    def is_identity(self) -> bool:
        return self.base == self.quote

    def is_stale(self, *, at: datetime | None = None) -> bool:
        """Too old to sell at. Measured from the day the source published the rate for
        (fx.freshness), not from when it was recorded: re-importing an old feed today
        does not make its rate fresh."""
        if self.is_identity:
            return False
        if self.rate_date is not None:
            return is_rate_stale(rate_date=self.rate_date, at=at)
        if self.as_of is None:
            return False
        age = (at or now()) - self.as_of
        return age > timedelta(hours=settings.FX_MAX_RATE_AGE_HOURS)

    def to_buyer(self, money: Money) -> Money:
        """A seller-currency price in the buyer currency, rounded to its minor unit: the
        named rounding point for unit prices and delivery charges."""
        if money.currency != self.base:
            raise ValueError(f"quote is for {self.base}, not {money.currency}")
        if self.is_identity:
            return money.rounded()
        return Money(money.amount * self.effective, self.quote).rounded()

    def at_mid(self, money: Money) -> Money:
        """The same amount at the mid rate (no margin), rounded: what the margin is
        measured against."""
        if self.is_identity:
            return money.rounded()
        return Money(money.amount * self.mid, self.quote).rounded()


def identity_quote(currency: str) -> Quote:
    return Quote(currency, currency, Decimal(1), 0, "identity", None)


class QuoteTable:
    """Every currency's quote into one buyer currency, read in one query."""

    def __init__(self, *, currency: str, quotes: dict[str, Quote]) -> None:
        self.currency = currency
        self._quotes = quotes

    def get(self, base: str) -> Quote:
        if base == self.currency:
            return identity_quote(base)
        quote = self._quotes.get(base)
        if quote is None:
            raise NotFound(
                _("No exchange rate from %(base)s to %(quote)s")
                % {"base": base, "quote": self.currency},
                code="rate_missing",
            )
        return quote

    def to_buyer(self, money: Money) -> Money:
        return self.get(money.currency).to_buyer(money)

    def require_fresh(self, base: str) -> Quote:
        """The quote for checkout: a missing or stale rate stops a cross-currency sale."""
        quote = self.get(base)
        if quote.is_stale():
            raise ValidationFailed(
                _(
                    "Prices in %(quote)s cannot be confirmed right now: the %(base)s exchange "
                    "rate is out of date. Please try again later or pay in %(base)s."
                )
                % {"base": base, "quote": self.currency},
                code="rate_stale",
            )
        return quote


def quote_table(*, currency: str, rates: Mapping[str, ExchangeRate] | None = None) -> QuoteTable:
    """The buyer's quotes into `currency`; `rates` are the latest rates into it when the
    caller already read them (fx.selectors.latest_rates_into), else one query here."""
    if currency not in MINOR_UNITS:
        raise NotFound(_("Unknown currency"), code="currency_unknown")
    margin = int(settings.FX_MARGIN_BPS)
    current = rates if rates is not None else latest_rates(quote=currency)
    quotes = {
        base: Quote(base, currency, rate.rate, margin, rate.source, rate.as_of, rate.rate_date)
        for base, rate in current.items()
    }
    return QuoteTable(currency=currency, quotes=quotes)
