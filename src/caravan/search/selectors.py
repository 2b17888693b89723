"""Product listings: category pages and search results share one query shape."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from caravan.catalog.models import Category, Variant
from caravan.fx.services import base_currency, latest_rates
from caravan.offers.buybox import default_destination
from caravan.offers.facets import (
    ATTRIBUTE,
    LABEL_SEPARATOR,
    SEPARATOR,
    category_path,
    condition_key,
    normalise_value,
    seller_key,
    ships_from_key,
    ships_to_key,
)
from caravan.offers.models import Offer, ProductOfferSummary, ProductProposal
from caravan.offers.selectors import OfferFilter, find_seller_offers
from caravan.sellers.models import Seller
from caravan.shipping.quotes import Destination, ShippingQuote

from .backends import (
    MAX_QUERY_LENGTH,
    PageRequest,
    Scan,
    SearchBackend,
    TermGroup,
    get_backend,
)
from .facets import FacetCounts, Selection, count_facets
from .picked_offers import show_offers_for
from .ranking import dead_words, plan_query, switch_dead_chunks
from .results import (
    LIGHT_FIELDS,
    LISTED_RELATIONS,
    CopiedPage,
    PagedListing,
    QueriedOrder,
    RankedResults,
    ScannedOrder,
    candidates,
    kept_light_rows,
)
from .synonyms import generation as synonyms_generation

PAGE_SIZE = 24
# Pages up to this one come from the facet scan when the engine reads them; past it, from
# the listing's own query.
MAX_SCANNED_PAGE = 1000
WHOLE_CATALOG_FACETS_SECONDS = 300


class Sort:
    RELEVANCE = "relevance"
    PRICE_ASC = "price"
    PRICE_DESC = "-price"
    # The best offer's price plus its cheapest delivery (the buy box's own key).
    LANDED = "landed"
    # The soonest any buyable offer arrives, then the landed price.
    FASTEST = "fastest"
    NEWEST = "newest"
    CHOICES = (RELEVANCE, PRICE_ASC, PRICE_DESC, LANDED, FASTEST, NEWEST)


@dataclass(frozen=True)
class ProductQuery:
    text: str = ""
    # The page's own scope (a category page lists its category and children).
    category_ids: tuple[int, ...] = ()
    # The category facet: narrows to the category and everything below it.
    category: int | None = None
    # In `currency` (the buyer's; empty means the marketplace currency).
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str = ""
    ships_from: tuple[str, ...] = ()
    # Only products an offer of which delivers to one of these countries (the buyer's).
    ships_to: tuple[str, ...] = ()
    # The buyer's country: a card narrowed to matching offers shows the best one for it.
    country: str = ""
    sellers: tuple[int, ...] = ()
    conditions: tuple[str, ...] = ()
    delivery_within: int | None = None
    # "code:value" pairs (offers.facets.attribute_key without its prefix); values of one
    # attribute are alternatives, different attributes must all hold.
    attributes: tuple[str, ...] = ()
    sort: str = Sort.RELEVANCE
    page: int = 1


@dataclass
class ProductListing:
    page: Page
    total: int
    # Every product the query and filters match, unordered.
    matching: QuerySet[ProductOfferSummary] | None = None
    # How the text was understood: per word, the lexemes searched (typos corrected).
    terms: tuple[TermGroup, ...] = ()
    # Counts per facet value (list_products(facets=True)), in `currency` for prices.
    facets: FacetCounts | None = None
    currency: str = ""
    # Set when the text as typed found nothing and this listing is for the same keys on
    # the other keyboard layout (search_products): what the buyer typed.
    typed_text: str = ""
    # The text the listing is for.
    text: str = ""
    # The page's best offers quoted to the buyer's country when they were picked for it
    # (show_offers_for), by offer id: the cards' promises need no second quote.
    shipping: dict[int, ShippingQuote] = field(default_factory=dict)
    # The query as listed (its text switched when search_products retyped it) and its
    # filters in reference prices: what copy_listing remembers.
    query: ProductQuery | None = None
    selection: Selection | None = None


class _Prices:
    """The buyer's currency and the marketplace's: filters compare reference prices,
    facets show ranges in the buyer's currency. Unrounded both ways, so a range's bounds
    and the filter it sets agree."""

    def __init__(self, currency: str) -> None:
        self.base = base_currency()
        rates = latest_rates(quote=self.base) if currency and currency != self.base else {}
        rate = rates.get(currency)
        self.currency = currency if rate is not None else self.base
        self.rate = rate.rate if rate is not None else Decimal(1)

    def to_reference(self, amount: Decimal | None) -> Decimal | None:
        return None if amount is None else amount * self.rate

    def to_display(self, amount: Decimal) -> Decimal:
        return amount / self.rate if self.rate != 1 else amount


def _selection(query: ProductQuery, prices: _Prices) -> Selection:
    return Selection(
        category_id=query.category,
        price_min=prices.to_reference(query.price_min),
        price_max=prices.to_reference(query.price_max),
        ships_from=tuple(code.upper() for code in query.ships_from),
        ships_to=tuple(code.upper() for code in query.ships_to),
        sellers=query.sellers,
        conditions=query.conditions,
        delivery_within=query.delivery_within,
        attributes=tuple(_attribute_value(value) for value in query.attributes),
    )


def _attribute_value(value: str) -> str:
    code, _, text = value.partition(":")
    return f"{code}:{normalise_value(text)}"


def _holds(text: str) -> Q:
    return Q(facet_keys__contains=text)


def delivers_to(*countries: str) -> Q:
    """Listing rows with a buyable offer whose seller delivers to one of the countries: the
    one "ships to" rule of every listing (the facet, the storefront's default filter, the
    home shelves, the no-results help). The projection writes the key for each country the
    seller's default profile reaches (offers.facets.ships_to_key)."""
    return _any_of(f"{SEPARATOR}{ships_to_key(country)}{SEPARATOR}" for country in countries)


