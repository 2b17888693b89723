"""The listing read model's one writer (ADR 0007).

`project_listings` makes a product's listing row (search.listing_rows), its search document
and its engine rows (FTS5 on SQLite, the match table on PostgreSQL) say what the product's
offers, catalog entry and sellers say now. It upserts every table, never deletes and
re-inserts, and takes the listing rows' locks in product id order first, so two runs for one
product (a retried task, two checkouts' tasks) queue on the lock and the second reads what
the first committed: safe twice, concurrently and out of order. A row's `version` moves only
when its content does; each moved row is announced with ListingChanged after the commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Sum
from django.utils import timezone

from caravan.catalog.models import AttributeValueTranslation, Category, Product, Variant
from caravan.fx.services import base_currency, latest_rates
from caravan.kernel.events import publish
from caravan.offers.buybox import default_destination, list_live_offers_by_product, quote_offers
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.shipping.quotes import shipping_countries

from .analysis import document_text
from .backends import DocumentRow, get_backend, popularity_boost
from .events import ListingChanged
from .listing_rows import (
    LISTING_FIELDS,
    PRODUCT_FIELDS,
    CatalogFacts,
    ShippingFacts,
    detail_facts,
    digest,
    listing_fields,
)
from .models import DOCUMENT_FIELD_COLUMNS, SearchDocument
from .phrases import carry_phrases

# Products per transaction and round of queries: small enough that the rows being built
# stay a few MiB, so a bulk import's memory stays flat, and that the locks are held briefly.
PROJECTION_BATCH_SIZE = 200
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_DOCUMENT_WRITTEN = (*DOCUMENT_FIELD_COLUMNS, "text_ru", "text_en", "boost", "indexed_at")
_TEXT_COLUMNS = len(_DOCUMENT_WRITTEN) - 2


def project_listings(*, product_ids: Iterable[int], force: bool = False) -> list[ListingChanged]:
    """Bring these products' listing rows, documents and engine rows up to date, in batches
    of PROJECTION_BATCH_SIZE (each its own transaction). A product that no longer exists
    loses its engine rows. `force` rewrites rows whose content did not change (a rebuild
    after the engine's tables were emptied). Returns what changed, as announced."""
    ids = sorted(set(product_ids))
    changes: list[ListingChanged] = []
    for start in range(0, len(ids), PROJECTION_BATCH_SIZE):
        changes += _project_batch(ids[start : start + PROJECTION_BATCH_SIZE], force=force)
    return changes


def indexed_lexemes(*, product_ids: Sequence[int]) -> set[str]:
    """The lexemes these products' documents hold (what a rebuild keeps in the vocabulary)."""
    lexemes: set[str] = set()
    for values in SearchDocument.objects.filter(product_id__in=product_ids).values_list(
        *DOCUMENT_FIELD_COLUMNS
    ):
        for text in values:
            lexemes.update(text.split())
    return lexemes


@transaction.atomic
def _project_batch(ids: list[int], *, force: bool) -> list[ListingChanged]:
    products = {
        product.id: product
        for product in Product.objects.only(*PRODUCT_FIELDS).filter(id__in=ids).order_by("id")
    }
    present = sorted(products)
    backend = get_backend()
    missing = sorted(set(ids) - products.keys())
    if not present:
        backend.write_documents(product_ids=missing, rows=[])
        return []
    # A product's first projection inserts its row (a concurrent one waits and does
    # nothing); every row is then locked, in id order, before anything is read.
    ProductOfferSummary.objects.bulk_create(
        [
            ProductOfferSummary(
                product_id=product.id,
                category_id=product.category_id,
                product_created_at=product.created_at,
            )
            for product in products.values()
        ],
        ignore_conflicts=True,
    )
    rows = {
        row.product_id: row
        for row in ProductOfferSummary.objects.select_for_update()
        .filter(product_id__in=present)
        .order_by("product_id")
    }
    rates = latest_rates(quote=base_currency())
    offers = list_live_offers_by_product(product_ids=present, products=products)
    every_offer = [offer for rows in offers.values() for offer in rows]
    # Four queries for the batch: each offer quoted to the marketplace's country (zones,
    # bands) and where each seller delivers (zones, rated zones).
    shipping = ShippingFacts(
        quotes=quote_offers(offers=every_offer, destination=default_destination()),
        ships_to=shipping_countries(seller_ids={offer.seller_id for offer in every_offer}),
    )
    facts = CatalogFacts.load(present)
    listings = {
        product_id: listing_fields(
            product=products[product_id],
            offers=offers.get(product_id, []),
            shipping=shipping,
            rates=rates,
            facts=facts,
        )
        for product_id in present
    }
    documents = _documents(products, facts=facts, listings=listings)
    stored = _stored_documents(present)
    changed: list[tuple[ProductOfferSummary, bool]] = []
    moved: set[int] = set()
    for product_id in present:
        row, fields = rows[product_id], listings[product_id]
        document, _document_row = documents[product_id]
        document_values = _document_values(document)
        detail = digest(
            (
                detail_facts(
                    product=products[product_id],
                    offers=offers.get(product_id, []),
                    shipping=shipping,
                ),
                document_values,
            )
        )
        listing_changed = row.card_signature != fields["card_signature"]
        content_changed = listing_changed or row.detail_signature != detail
        if not (force or content_changed):
            continue
        for name, value in fields.items():
            setattr(row, name, value)
        row.detail_signature = detail
        if content_changed:
            row.version += 1
            moved.add(product_id)
        changed.append((row, listing_changed))
    _write(
        changed=changed,
        documents=documents,
        stored=stored,
        missing=missing,
        force=force,
        phrases=PhraseFacts(products=products, categories=facts.categories),
    )
    events = [
        ListingChanged(
            product_id=row.product_id,
            product_public_id=products[row.product_id].public_id,
            category_id=row.category_id,
            version=row.version,
            listing_changed=listing_changed,
            is_listed=row.is_buyable,
            parent_category_id=_parent_id(row.category_id, facts.categories),
        )
        for row, listing_changed in changed
        if row.product_id in moved
    ]
    if events:
        transaction.on_commit(partial(_announce, events))
    return events


@dataclass(frozen=True)
class PhraseFacts:
    """What the autocomplete's phrases are made from, read by the batch already."""

    products: dict[int, Product]
    categories: dict[int, Category]


def _write(
    *,
    changed: list[tuple[ProductOfferSummary, bool]],
    documents: dict[int, tuple[SearchDocument, DocumentRow]],
    stored: dict[int, tuple[object, ...]],
    missing: list[int],
    force: bool,
    phrases: PhraseFacts,
) -> None:
    engine = get_backend()
    rows = [row for row, _listing_changed in changed]
    _update_rows(rows)
    written = [row.product_id for row in rows]
    # A price or stock change leaves a document's text as it was (its boost too, unless the
    # counts or the stock depth moved): only the documents that differ are written, and
    # only new text can bring new words to the vocabulary.
    rewritten = [
        product_id
        for product_id in written
        if force or stored.get(product_id) != _document_values(documents[product_id][0])
    ]
    retexted = {
        product_id
        for product_id in rewritten
        if force
        or (previous := stored.get(product_id)) is None
        or previous[:_TEXT_COLUMNS] != _document_values(documents[product_id][0])[:_TEXT_COLUMNS]
    }
    now = timezone.now()
    new_documents = [documents[product_id][0] for product_id in rewritten]
    for document in new_documents:
        document.indexed_at = now
    if new_documents:
        SearchDocument.objects.bulk_create(
            new_documents,
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=list(_DOCUMENT_WRITTEN),
        )
    # The engine's rows copy the listing columns too (PostgreSQL's match table): every
    # written row's.
    document_rows = [documents[product_id][1] for product_id in written]
    engine.write_documents(product_ids=sorted([*written, *missing]), rows=document_rows)
    engine.add_terms(
        {
            lexeme
            for row in document_rows
            if row.product_id in retexted
            for text in (
                row.name_terms,
                row.brand_terms,
                row.category_terms,
                row.attribute_terms,
                row.code_terms,
            )
            for lexeme in text.split()
        }
    )
    # The autocomplete's phrases follow the same products (search.phrases).
    if written:
        carry_phrases(
            product_ids=written,
            buyable=[phrases.products[row.product_id] for row in rows if row.is_buyable],
            categories=phrases.categories,
        )


def _update_rows(rows: list[ProductOfferSummary]) -> None:
    """One UPDATE per row, sent as one executemany: the rows are locked and their values
    known, and bulk_update's CASE per column and row cost seconds of Python per batch."""
    if not rows:
        return
    meta = ProductOfferSummary._meta
    fields = [
        field
        for name in (*LISTING_FIELDS, "detail_signature", "version")
        if isinstance(field := meta.get_field(name), Field)
    ]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote('product_id')} = %s",
            [
                [
                    *(
                        field.get_db_prep_save(getattr(row, field.attname), connection)
                        for field in fields
                    ),
                    row.pk,
                ]
                for row in rows
            ],
        )


