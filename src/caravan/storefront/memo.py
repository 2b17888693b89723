"""Slow-moving facts every browsing page shows (the category tree, the marketplace's seller
count, the exchange rates into a currency), read from the shared cache for a few seconds
instead of from the database on every page. They change rarely, and 0002 already let them
take PAGE_TTL_SECONDS to reach a cached page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest

from caravan.catalog.selectors import CategoryNode, list_category_tree
from caravan.fx.models import ExchangeRate
from caravan.fx.quotes import QuoteTable, quote_table
from caravan.fx.services import base_currency, latest_rates
from caravan.sellers.selectors import MarketplaceStats, marketplace_stats

from .currency import buyer_currency, use_quotes
from .page_cache import CATEGORY_TREE_MEMO_KEY, card_caching_enabled

REMEMBER_SECONDS = 10

Value = TypeVar("Value")


def remembered(key: str, compute: Callable[[], Value]) -> Value:
    if not card_caching_enabled():  # the benchmarks' cold render reads everything
        return compute()
    found = cache.get(f"storefront:memo:{key}")
    if found is None:
        found = compute()
        cache.set(f"storefront:memo:{key}", found, timeout=REMEMBER_SECONDS)
    return found  # type: ignore[no-any-return]


def category_tree() -> list[CategoryNode]:
    """The tree with its names in every language; forgotten at once when the operator
    renames a category (page_cache.on_catalog_text_changed)."""
    return remembered(CATEGORY_TREE_MEMO_KEY.removeprefix("storefront:memo:"), list_category_tree)


def stats() -> MarketplaceStats:
    return remembered("marketplace-stats", marketplace_stats)


def browsing_quotes(request: HttpRequest) -> QuoteTable:
    """The quote table for a browsing page; the cart and checkout read the current one."""
    currency = buyer_currency(request)
    table = remembered(f"quotes:{currency}", lambda: quote_table(currency=currency))
    use_quotes(request, table)
    return table


def reference_rates() -> dict[str, ExchangeRate]:
    """The rates into the marketplace currency the buy box ranks offers by, as the quote
    table: a browsing page may show them REMEMBER_SECONDS late."""
    base = base_currency()
    return remembered(f"reference-rates:{base}", lambda: latest_rates(quote=base))