def _any_of(texts: Iterable[str]) -> Q:
    condition = Q()
    for text in texts:
        condition |= _holds(text)
    return condition


def _filtered(
    summaries: QuerySet[ProductOfferSummary],
    selection: Selection,
    subtree: list[int] | None = None,
) -> QuerySet[ProductOfferSummary]:
    """The facet filters in SQL: the same keys search.facets counts (the page's category
    scope and the text are applied before). subtree: the chosen category and every one
    below it (_subtree), when a category is chosen."""
    line = SEPARATOR
    if subtree is not None:
        # The same products as the category's key (offers.facets writes the category and
        # its ancestors), through the indexed column: a LIKE on every row was a full scan.
        summaries = summaries.filter(category_id__in=subtree)
    if selection.price_min is not None:
        summaries = summaries.filter(min_reference_price_amount__gte=selection.price_min)
    if selection.price_max is not None:
        summaries = summaries.filter(min_reference_price_amount__lte=selection.price_max)
    if selection.ships_to:
        summaries = summaries.filter(delivers_to(*selection.ships_to))
    for keys in (
        [ships_from_key(code) for code in selection.ships_from],
        [seller_key(seller) for seller in selection.sellers],
        [condition_key(condition) for condition in selection.conditions],
    ):
        if keys:
            summaries = summaries.filter(_any_of(f"{line}{key}{line}" for key in keys))
    if selection.delivery_within is not None:
        summaries = summaries.filter(fastest_delivery_days__lte=selection.delivery_within)
    for values in selection.attribute_groups().values():
        summaries = summaries.filter(
            _any_of(f"{line}{ATTRIBUTE}:{value}{LABEL_SEPARATOR}" for value in values)
        )
    return summaries


def _subtree(category_id: int) -> list[int]:
    parents: dict[int, int | None] = dict(Category.objects.values_list("id", "parent_id"))
    return [candidate for candidate in parents if category_id in category_path(candidate, parents)]


# Price sorts order by the reference price (marketplace currency, mid rate). Buyer prices are
# the seller's price at the same day's rates times one margin, so the order holds in any buyer
# currency, except that an offer already in the buyer's currency has no margin and may show up
# to FX_MARGIN_BPS cheaper than its place (storefront.views.catalog).
_ORDERING = {
    Sort.PRICE_ASC: ("min_reference_price_amount", "product_id"),
    Sort.PRICE_DESC: ("-min_reference_price_amount", "product_id"),
    Sort.LANDED: ("landed_reference_amount", "product_id"),
    Sort.FASTEST: ("fastest_delivery_days", "landed_reference_amount", "product_id"),
    Sort.NEWEST: ("-product_created_at", "-product_id"),
    Sort.RELEVANCE: ("-seller_count", "min_reference_price_amount", "product_id"),
}


