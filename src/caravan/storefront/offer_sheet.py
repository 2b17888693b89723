"""What a product page shows of each offer, worked out once per process for each distinct
offer and buyer context, and reused by the next visits.

A popular product's page lists twenty and more offers, and working out each one (its
delivery quote and dates, its landed price at the reference rates, its rank inputs, its
price in the buyer's currency, its stock state and the key its row's HTML is kept under)
was most of the page's time on a miss. All of it follows from the offer's row as read
(offers.selectors.ProductOffers: the offer's, its seller's public and its variant's columns)
and from the buyer's context: the language, the destination, the quarter hour (delivery
dates follow from local dates only, and every time zone's midnight falls on a quarter hour),
the quote table and reference rates in use and the seller's shipping tables, all three the
very objects the storefront's memo hands out for a few seconds (memo.remembered). So a line
is kept under the row and that context, and a price, stock or any other change to the offer,
its seller or its variant reads a new row: its line is worked out again, the others stay.
Variant labels in languages other than the columns' (ru, en) come from translation rows the
offer row does not hold, so those pages work every line out each time, as every page does
when the process keeps no copies (memo.keeps_in_process: not without a shared cache).
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime

from django.utils.translation import get_language

from caravan.catalog.translations import COLUMN_LANGUAGES
from caravan.fx.models import ExchangeRate
from caravan.fx.quotes import QuoteTable
from caravan.kernel import clock
from caravan.kernel.bounded import Bounded
from caravan.offers.selectors import ProductOffers
from caravan.shipping.quotes import Destination, TablesReader

from .memo import keeps_in_process
from .offer_rows import row_key
from .page_cache import card_caching_enabled
from .presenters import OfferLine, OfferRow, offer_lines

# Lines this process keeps; past it they all go (a process serves a few thousand products'
# offers between two changes of the rates it keys them by).
SHEET_LIMIT = 4096
# Delivery dates change only with a local date: every time zone's midnight falls on one.
QUARTER_HOUR = 900

_lines: Bounded[Hashable, OfferLine] = Bounded(limit=SHEET_LIMIT)


def forget_lines() -> None:
    _lines.clear()


class _Same:
    """An object as a key part by identity: the memo's objects are replaced, not changed,
    and the key holds the object, so its id is not reused while the key lives."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


def sheet_lines(
    read: ProductOffers,
    *,
    quotes: QuoteTable,
    destination: Destination,
    rates: dict[str, ExchangeRate],
    tables: TablesReader,
    placed_at: datetime | None = None,
) -> list[OfferLine]:
    """presenters.offer_lines for the product's offers as read, each line from this
    process's copy when its offer row and the buyer's context are the same, the others
    worked out together (one call to the shipping engine for them)."""
    moment = placed_at or clock.now()
    language = get_language()
    country = destination.country

    def fragment_key(row: OfferRow) -> str:
        return row_key(row, country=country)

    keeps = card_caching_enabled()
    if not keeps or not keeps_in_process() or language not in COLUMN_LANGUAGES:
        return offer_lines(
            read.offers(),
            quotes=quotes,
            destination=destination,
            rates=rates,
            tables=tables,
            placed_at=moment,
            fragment_key=fragment_key if keeps else None,
        )
    loaded = tables(seller_ids={read.seller_id(row) for row in read.rows}, destination=destination)
    context = (
        language,
        destination,
        int(moment.timestamp()) // QUARTER_HOUR,
        _Same(quotes),
        _Same(rates),
    )
    keys = [(row, context, _Same(loaded.get(read.seller_id(row)))) for row in read.rows]
    found = [_lines.get(key) for key in keys]
    missing = [position for position, line in enumerate(found) if line is None]
    if missing:
        worked = offer_lines(
            [read.offer(read.rows[position]) for position in missing],
            quotes=quotes,
            destination=destination,
            rates=rates,
            tables=lambda **_ignored: loaded,
            placed_at=moment,
            fragment_key=fragment_key,
        )
        for position, line in zip(missing, worked, strict=True):
            found[position] = line
        _lines.keep({keys[position]: line for position, line in zip(missing, worked, strict=True)})
    return [line for line in found if line is not None]