def _parent_id(category_id: int | None, categories: dict[int, Category]) -> int | None:
    category = categories.get(category_id) if category_id is not None else None
    return category.parent_id if category is not None else None


def _announce(events: list[ListingChanged]) -> None:
    for event in events:
        publish(event)


def _category_names(category: Category, categories: dict[int, Category]) -> list[str]:
    names = [category.name_ru, category.name_en]
    parent = categories.get(category.parent_id) if category.parent_id else None
    if parent is not None:
        names += [parent.name_ru, parent.name_en]
    return names


def _translated_category_names(category_id: int, facts: CatalogFacts) -> list[str]:
    """The category's and its parent's names in the languages beyond the two columns."""
    parent = facts.categories[category_id].parent_id
    return [
        *facts.category_translations.get(category_id, []),
        *(facts.category_translations.get(parent, []) if parent else []),
    ]


def _document_values(document: SearchDocument) -> tuple[object, ...]:
    """What a document holds, in _DOCUMENT_WRITTEN's order without indexed_at: its text
    columns (the first _TEXT_COLUMNS), then its boost."""
    return tuple(getattr(document, name) for name in _DOCUMENT_WRITTEN[:-1])


def _stored_documents(product_ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
    """The documents as stored, read under the listing rows' locks (their one writer)."""
    return {
        product_id: tuple(values)
        for product_id, *values in SearchDocument.objects.filter(
            product_id__in=product_ids
        ).values_list("product_id", *_DOCUMENT_WRITTEN[:-1])
    }


def _documents(
    products: dict[int, Product], *, facts: CatalogFacts, listings: dict[int, dict[str, Any]]
) -> dict[int, tuple[SearchDocument, DocumentRow]]:
    """The search documents of these products, their boost from the new listing rows: from
    the batch's products and catalog facts, and three queries (variant codes, the sellers'
    translated attribute values, stock)."""
    product_ids = sorted(products)
    variants: dict[int, list[tuple[str, str]]] = {}
    for product_id, gtin, mpn in (
        Variant.objects.filter(product_id__in=product_ids)
        .order_by("product_id", "position", "id")
        .values_list("product_id", "gtin", "mpn")
    ):
        variants.setdefault(product_id, []).append((gtin, mpn))
    translated: dict[int, list[str]] = {}
    for value_id, text in (
        AttributeValueTranslation.objects.filter(attribute_value__product_id__in=product_ids)
        .order_by("language", "id")
        .values_list("attribute_value_id", "value")
    ):
        translated.setdefault(value_id, []).append(text)
    stock = dict(
        Offer.objects.filter(product_id__in=product_ids, is_active=True)
        .values("product_id")
        .annotate(total=Sum("stock_quantity"))
        .values_list("product_id", "total")
    )
    documents: dict[int, tuple[SearchDocument, DocumentRow]] = {}
    for product_id in product_ids:
        product = products[product_id]
        values = facts.attributes.get(product_id, [])
        codes = [gtin for gtin, _mpn in variants.get(product_id, []) if gtin]
        for _gtin, mpn in variants.get(product_id, []):
            if mpn:
                codes += [mpn, _NOT_ALPHANUMERIC.sub("", mpn)]
        categories = _category_names(facts.categories[product.category_id], facts.categories)
        listing = listings[product_id]
        document = SearchDocument(
            product_id=product_id,
            # The translated names too: a German query finds a Russian seller's product by
            # its German name, a Chinese query by its Chinese one (as bigrams, search.cjk).
            name_terms=document_text(
                [
                    product.name_ru,
                    product.name_en,
                    *(name for _language, name, _text in facts.translations.get(product_id, [])),
                ]
            ),
            brand_terms=document_text([product.brand]),
            category_terms=document_text(
                categories + _translated_category_names(product.category_id, facts)
            ),
            # The sellers' translated values as well, as names are: "schwarz" finds a
            # Russian seller's black kettle, "黑色" a Chinese buyer's (as bigrams).
            attribute_terms=document_text(
                [
                    text
                    for value, value_id in zip(
                        values, facts.attribute_ids.get(product_id, []), strict=True
                    )
                    for text in (value.value_ru, value.value_en, *translated.get(value_id, []))
                ]
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
                seller_count=listing["seller_count"],
                offer_count=listing["offer_count"],
                stock_quantity=stock.get(product_id) or 0,
            ),
        )
        documents[product_id] = (
            document,
            DocumentRow(
                product_id=product_id,
                name_terms=document.name_terms,
                brand_terms=document.brand_terms,
                category_terms=document.category_terms,
                attribute_terms=document.attribute_terms,
                code_terms=document.code_terms,
            ),
        )
    return documents