# How long a query's plan (search.ranking.plan_query: its words' lexemes, synonyms and
# corrections) is reused: a word that enters the vocabulary with a new product is planned
# as known at most this late; a synonym edit at once (its generation is in the key).
PLAN_SECONDS = 10


def _plan(text: str, backend: SearchBackend) -> tuple[TermGroup, ...]:
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    key = f"search:plan:{type(backend).__name__}:{synonyms_generation()}:{digest}"
    groups: tuple[TermGroup, ...] | None = cache.get(key)
    if groups is None:
        groups = plan_query(text=text, backend=backend)
        cache.set(key, groups, PLAN_SECONDS)
    return groups


def list_products(
    *, query: ProductQuery, facets: bool = False, light: bool = False
) -> ProductListing:
    """The count and the page (with best offer and seller) of the products matching the
    query and its filters; with facets, the counts of every facet value (search.facets)
    from one more read of the matched rows. A text query adds the vocabulary look-ups of
    search.ranking.plan_query. `light`: the page's rows hold only which card and offer
    (search.results.LIGHT_FIELDS), for a caller that serves cached cards and reads the
    rest of a row with `card_rows` only for the cards it renders."""
    backend: SearchBackend | None = None
    groups: tuple[TermGroup, ...] = ()
    prices = _Prices(query.currency)
    selection = _selection(query, prices)
    base = ProductOfferSummary.objects.filter(is_buyable=True)
    if query.category_ids:
        base = base.filter(category_id__in=query.category_ids)
    if query.text:
        backend = get_backend()
        groups = _plan(query.text, backend)
    matched = backend.matching(base, groups) if backend is not None and groups else base
    sort = query.sort if query.sort in Sort.CHOICES else Sort.RELEVANCE
    counts: FacetCounts | None = None
    relevance = backend is not None and bool(groups) and sort == Sort.RELEVANCE
    window_rank = backend.window_rank(query.text) if backend is not None and relevance else None
    best: list[tuple[int, float]] | None = None
    # The page's offset and ids, when the facet scan read them.
    scanned_page: tuple[int, list[int]] | None = None
    if facets:
        engine = backend or get_backend()
        display = prices.to_display if prices.rate != 1 else None

        def count(top: int = 0, page: PageRequest | None = None) -> tuple[FacetCounts, Scan]:
            # One read of every match gives the facet counts and, for relevance, the best
            # (or, sorted otherwise, the page when the engine reads it).
            scan = engine.scan(
                groups, category_ids=query.category_ids, selection=selection, top=top, page=page
            )
            found = count_facets(scan.bucketed, selection=selection, display_price=display)
            return found, scan

        if groups or query.category_ids:
            if relevance:
                counts, scan = count(top=candidates(window_rank))
                best = scan.top
            else:
                offset = (query.page - 1) * PAGE_SIZE if 1 <= query.page <= MAX_SCANNED_PAGE else 0
                counts, scan = count(page=PageRequest(_ORDERING[sort], offset, PAGE_SIZE))
                scanned_page = (offset, scan.page) if scan.page is not None else None
        else:
            # The whole catalog (no words, no category page) is the one scan that grows
            # with the marketplace: its counts are shared for a few minutes.
            digest = hashlib.sha256(repr((selection, prices.currency)).encode()).hexdigest()
            counts = cache.get_or_set(
                f"search:facets:{digest}", lambda: count()[0], WHOLE_CATALOG_FACETS_SECONDS
            )
            if counts is None:
                counts = count()[0]
    subtree = _subtree(selection.category_id) if selection.category_id is not None else None
    summaries = _filtered(matched, selection, subtree)
    if backend is not None and relevance:
        queried = QueriedOrder(
            backend.ranked(_filtered(base, selection, subtree), groups, query.text)
        )
        results = RankedResults(
            order=queried
            if best is None or counts is None
            else ScannedOrder(best, total=counts.total, rest=queried),
            groups=groups,
            window_rank=window_rank,
            light=light,
        )
        paginator: Paginator[Any] = Paginator(results, PAGE_SIZE)  # type: ignore[arg-type]
    else:
        rows = (
            summaries.only(*LIGHT_FIELDS) if light else summaries.select_related(*LISTED_RELATIONS)
        )
        listed = rows.order_by(*_ORDERING[sort])
        if scanned_page is not None and counts is not None:
            offset, ids = scanned_page
            paginator = Paginator(
                PagedListing(listed, offset=offset, ids=ids, total=counts.total, light=light),  # type: ignore[arg-type]
                PAGE_SIZE,
            )
        else:
            paginator = Paginator(listed, PAGE_SIZE)
    if counts is not None:
        # The facet pass counted the same filters: no COUNT query needed.
        paginator.__dict__["count"] = counts.total
    page: Page = paginator.get_page(query.page)
    total = paginator.count
    return ProductListing(
        page=page,
        total=total,
        matching=summaries,
        terms=groups,
        facets=counts,
        currency=prices.currency,
        text=query.text,
        shipping=_pick_offers(page, query, selection),
        query=query,
        selection=selection,
    )


