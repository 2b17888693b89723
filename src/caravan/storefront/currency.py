"""The buyer currency and country: which currency a visitor sees prices in, where delivery is
quoted to before an address is chosen, and a price as they see it.

Chosen in the header (views.currency), kept in the session and, for a signed-in buyer, on
the account (User.preferred_currency). Conversions use fx.quotes: the operator's margin and
the one rounding point of docs/decisions/0006-money.md, so a converted figure on a browsing
page is the unit price checkout charges.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from caravan.fx.quotes import QuoteTable, quote_table
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money
from caravan.shipping.quotes import Destination

CURRENCY_SESSION_KEY = "buyer_currency"
COUNTRY_SESSION_KEY = "buyer_country"
# One quote table per request, whoever asks first (view, template tag, page cache).
_QUOTES_ATTRIBUTE = "_caravan_quote_table"


def buyer_currency(request: HttpRequest) -> str:
    """The visitor's currency: the one chosen in this session, else the signed-in buyer's
    preferred one, else the marketplace currency. Anything no longer in BUYER_CURRENCIES
    (the setting changed) is skipped."""
    allowed = settings.BUYER_CURRENCIES
    session = getattr(request, "session", None)
    chosen = session.get(CURRENCY_SESSION_KEY) if session is not None else None
    if chosen in allowed:
        return str(chosen)
    user = getattr(request, "user", None)
    preferred = getattr(user, "preferred_currency", "") if user is not None else ""
    if preferred and user is not None and user.is_authenticated and preferred in allowed:
        return str(preferred)
    return str(settings.MARKETPLACE_CURRENCY)


def buyer_country(request: HttpRequest) -> str:
    """The visitor's country, kept like the currency: the one chosen in this session, else
    the signed-in buyer's preferred one, else the marketplace's (MARKETPLACE_COUNTRY)."""
    session = getattr(request, "session", None)
    chosen = session.get(COUNTRY_SESSION_KEY) if session is not None else None
    if chosen in COUNTRIES:
        return str(chosen)
    user = getattr(request, "user", None)
    preferred = getattr(user, "preferred_country", "") if user is not None else ""
    if preferred and user is not None and user.is_authenticated and preferred in COUNTRIES:
        return str(preferred)
    return str(settings.MARKETPLACE_COUNTRY)


def buyer_destination(request: HttpRequest) -> Destination:
    """Where the visitor's parcels go as far as is known before an address is chosen."""
    return Destination(country=buyer_country(request))


def buyer_quotes(request: HttpRequest) -> QuoteTable:
    """The quote table into the visitor's currency: one query, then kept on the request."""
    table = getattr(request, _QUOTES_ATTRIBUTE, None)
    currency = buyer_currency(request)
    if not isinstance(table, QuoteTable) or table.currency != currency:
        table = quote_table(currency=currency)
        setattr(request, _QUOTES_ATTRIBUTE, table)
    return table


def use_quotes(request: HttpRequest, table: QuoteTable) -> None:
    """Make `table` the one this request shows prices with."""
    setattr(request, _QUOTES_ATTRIBUTE, table)


@dataclass(frozen=True)
class ShownPrice:
    """A price as the buyer sees it. `buyer` is in the buyer currency, converted as checkout
    will charge it; when no rate is known it is the seller's own price (never a made-up
    rate), and `rate_missing` says so. `seller` is the seller's own figure."""

    buyer: Money
    seller: Money
    rate_missing: bool = False

    @property
    def is_converted(self) -> bool:
        return self.buyer.currency != self.seller.currency


def show_price(money: Money, *, quotes: QuoteTable) -> ShownPrice:
    try:
        converted = quotes.to_buyer(money)
    except NotFound as error:
        if error.code != "rate_missing":
            raise
        return ShownPrice(buyer=money, seller=money, rate_missing=True)
    return ShownPrice(buyer=converted, seller=money)


def show_optional_price(money: Money | None, *, quotes: QuoteTable) -> ShownPrice | None:
    return None if money is None else show_price(money, quotes=quotes)
