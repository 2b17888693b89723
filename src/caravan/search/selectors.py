"""Product listings: category pages and search results share one query shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from caravan.catalog.models import Variant
from caravan.offers.models import Offer, ProductOfferSummary

from .backends import get_backend, query_terms

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


def _base(query: ProductQuery) -> QuerySet[ProductOfferSummary]:
    summaries = ProductOfferSummary.objects.filter(is_buyable=True)
    if query.category_ids:
        summaries = summaries.filter(category_id__in=query.category_ids)
    if query.text:
        summaries = get_backend().filter(summaries, query_terms(query.text))
    return summaries


def list_products(*, query: ProductQuery) -> ProductListing:
    """Three queries: the ships-from options, the count, the page (with best offer and seller)."""
    summaries = _base(query)
    options = sorted(
        set(
            Offer.objects.filter(
                product_id__in=summaries.values("product_id"), is_active=True, stock_quantity__gt=0
            ).values_list("ships_from", flat=True)
        )
    )
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
    ordering = {
        Sort.PRICE_ASC: ("min_reference_price_amount", "product_id"),
        Sort.PRICE_DESC: ("-min_reference_price_amount", "product_id"),
        Sort.NEWEST: ("-product_created_at", "-product_id"),
        Sort.RELEVANCE: ("-seller_count", "min_reference_price_amount", "product_id"),
    }[query.sort if query.sort in Sort.CHOICES else Sort.RELEVANCE]
    summaries = summaries.select_related(
        "product", "product__category", "best_offer", "best_offer__seller", "best_offer__variant"
    ).order_by(*ordering)
    paginator = Paginator(summaries, PAGE_SIZE)
    page = paginator.get_page(query.page)
    return ProductListing(page=page, total=paginator.count, ships_from_options=options)


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
    terms = query_terms(text)
    if not terms:
        return []
    summaries = get_backend().filter(
        ProductOfferSummary.objects.filter(product__is_active=True), terms
    )
    return list(
        summaries.select_related("product", "product__category")
        .prefetch_related(
            Prefetch("product__variants", queryset=Variant.objects.order_by("position", "id"))
        )
        .order_by("-seller_count", "product_id")[:limit]
    )
