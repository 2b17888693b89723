"""Slow-moving facts every browsing page shows (the category tree, the marketplace's seller
count, the exchange rates into a currency), read from the shared cache for a few seconds
instead of from the database on every page. They change rarely, and 0002 already let them
take PAGE_TTL_SECONDS to reach a cached page."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, TypeVar

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
from caravan.kernel.bounded import Bounded
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
# The most values one process keeps beside the shared cache (a seller's shipping tables per
# destination are one each); past it the expired ones go, then all of them.
PROCESS_MEMO_LIMIT = 4096

Value = TypeVar("Value")


@dataclasses.dataclass(frozen=True)
class _Stored:
    """A remembered value in the shared cache, with when it was computed: a process that
    reads it may keep it until then + REMEMBER_SECONDS, as long as the shared cache does."""

    at: float
    value: object


# key -> (until when, value): what this process read from the shared cache, kept no longer
# than the shared cache keeps it (ADR 0026).
_process_memo: dict[str, tuple[float, object]] = {}


def forget_process_memo() -> None:
    _process_memo.clear()
    _entries.clear()


def keeps_in_process() -> bool:
    return bool(settings.STOREFRONT_PROCESS_MEMO)


def _recall(keys: Collection[str]) -> dict[str, object]:
    """The values of these keys: this process's copies still within their time, the others
    from the shared cache (kept here in turn). Keys missing from both are left out."""
    now = time.time()
    found: dict[str, object] = {}
    wanted = []
    local = keeps_in_process()
    for key in keys:
        kept = _process_memo.get(key) if local else None
        if kept is not None and kept[0] > now:
            found[key] = kept[1]
        else:
            wanted.append(key)
    if not wanted:
        return found
    for key, stored in cache.get_many(wanted).items():
        if not isinstance(stored, _Stored):
            continue
        found[key] = stored.value
        if local and stored.at + REMEMBER_SECONDS > now:
            _keep(key, stored)
    return found


def _store(values: dict[str, object]) -> None:
    stored = {key: _Stored(at=time.time(), value=value) for key, value in values.items()}
    cache.set_many(stored, timeout=REMEMBER_SECONDS)
    if keeps_in_process():
        for key, entry in stored.items():
            _keep(key, entry)


def _keep(key: str, stored: _Stored) -> None:
    if len(_process_memo) >= PROCESS_MEMO_LIMIT:
        now = time.time()
        for old in [old for old, (until, _value) in _process_memo.items() if until <= now]:
            del _process_memo[old]
        if len(_process_memo) >= PROCESS_MEMO_LIMIT:
            _process_memo.clear()
    _process_memo[key] = (stored.at + REMEMBER_SECONDS, stored.value)


def remembered(key: str, compute: Callable[[], Value]) -> Value:
    """compute()'s answer, computed at most once per REMEMBER_SECONDS for every process that
    shares the cache, and read from the shared cache at most once per process in that time
    (STOREFRONT_PROCESS_MEMO)."""
    if not card_caching_enabled():  # the benchmarks' cold render reads everything
        return compute()
    # Not the "storefront:memo:" keys of the bare values stored before: a process of the
    # earlier version reading a _Stored would fail while both run (a rolling deploy).
    full = f"storefront:remembered:{key}"
    found = _recall([full])
    if full in found:
        return found[full]  # type: ignore[return-value]
    value = compute()
    _store({full: value})
    return value


def category_tree() -> list[CategoryNode]:
    """The tree with its names in every language; forgotten at once when the operator
    renames a category (page_cache.on_catalog_text_changed): read from the shared cache by
    every page, never kept in the process, where the rename would not reach it."""
    if not card_caching_enabled():
        return list_category_tree()
    tree = cache.get(CATEGORY_TREE_MEMO_KEY)
    if tree is None:
        tree = list_category_tree()
        cache.set(CATEGORY_TREE_MEMO_KEY, tree, timeout=REMEMBER_SECONDS)
    return tree  # type: ignore[no-any-return]


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
        f"storefront:remembered:shipping:{seller_id}:{destination.country}:{destination.region}": (
            seller_id
        )
        for seller_id in seller_ids
    }
    found = _recall(keys)
    tables = {keys[key]: value for key, value in found.items() if isinstance(value, SellerTables)}
    missing = [seller_id for key, seller_id in keys.items() if key not in found]
    if missing:
        loaded = load_tables(seller_ids=missing, destination=destination)
        _store(
            {
                key: loaded.get(seller_id, _SHIPS_NOWHERE)
                for key, seller_id in keys.items()
                if key not in found
            }
        )
        tables.update(loaded)
    return tables


@dataclasses.dataclass(frozen=True)
class ProductEntry:
    """A product's catalog entry for its page: the product, when its data was read, and the
    page's catalog parts (storefront.product_parts) as rendered from this version, if they
    are and nothing renamed since; `parts_key`: where they are kept ("" for none)."""

    product: Product
    read_at: float
    parts_key: str = ""
    parts: str | None = None


def product_entry(*, public_id: str, version: tuple[int, datetime] | None = None) -> ProductEntry:
    """catalog.selectors.get_product for the product page: a copy per version of the
    product's catalog entry (catalog.selectors.product_version, one narrow query, unless
    the caller read `version` with something else: the offers) and language, until an
    operator renames a category or an attribute (the catalog-text tag). A price or stock
    change leaves it in use: it holds no offer. The parts rendered from the same version
    are read in the same round trip."""
    if not card_caching_enabled():
        return ProductEntry(product=get_product(public_id=public_id), read_at=time.time())
    if version is None:
        version = product_version(public_id=public_id)
    if version is None:  # not visible: get_product raises its NotFound
        return ProductEntry(product=get_product(public_id=public_id), read_at=time.time())
    product_id, changed = version
    suffix = f"{product_id}:{changed.timestamp()}:{get_language()}"
    key, parts_key = f"storefront:memo:product:{suffix}", f"storefront:product-parts:{suffix}"
    text_stamp = stamp_key(CATALOG_TEXT_TAG)
    found = _recall_entries([key, parts_key], also=text_stamp)
    known = {CATALOG_TEXT_TAG: float(found[text_stamp])} if text_stamp in found else {}

    def current(name: str) -> tuple[float, Any] | None:
        copy = found.get(name)
        if copy is None or not fresh(tags=[CATALOG_TEXT_TAG], rendered=copy[0], known=known):
            return None
        return copy  # type: ignore[no-any-return]

    entry, parts = current(key), current(parts_key)
    shown_parts = parts[1] if parts is not None else None
    if entry is not None:
        return ProductEntry(
            product=entry[1], read_at=entry[0], parts_key=parts_key, parts=shown_parts
        )
    started = time.time()
    product = get_product(public_id=public_id)
    cache.set(key, (started, product), timeout=PAGE_TTL_SECONDS)
    return ProductEntry(product=product, read_at=started, parts_key=parts_key, parts=shown_parts)


# This process's copies of product entries and parts, by their key (a product's version and
# language): each as stored, with its time, kept as long as the shared cache keeps it and
# checked against the catalog-text tag on every use, as the shared copy is.
_entries: Bounded[str, tuple[float, Any]] = Bounded(limit=PROCESS_MEMO_LIMIT)


def _recall_entries(keys: list[str], *, also: str) -> dict[str, Any]:
    """The stored (time, value) of these keys, this process's copies first, and `also`'s
    value from the shared cache, in one round trip."""
    local = keeps_in_process()
    now = time.time()
    found: dict[str, Any] = {}
    wanted = [also]
    for key in keys:
        copy = _entries.get(key) if local else None
        if copy is not None and copy[0] + PAGE_TTL_SECONDS > now:
            found[key] = copy
        else:
            wanted.append(key)
    read = cache.get_many(wanted)
    found.update(read)
    if local:
        _entries.keep({key: read[key] for key in keys if isinstance(read.get(key), tuple)})
    return found


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
    # Stored after the scan, the copy outlives its seconds by the scan's time: not used then.
    if (
        entry is not None
        and entry[0] + seconds > started
        and fresh(tags=[tag], rendered=entry[0], known=known)
    ):
        return relist(entry[1]), float(entry[0])
    listed = search_products(query=query, facets=True, as_typed=as_typed, light=True)
    cache.set(key, (started, copy_listing(listed)), timeout=seconds)
    return listed, started
