"""Slow-moving facts every browsing page shows (the category tree, the marketplace's seller
count, the exchange rates into a currency), read from the shared cache for a few seconds
instead of from the database on every page. They change rarely, and 0002 already let them
take PAGE_TTL_SECONDS to reach a cached page."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Collection
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from caravan.catalog.models import Category, Product
from caravan.catalog.selectors import (
    CategoryNode,
    get_product,
    list_category_tree,
    product_version,
)
from caravan.fx.models import ExchangeRate
from caravan.fx.quotes import QuoteTable, quote_table
from caravan.fx.services import base_currency, latest_rates
from caravan.search.facet_groups import FacetGroup, describe_facets
from caravan.search.facets import FacetCounts
from caravan.search.selectors import (
    ProductListing,
    ProductQuery,
    copy_listing,
    relist,
    search_products,
)
from caravan.search.synonyms import generation as synonyms_generation
from caravan.sellers.selectors import MarketplaceStats, marketplace_stats
from caravan.shipping.quotes import Destination, SellerTables, load_tables

from .currency import buyer_currency, use_quotes
from .page_cache import (
    CATALOG_TEXT_TAG,
    CATEGORY_TREE_MEMO_KEY,
    PAGE_TTL_SECONDS,
    card_caching_enabled,
    fresh,
    stamp_key,
)

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


def facet_groups(
    counts: FacetCounts, query: ProductQuery, *, currency: str, categories: list[Category]
) -> list[FacetGroup]:
    """The listing's facet groups (search.facet_groups), remembered per distinct counts,
    filters, currency and language: the same listing re-rendered after one card changed, its
    next page and other visitors' copies reuse them. The names in them (categories,
    attributes, sellers) may show REMEMBER_SECONDS late, as the category tree does."""
    digest = hashlib.blake2b(
        repr((get_language(), currency, dataclasses.replace(query, page=1), counts)).encode(),
        digest_size=20,
    ).hexdigest()
    return remembered(
        f"facets:{digest}",
        lambda: describe_facets(counts, query, currency=currency, categories=categories),
    )


# A seller who ships nowhere (no default profile with zones) is remembered too.
_SHIPS_NOWHERE = "nowhere"


def shipping_tables(
    *, seller_ids: Collection[int], destination: Destination
) -> dict[int, SellerTables]:
    """The sellers' shipping tables for the destination (shipping.quotes.load_tables) as a
    browsing page quotes with them: each seller's from the shared cache, read from the
    database only for those not there. A seller's change to their delivery prices or zones
    may reach the product page and cards REMEMBER_SECONDS late, as a new exchange rate does;
    the cart and checkout always quote from the database."""
    if not card_caching_enabled():
        return load_tables(seller_ids=seller_ids, destination=destination)
    keys = {
        f"storefront:memo:shipping:{seller_id}:{destination.country}:{destination.region}": (
            seller_id
        )
        for seller_id in seller_ids
    }
    found = cache.get_many(list(keys))
    tables = {keys[key]: value for key, value in found.items() if isinstance(value, SellerTables)}
    missing = [seller_id for key, seller_id in keys.items() if key not in found]
    if missing:
        loaded = load_tables(seller_ids=missing, destination=destination)
        cache.set_many(
            {
                key: loaded.get(seller_id, _SHIPS_NOWHERE)
                for key, seller_id in keys.items()
                if key not in found
            },
            timeout=REMEMBER_SECONDS,
        )
        tables.update(loaded)
    return tables


def product_entry(*, public_id: str) -> Product:
    """catalog.selectors.get_product for the product page: a copy per version of the
    product's catalog entry (catalog.selectors.product_version, one narrow query) and
    language, until an operator renames a category or an attribute (the catalog-text tag).
    A price or stock change leaves it in use: it holds no offer."""
    if not card_caching_enabled():
        return get_product(public_id=public_id)
    version = product_version(public_id=public_id)
    if version is None:
        return get_product(public_id=public_id)  # not visible: its NotFound
    product_id, changed = version
    key = f"storefront:memo:product:{product_id}:{changed.timestamp()}:{get_language()}"
    text_stamp = stamp_key(CATALOG_TEXT_TAG)
    found = cache.get_many([key, text_stamp])
    known = {CATALOG_TEXT_TAG: float(found[text_stamp])} if text_stamp in found else {}
    entry = found.get(key)
    if entry is not None and fresh(tags=[CATALOG_TEXT_TAG], rendered=entry[0], known=known):
        return entry[1]  # type: ignore[no-any-return]
    started = time.time()
    product = get_product(public_id=public_id)
    cache.set(key, (started, product), timeout=PAGE_TTL_SECONDS)
    return product


def remembered_listing(
    *, query: ProductQuery, as_typed: bool, tag: str
) -> tuple[ProductListing, float]:
    """search.selectors.search_products (light rows, with facets) for a listing page, its
    order, total and facet counts reused for STOREFRONT_LISTING_SECONDS (ADR 0023): within
    that time the page's products are read again by id (search.selectors.relist: only those
    still buyable and within the filters, their current offers and versions, so every card
    is current) and the scan is not run. `tag` is the listing's page-cache tag
    (page_cache.listing_tag): a product entering or leaving the listing stamps it, and a copy
    made before is not used. Returned with when its data was read (the copy's time)."""
    seconds = settings.STOREFRONT_LISTING_SECONDS
    started = time.time()
    if not card_caching_enabled() or seconds <= 0:
        return search_products(query=query, facets=True, as_typed=as_typed, light=True), started
    # No language: the engine matches, orders and counts the same in every language (the
    # facet groups' names are described per language, facet_groups above). A synonym edit
    # is searched with at once, as by the query's plan (search.selectors._plan).
    digest = hashlib.blake2b(
        repr((query, as_typed, synonyms_generation() if query.text else "")).encode(),
        digest_size=20,
    ).hexdigest()
    key, tag_stamp = f"storefront:listing:{digest}", stamp_key(tag)
    found = cache.get_many([key, tag_stamp])
    known = {tag: float(found[tag_stamp])} if tag_stamp in found else {}
    entry = found.get(key)
    if entry is not None and fresh(tags=[tag], rendered=entry[0], known=known):
        return relist(entry[1]), float(entry[0])
    listed = search_products(query=query, facets=True, as_typed=as_typed, light=True)
    cache.set(key, (started, copy_listing(listed)), timeout=seconds)
    return listed, started