def _pick_offers(page: Page, query: ProductQuery, selection: Selection) -> dict[int, ShippingQuote]:
    """Each card's offer for the buyer's country and filters, when the rows' own are not
    the answer (_card_destination): the page's rows changed in place, the quotes returned."""
    destination = _card_destination(query, selection)
    if destination is None:
        return {}
    picked = show_offers_for(list(page.object_list), destination=destination, selection=selection)
    page.object_list = picked.summaries
    return picked.shipping


@dataclass(frozen=True)
class ListingCopy:
    """What a listing page remembers for a few seconds (ADR 0023): which products its page
    lists and in what order, the page's number, the total and the facet counts. Nothing a
    card shows: no offer, price, stock or seller count."""

    query: ProductQuery
    selection: Selection
    product_ids: tuple[int, ...]
    number: int
    total: int
    facets: FacetCounts | None
    terms: tuple[TermGroup, ...]
    currency: str
    typed_text: str


def copy_listing(listing: ProductListing) -> ListingCopy:
    assert listing.query is not None and listing.selection is not None
    return ListingCopy(
        query=listing.query,
        selection=listing.selection,
        product_ids=tuple(summary.product_id for summary in listing.page.object_list),
        number=listing.page.number,
        total=listing.total,
        facets=listing.facets,
        terms=listing.terms,
        currency=listing.currency,
        typed_text=listing.typed_text,
    )


def relist(copy: ListingCopy) -> ProductListing:
    """The listing a copy remembers, with its page's rows read now (light, one query by
    primary key): a product no longer buyable, no longer in the page's category or outside
    the filters now (its price left the range, it stopped delivering to the chosen country)
    is left out, and each card's offer is picked again for the buyer. Only the order of
    those left, the total and the facet counts are the copy's. The text is not matched
    again: a product's words change only with a catalog edit."""
    query, selection = copy.query, copy.selection
    subtree = _subtree(selection.category_id) if selection.category_id is not None else None

    def within() -> QuerySet[ProductOfferSummary]:
        # Built only when this process compiles the statement (kept_light_rows).
        rows = ProductOfferSummary.objects.filter(is_buyable=True)
        if query.category_ids:
            rows = rows.filter(category_id__in=query.category_ids)
        return _filtered(rows, selection, subtree)

    current = kept_light_rows(
        copy.product_ids,
        within=within,
        key=(query.category_ids, selection, None if subtree is None else tuple(subtree)),
    )
    rows_of_page = CopiedPage(current, offset=(copy.number - 1) * PAGE_SIZE, total=copy.total)
    paginator: Paginator[Any] = Paginator(rows_of_page, PAGE_SIZE)  # type: ignore[arg-type]
    paginator.__dict__["count"] = copy.total
    page: Page = paginator.get_page(copy.number)
    return ProductListing(
        page=page,
        total=copy.total,
        terms=copy.terms,
        facets=copy.facets,
        currency=copy.currency,
        typed_text=copy.typed_text,
        text=query.text,
        shipping=_pick_offers(page, query, selection),
        query=query,
        selection=selection,
    )


def _card_destination(query: ProductQuery, selection: Selection) -> Destination | None:
    """Where the cards' offers are picked for, when the listing rows' own best offers (ranked
    for the marketplace's country, ADR 0007) are not the answer: the buyer is elsewhere, or
    narrowed the offers (shipped from Russia, sold by a seller, used)."""
    country = query.country or (selection.ships_to[0] if selection.ships_to else "")
    if selection.ships_from or selection.sellers or selection.conditions:
        return Destination(country=country) if country else default_destination()
    if country and country != default_destination().country:
        return Destination(country=country)
    return None


