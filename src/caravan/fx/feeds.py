"""Parsers for the two published rate feeds, and the rates derived from one day of a feed.

Pure functions of the feed's bytes: no database, no network. What a feed means:

- Central Bank of Russia, ``XML_daily.asp``: windows-1251 XML, decimal comma, roubles per
  ``Nominal`` units (``<Nominal>100</Nominal><Value>15,4321</Value>`` for KZT: 0.154321 RUB
  per tenge). ``ValCurs/@Date`` (DD.MM.YYYY) is the day the rates are set for, usually the
  next business day: on Friday the bank publishes Saturday's rates, which hold until Tuesday.
- European Central Bank, ``eurofxref-daily.xml``: units of each currency per one euro, for
  the one day in ``Cube/@time`` (YYYY-MM-DD); published around 16:00 CET on TARGET days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import permutations
from typing import Literal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caravan.kernel.errors import DomainError
from caravan.kernel.money import MINOR_UNITS

# Rates are kept to ten significant digits: finer than any feed publishes, and few enough
# that SQLite (which keeps 15) stores them exactly, as PostgreSQL does.
SIGNIFICANT_DIGITS = 10
DECIMAL_PLACES = 14

ECB_NAMESPACE = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"

# The marketplace currencies each feed publishes: a feed without one of them is partial and
# is refused whole, so a day's rates never come half from one day and half from another.
# The ECB has published no rouble rate since March 2022, nor tenge or Belarusian roubles.
REQUIRED_CURRENCIES: dict[str, frozenset[str]] = {
    "cbr": frozenset(MINOR_UNITS) - {"RUB"},
    "ecb": frozenset({"USD", "GBP", "JPY", "KRW", "CNY", "TRY"}),
}

FEED_NAMES = {"cbr": gettext_lazy("Central Bank of Russia"), "ecb": gettext_lazy("ECB")}


class FeedError(DomainError):
    """A feed that cannot be used; nothing is recorded from it."""

    code = "feed_invalid"


class FeedUnavailable(FeedError):
    """The feed could not be fetched (network, timeout, an HTTP error status)."""

    code = "feed_unavailable"


@dataclass(frozen=True)
class FeedSnapshot:
    """One day of one feed, reduced to the marketplace's currencies.

    ``quotation`` says how to read ``rates``: ``base_per_unit`` (CBR: roubles for one unit
    of the currency) or ``units_per_base`` (ECB: units of the currency for one euro).
    """

    source: str
    base: str
    quotation: Literal["base_per_unit", "units_per_base"]
    rate_date: date
    rates: dict[str, Decimal]

    @property
    def currencies(self) -> list[str]:
        return sorted({self.base, *self.rates})

    def rate(self, base: str, quote: str) -> Decimal:
        """Units of `quote` for one unit of `base`, unrounded: one division of published
        figures, so a cross rate carries no rounding from an intermediate step."""
        if base == quote:
            raise ValueError("a currency has no rate into itself")
        if self.quotation == "base_per_unit":
            value_of = {self.base: Decimal(1), **self.rates}
            return value_of[base] / value_of[quote]
        units_of = {self.base: Decimal(1), **self.rates}
        return units_of[quote] / units_of[base]


@dataclass(frozen=True)
class DerivedRate:
    base: str
    quote: str
    rate: Decimal
    is_cross: bool


def round_rate(value: Decimal) -> Decimal:
    """Round half-up to SIGNIFICANT_DIGITS, and never finer than the column keeps."""
    exponent = max(value.adjusted() - SIGNIFICANT_DIGITS + 1, -DECIMAL_PLACES)
    return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def derive_rates(snapshot: FeedSnapshot) -> list[DerivedRate]:
    """Every ordered pair of the feed's currencies: the direct rates (to and from the feed's
    base) and the cross rates between the others, each rounded once."""
    return [
        DerivedRate(
            base=base,
            quote=quote,
            rate=round_rate(snapshot.rate(base, quote)),
            is_cross=snapshot.base not in (base, quote),
        )
        for base, quote in permutations(snapshot.currencies, 2)
    ]


def parse_cbr(content: bytes) -> FeedSnapshot:
    root = _parse_xml(content, feed="cbr")
    if root.tag != "ValCurs":
        raise FeedError(
            _("This is not a Central Bank of Russia daily rates file (no ValCurs element)."),
            code="feed_malformed",
        )
    rate_date = _parse_date(root.get("Date"), "%d.%m.%Y", feed="cbr")
    entries = root.findall("Valute")
    if not entries:
        raise FeedError(_("The Central Bank of Russia feed has no rates."), code="feed_empty")
    rates: dict[str, Decimal] = {}
    for entry in entries:
        currency = (entry.findtext("CharCode") or "").strip()
        if currency not in MINOR_UNITS or currency == "RUB":
            continue
        if currency in rates:
            raise FeedError(
                _("The Central Bank of Russia feed lists %(currency)s twice.")
                % {"currency": currency},
                code="feed_malformed",
            )
        nominal = _positive(entry.findtext("Nominal"), currency=currency, feed="cbr")
        value = _positive(entry.findtext("Value"), currency=currency, feed="cbr")
        rates[currency] = value / nominal
    return _complete(
        FeedSnapshot(
            source="cbr", base="RUB", quotation="base_per_unit", rate_date=rate_date, rates=rates
        )
    )


def parse_ecb(content: bytes) -> FeedSnapshot:
    root = _parse_xml(content, feed="ecb")
    days = root.findall(f"{ECB_NAMESPACE}Cube/{ECB_NAMESPACE}Cube")
    if not days or not any(len(day) for day in days):
        if root.find(f"{ECB_NAMESPACE}Cube") is None:
            raise FeedError(
                _("This is not an ECB euro reference rates file (no Cube element)."),
                code="feed_malformed",
            )
        raise FeedError(_("The ECB feed has no rates."), code="feed_empty")
    if len(days) > 1:
        raise FeedError(
            _("The ECB file holds %(count)s days; import the daily file, which holds one.")
            % {"count": len(days)},
            code="feed_malformed",
        )
    day = days[0]
    rate_date = _parse_date(day.get("time"), "%Y-%m-%d", feed="ecb")
    rates: dict[str, Decimal] = {}
    for entry in day.findall(f"{ECB_NAMESPACE}Cube"):
        currency = (entry.get("currency") or "").strip()
        if currency not in MINOR_UNITS or currency == "EUR":
            continue
        if currency in rates:
            raise FeedError(
                _("The ECB feed lists %(currency)s twice.") % {"currency": currency},
                code="feed_malformed",
            )
        rates[currency] = _positive(entry.get("rate"), currency=currency, feed="ecb")
    return _complete(
        FeedSnapshot(
            source="ecb", base="EUR", quotation="units_per_base", rate_date=rate_date, rates=rates
        )
    )


PARSERS = {"cbr": parse_cbr, "ecb": parse_ecb}


def _parse_xml(content: bytes, *, feed: str) -> Element:
    if not content.strip():
        raise FeedError(
            _("The %(feed)s feed is empty.") % {"feed": FEED_NAMES[feed]}, code="feed_empty"
        )
    try:
        return fromstring(content)
    except (ParseError, DefusedXmlException) as error:
        raise FeedError(
            _("The %(feed)s feed is not well-formed XML: %(reason)s")
            % {"feed": FEED_NAMES[feed], "reason": error},
            code="feed_malformed",
        ) from error


def _parse_date(text: str | None, pattern: str, *, feed: str) -> date:
    if not text or not text.strip():
        raise FeedError(
            _("The %(feed)s feed does not say which day its rates are for.")
            % {"feed": FEED_NAMES[feed]},
            code="feed_date_missing",
        )
    try:
        return datetime.strptime(text.strip(), pattern).date()
    except ValueError as error:
        raise FeedError(
            _("The %(feed)s feed's date %(date)s is not a date.")
            % {"feed": FEED_NAMES[feed], "date": text},
            code="feed_date_invalid",
        ) from error


def _positive(text: str | None, *, currency: str, feed: str) -> Decimal:
    """A published figure: the CBR writes a decimal comma, the ECB a point."""
    cleaned = (text or "").strip()
    if feed == "cbr":
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or value <= 0:
        raise FeedError(
            _("The %(feed)s feed's figure for %(currency)s is not a positive number: %(value)s")
            % {"feed": FEED_NAMES[feed], "currency": currency, "value": repr(text)},
            code="feed_value_invalid",
        )
    return value


def _complete(snapshot: FeedSnapshot) -> FeedSnapshot:
    missing = sorted(REQUIRED_CURRENCIES[snapshot.source] - set(snapshot.rates))
    if missing:
        raise FeedError(
            _("The %(feed)s feed for %(date)s is partial: no rate for %(missing)s.")
            % {
                "feed": FEED_NAMES[snapshot.source],
                "date": snapshot.rate_date.isoformat(),
                "missing": ", ".join(missing),
            },
            code="feed_partial",
        )
    return snapshot
