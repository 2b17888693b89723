"""Product listings: category pages and search results share one query shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from caravan.catalog.models import Variant
from caravan.offers.models import Offer, ProductOfferSummary

from .backends import SearchBackend, TermGroup, get_backend
from .models import SearchDocument
from .ranking import RESCORE_WINDOW, plan_query, rescore
from .services import index_new_products

PAGE_SIZE = 24


class Sort:
    RELEVANCE = "relevance"
    PRICE_ASC = "price"
    PRICE_DESC = "-price"
    NEWEST = "newest"
    CHOICES = (RELEVANCE, PRICE_ASC, PRICE_DESC, NEWEST)


@dataclass(frozen=True)
class ProductQuery:
    text: str = ""
    category_ids: tuple[int, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    ships_from: tuple[str, ...] = ()
    sort: str = Sort.RELEVANCE
    page: int = 1


@dataclass
class ProductListing:
    page: Page
    total: int
    ships_from_options: list[str] = field(default_factory=list)
    # Every product the query and filters match, unordered: what facet counts aggregate.
    matching: QuerySet[ProductOfferSummary] | None = None
    # How the text was understood: per word, the lexemes searched (typos corrected).
    terms: tuple[TermGroup, ...] = ()


_LISTED_RELATIONS = (
    "product",
    "product__category",
    "best_offer",
    "best_offer__seller",
    "best_offer__variant",
)


class RankedResults:
    """The matches of a text query in relevance order, sliced lazily for the Paginator: the
    first RESCORE_WINDOW by the shared rescoring (search.ranking), the rest in the engine's
    order. Slices come back as summaries with what a listing card shows."""

    def __init__(
        self,
        *,
        ranked: QuerySet[ProductOfferSummary],
        groups: tuple[TermGroup, ...],
        relations: tuple[str, ...] = _LISTED_RELATIONS,
        prefetch: tuple[Prefetch, ...] = (),
    ) -> None:
        self._ranked = ranked
        self._groups = groups
        self._relations = relations
        self._prefetch = prefetch
        self._window: list[int] | None = None
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._ranked.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def window(self) -> list[int]:
        if self._window is None:
            first = list(self._ranked.values_list("product_id", flat=True)[:RESCORE_WINDOW])
            documents = {
                document.product_id: (document.fields(), document.boost)
                for document in SearchDocument.objects.filter(product_id__in=first)
            }
            self._window = rescore(groups=self._groups, documents=documents, product_ids=first)
        return self._window

    def product_ids(self, start: int, stop: int) -> list[int]:
        ids: list[int] = []
        if start < RESCORE_WINDOW:
            ids = self.window()[start:stop]
        if stop > RESCORE_WINDOW:
            ids += list(
                self._ranked.values_list("product_id", flat=True)[max(start, RESCORE_WINDOW) : stop]
            )
        return ids

    def __getitem__(self, index: slice) -> list[ProductOfferSummary]:
        if not isinstance(index, slice):
            raise TypeError("ranked results are read in slices")
        start = max(index.start or 0, 0)
        stop = index.stop if index.stop is not None else self.count()
        ids = self.product_ids(start, stop)
        found = ProductOfferSummary.objects.filter(product_id__in=ids).select_related(
            *self._relations
        )
        if self._prefetch:
            found = found.prefetch_related(*self._prefetch)
        by_id = {summary.product_id: summary for summary in found}
        return [by_id[product_id] for product_id in ids if product_id in by_id]


def _catch_up() -> None:
    if settings.SEARCH_CATCH_UP_ON_QUERY:
        index_new_products()


def _filtered(
    summaries: QuerySet[ProductOfferSummary], query: ProductQuery
) -> QuerySet[ProductOfferSummary]:
    """The price and ships-from filters (the ships-from options are counted before them)."""
    if query.price_min is not None:
        summaries = summaries.filter(min_reference_price_amount__gte=query.price_min)
    if query.price_max is not None:
        summaries = summaries.filter(min_reference_price_amount__lte=query.price_max)
    if query.ships_from:
        summaries = summaries.filter(
            Exists(
                Offer.objects.filter(
                    product_id=OuterRef("product_id"),
                    ships_from__in=query.ships_from,
                    is_active=True,
                    stock_quantity__gt=0,
                )
            )
        )
    return summaries


def list_products(*, query: ProductQuery) -> ProductListing:
    """The ships-from options, the count and the page (with best offer and seller); a text
    query adds the vocabulary look-ups of search.ranking.plan_query."""
    backend: SearchBackend | None = None
    groups: tuple[TermGroup, ...] = ()
    base = ProductOfferSummary.objects.filter(is_buyable=True)
    if query.category_ids:
        base = base.filter(category_id__in=query.category_ids)
    if query.text:
        backend = get_backend()
        _catch_up()
        groups = plan_query(text=query.text, backend=backend)
    matched = backend.matching(base, groups) if backend is not None and groups else base
    options = sorted(
        set(
            Offer.objects.filter(
                product_id__in=matched.values("product_id"), is_active=True, stock_quantity__gt=0
            ).values_list("ships_from", flat=True)
        )
    )
    summaries = _filtered(matched, query)
    sort = query.sort if query.sort in Sort.CHOICES else Sort.RELEVANCE
    if backend is not None and groups and sort == Sort.RELEVANCE:
        results = RankedResults(
            ranked=backend.ranked(_filtered(base, query), groups, query.text), groups=groups
        )
        page: Page = Paginator(results, PAGE_SIZE).get_page(query.page)  # type: ignore[arg-type]
        return ProductListing(
            page=page,
            total=results.count(),
            ships_from_options=options,
            matching=summaries,
            terms=groups,
        )
    ordering = {
        Sort.PRICE_ASC: ("min_reference_price_amount", "product_id"),
        Sort.PRICE_DESC: ("-min_reference_price_amount", "product_id"),
        Sort.NEWEST: ("-product_created_at", "-product_id"),
        Sort.RELEVANCE: ("-seller_count", "min_reference_price_amount", "product_id"),
    }[sort]
    paginator = Paginator(
        summaries.select_related(*_LISTED_RELATIONS).order_by(*ordering), PAGE_SIZE
    )
    page = paginator.get_page(query.page)
    return ProductListing(
        page=page,
        total=paginator.count,
        ships_from_options=options,
        matching=summaries,
        terms=groups,
    )


def list_featured(*, limit: int = 12) -> list[ProductOfferSummary]:
    """Products with the most competing sellers: the marketplace at its liveliest."""
    return list(
        ProductOfferSummary.objects.filter(is_buyable=True)
        .select_related("product", "best_offer", "best_offer__seller")
        .order_by("-seller_count", "min_reference_price_amount", "product_id")[:limit]
    )


def list_newest(*, limit: int = 12) -> list[ProductOfferSummary]:
    return list(
        ProductOfferSummary.objects.filter(is_buyable=True)
        .select_related("product", "best_offer", "best_offer__seller")
        .order_by("-product_created_at", "-product_id")[:limit]
    )


def find_products_to_offer(*, text: str, limit: int = 20) -> list[ProductOfferSummary]:
    """Catalog products matching the text, with their variants, for a seller choosing what
    to sell: unlike listings this includes products nobody currently has in stock."""
    backend = get_backend()
    _catch_up()
    groups = plan_query(text=text, backend=backend)
    if not groups:
        return []
    summaries = ProductOfferSummary.objects.filter(product__is_active=True)
    results = RankedResults(
        ranked=backend.ranked(summaries, groups, text),
        groups=groups,
        relations=("product", "product__category"),
        prefetch=(
            Prefetch("product__variants", queryset=Variant.objects.order_by("position", "id")),
        ),
    )
    return results[:limit]