def search_products(
    *, query: ProductQuery, facets: bool = False, as_typed: bool = False, light: bool = False
) -> ProductListing:
    """list_products, forgiving a wrong keyboard layout: when the text finds nothing and
    the words no index term stands for, retyped on the other layout ("rhjccjdrb" is
    "кроссовки"), find something with the same filters, that listing is returned instead,
    its typed_text saying what the buyer typed. as_typed: the buyer asked for the text as
    typed ("search instead for")."""
    listing = list_products(query=query, facets=facets, light=light)
    if listing.total or not query.text or as_typed:
        return listing
    backend = get_backend()
    switched = switch_dead_chunks(query.text, dead_words(listing.terms, backend))
    if switched is None:
        return listing
    corrected = list_products(query=replace(query, text=switched), facets=facets, light=light)
    if not corrected.total:
        return listing
    corrected.typed_text = query.text
    return corrected


def list_featured(
    *, limit: int = 12, country: str = "", light: bool = False
) -> list[ProductOfferSummary]:
    """Products with the most competing sellers: the marketplace at its liveliest. With a
    country, only those delivered there (delivers_to). `light` as in list_products."""
    return list(
        _shelf(country, light=light).order_by(
            "-seller_count", "min_reference_price_amount", "product_id"
        )[:limit]
    )


def list_newest(
    *, limit: int = 12, country: str = "", light: bool = False
) -> list[ProductOfferSummary]:
    return list(_shelf(country, light=light).order_by("-product_created_at", "-product_id")[:limit])


def _shelf(country: str, *, light: bool) -> QuerySet[ProductOfferSummary]:
    summaries = ProductOfferSummary.objects.filter(is_buyable=True)
    if country:
        summaries = summaries.filter(delivers_to(country))
    if light:
        return summaries.only(*LIGHT_FIELDS)
    return summaries.select_related(
        "product", "best_offer", "best_offer__seller", "best_offer__variant"
    )


@dataclass(frozen=True)
class Shelves:
    featured: list[ProductOfferSummary]
    newest: list[ProductOfferSummary]
    # As ProductListing.shipping.
    shipping: dict[int, ShippingQuote]


def list_shelves(*, country: str, limit: int = 12, light: bool = False) -> Shelves:
    """The home page's shelves for a buyer in `country`: only products delivered there, each
    card with its best offer for there (show_offers_for, once for both shelves; the rows'
    own best offers are already the marketplace country's). `light` as in list_products."""
    featured = list_featured(limit=limit, country=country, light=light)
    newest = list_newest(limit=limit, country=country, light=light)
    if country == default_destination().country:
        return Shelves(featured=featured, newest=newest, shipping={})
    picked = show_offers_for([*featured, *newest], destination=Destination(country=country))
    return Shelves(featured=featured, newest=newest, shipping=picked.shipping)


def find_products_to_offer(*, text: str, limit: int = 20) -> list[ProductOfferSummary]:
    """Catalog products matching the text, with their variants, for a seller choosing what
    to sell: unlike listings this includes products nobody currently has in stock."""
    backend = get_backend()
    groups = plan_query(text=text, backend=backend)
    if not groups:
        return []
    # Pending proposals can be offered on too (they go live with the product); rejected
    # ones cannot.
    summaries = ProductOfferSummary.objects.filter(product__is_active=True).exclude(
        product__proposal__status=ProductProposal.Status.REJECTED
    )
    results = RankedResults(
        order=QueriedOrder(backend.ranked(summaries, groups, text)),
        groups=groups,
        window_rank=backend.window_rank(text),
        relations=("product", "product__category", "product__offer_summary"),
        prefetch=(
            Prefetch("product__variants", queryset=Variant.objects.order_by("position", "id")),
        ),
    )
    return results[:limit]


def search_seller_offers(
    *, seller: Seller, text: str = "", show: str = OfferFilter.ALL
) -> QuerySet[Offer]:
    """One seller's own offers (never another's) whose product the search finds, with its
    word forms, transliterations, typos and codes, or whose SKU holds the text."""
    offers = find_seller_offers(seller=seller, show=show)
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return offers
    backend = get_backend()
    groups = plan_query(text=text, backend=backend)
    found = Q(seller_sku__icontains=text[:64])
    if groups:
        products = backend.matching(ProductOfferSummary.objects.all(), groups)
        found |= Q(product_id__in=products.values("product_id"))
    return offers.filter(found)
