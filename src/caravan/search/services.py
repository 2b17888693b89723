"""Writing the search index: one product after a change, or the whole catalog in batches."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, Sum

from caravan.catalog.models import AttributeValue, Category, Product, Variant
from caravan.offers.models import Offer, ProductOfferSummary

from .analysis import document_text
from .backends import DocumentRow, get_backend, popularity_boost
from .models import SearchDocument, SearchTerm, SearchTermDelete
from .phrases import index_phrases, recount_phrases

REBUILD_BATCH_SIZE = 500
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")

Progress = Callable[[int, int], None]


def _category_names(category: Category) -> list[str]:
    names = [category.name_ru, category.name_en]
    if category.parent is not None:
        names += [category.parent.name_ru, category.parent.name_en]
    return names


def _documents(product_ids: Sequence[int]) -> list[tuple[SearchDocument, DocumentRow]]:
    products = (
        Product.objects.filter(id__in=product_ids)
        .select_related("category", "category__parent")
        .prefetch_related(
            Prefetch(
                "attribute_values",
                queryset=AttributeValue.objects.only("product_id", "value_ru", "value_en"),
            ),
            Prefetch("variants", queryset=Variant.objects.only("product_id", "gtin", "mpn")),
        )
    )
    counts: dict[int, tuple[int, int]] = {
        product_id: (seller_count, offer_count)
        for product_id, seller_count, offer_count in ProductOfferSummary.objects.filter(
            product_id__in=product_ids
        ).values_list("product_id", "seller_count", "offer_count")
    }
    stock = dict(
        Offer.objects.filter(product_id__in=product_ids, is_active=True)
        .values("product_id")
        .annotate(total=Sum("stock_quantity"))
        .values_list("product_id", "total")
    )
    documents = []
    for product in products:
        values = list(product.attribute_values.all())
        variants = list(product.variants.all())
        codes = [variant.gtin for variant in variants if variant.gtin]
        for variant in variants:
            if variant.mpn:
                codes += [variant.mpn, _NOT_ALPHANUMERIC.sub("", variant.mpn)]
        categories = _category_names(product.category)
        seller_count, offer_count = counts.get(product.id, (0, 0))
        document = SearchDocument(
            product_id=product.id,
            name_terms=document_text([product.name_ru, product.name_en]),
            brand_terms=document_text([product.brand]),
            category_terms=document_text(categories),
            attribute_terms=document_text(
                [text for value in values for text in (value.value_ru, value.value_en)]
            ),
            code_terms=document_text(codes),
            text_ru=" ".join(
                [product.name_ru, product.brand, *categories[0::2]]
                + [value.value_ru for value in values]
            ),
            text_en=" ".join(
                [product.name_en, product.brand, *categories[1::2]]
                + [value.value_en for value in values]
            ),
            boost=popularity_boost(
                seller_count=seller_count,
                offer_count=offer_count,
                stock_quantity=stock.get(product.id) or 0,
            ),
        )
        row = DocumentRow(
            product_id=product.id,
            name_terms=document.name_terms,
            brand_terms=document.brand_terms,
            category_terms=document.category_terms,
            attribute_terms=document.attribute_terms,
            code_terms=document.code_terms,
        )
        documents.append((document, row))
    return documents


def _lexemes(rows: Iterable[DocumentRow]) -> set[str]:
    return {
        lexeme
        for row in rows
        for text in (
            row.name_terms,
            row.brand_terms,
            row.category_terms,
            row.attribute_terms,
            row.code_terms,
        )
        for lexeme in text.split()
    }


@transaction.atomic
def index_products(*, product_ids: Sequence[int]) -> set[str]:
    """Replace the search documents of these products (a product that no longer exists
    loses its document); the lexemes indexed are returned. Running it twice changes nothing
    the second time."""
    ids = sorted(set(product_ids))
    # Two workers indexing one product at once would both delete and then both insert its
    # document (a unique-key failure): the products' row locks, taken in id order, queue
    # them instead.
    list(Product.objects.select_for_update().filter(id__in=ids).order_by("id").values_list("id"))
    backend = get_backend()
    documents = _documents(ids)
    rows = [row for _document, row in documents]
    SearchDocument.objects.filter(product_id__in=ids).delete()
    SearchDocument.objects.bulk_create([document for document, _row in documents])
    backend.write_documents(product_ids=ids, rows=rows)
    lexemes = _lexemes(rows)
    backend.add_terms(lexemes)
    # The autocomplete's phrases follow the same products (search.phrases).
    index_phrases(product_ids=ids)
    return lexemes


def refresh_listings(*, product_ids: Sequence[int]) -> None:
    """What the listing rows of these products say now (buyable, price, facet keys) reaches
    the engine at once, ahead of the documents' reindexing: a product sold out or hidden
    leaves search results when its change commits, not when the task queue gets to it."""
    get_backend().refresh_listings(product_ids)


def index_product(*, product_id: int) -> None:
    index_products(product_ids=[product_id])


CATCH_UP_LIMIT = 200


def index_new_products(*, limit: int = CATCH_UP_LIMIT) -> int:
    """Index the products created after the newest indexed one (two indexed MAX look-ups
    when there are none): the test suite's stand-in for the on-commit reindexing, see
    SEARCH_CATCH_UP_ON_QUERY."""
    newest = SearchDocument.objects.aggregate(newest=Max("product_id"))["newest"] or 0
    if (Product.objects.aggregate(newest=Max("id"))["newest"] or 0) <= newest:
        return 0
    ids = list(
        Product.objects.filter(id__gt=newest).order_by("id").values_list("id", flat=True)[:limit]
    )
    index_products(product_ids=ids)
    return len(ids)


def rebuild_index(*, batch_size: int = REBUILD_BATCH_SIZE, progress: Progress | None = None) -> int:
    """Reindex every product in batches (each its own transaction, so searches keep working
    during a rebuild), then forget vocabulary and engine rows nothing uses any more.
    Returns the number of products indexed."""
    product_ids = list(Product.objects.order_by("id").values_list("id", flat=True))
    total = len(product_ids)
    seen: set[str] = set()
    done = 0
    if progress:
        progress(0, total)
    for start in range(0, total, batch_size):
        batch = product_ids[start : start + batch_size]
        seen |= index_products(product_ids=batch)
        done += len(batch)
        if progress:
            progress(done, total)
    _forget_stale(seen=seen)
    get_backend().reorder()
    return total


@transaction.atomic
def _forget_stale(*, seen: set[str]) -> None:
    stale = sorted(set(SearchTerm.objects.values_list("term", flat=True)) - seen)
    for start in range(0, len(stale), REBUILD_BATCH_SIZE):
        chunk = stale[start : start + REBUILD_BATCH_SIZE]
        SearchTermDelete.objects.filter(term__in=chunk).delete()
        SearchTerm.objects.filter(term__in=chunk).delete()
    # NOT EXISTS, not NOT IN: PostgreSQL makes it an anti-join; NOT IN over 300,000 ids
    # rescanned the product list for every document (about 80 minutes).
    SearchDocument.objects.filter(
        ~Exists(Product.objects.filter(id=OuterRef("product_id")))
    ).delete()
    get_backend().prune()
    recount_phrases()
