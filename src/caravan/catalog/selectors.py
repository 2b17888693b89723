"""Catalog reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound
from caravan.kernel.statements import CompiledReads

from .identifiers import brand_mpn_key, gtin_forms
from .models import (
    Attribute,
    AttributeTranslation,
    AttributeValue,
    AttributeValueTranslation,
    Category,
    CategoryTranslation,
    Product,
    ProductTranslation,
    Variant,
    VariantTranslation,
)
from .translations import (
    CACHE_ATTRIBUTE,
    COLUMN_LANGUAGES,
    attach,
    buyer_language,
    normalise_attribute_value,
)


@dataclass(frozen=True)
class CategoryNode:
    category: Category
    children: list[Category]


def list_category_tree() -> list[CategoryNode]:
    """Top-level categories with their children, in two queries' worth of rows (one query)."""
    categories = list(Category.objects.all())
    attach_category_translations(categories)
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    return [
        CategoryNode(category=category, children=children.get(category.id, []))
        for category in categories
        if category.parent_id is None
    ]


def get_category(*, slug: str) -> Category:
    try:
        return Category.objects.select_related("parent").get(slug=slug)
    except Category.DoesNotExist as error:
        raise NotFound(_("category not found")) from error


def category_with_descendant_ids(*, category: Category) -> list[int]:
    """The category and its children (the tree is two levels deep)."""
    return [category.id, *Category.objects.filter(parent=category).values_list("id", flat=True)]


def list_leaf_categories() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=False).select_related("parent")


def get_product(*, public_id: str, visible_only: bool = True) -> Product:
    """`visible_only`: as buyers see it, approved by moderation and not hidden."""
    products = Product.objects.select_related("category", "category__parent").prefetch_related(
        "images",
        Prefetch(
            "attribute_values",
            queryset=AttributeValue.objects.select_related("attribute"),
        ),
    )
    if visible_only:
        products = products.filter(is_active=True, is_approved=True)
    try:
        product = products.get(public_id=public_id)
    except Product.DoesNotExist as error:
        raise NotFound(_("product not found")) from error
    attach_product_translations([product])
    attach_attribute_translations(product.attribute_values.all())
    return product


# The product page's version read, one statement per product that this process compiles
# once (ADR 0027): Django's building and compiling of it cost more than its answer.
_version_reads = CompiledReads(Product, limit=4096)


def forget_statements() -> None:
    _version_reads.forget()


def product_version(*, public_id: str) -> tuple[int, datetime] | None:
    """A product visible to buyers: its id and when its catalog entry last changed (every
    catalog service that changes what get_product reads saves the product's `updated_at`),
    or None. What a copy of get_product's answer is kept under."""
    rows = _version_reads.rows(
        public_id,
        lambda: Product.objects.filter(
            public_id=public_id, is_active=True, is_approved=True
        ).values_list("id", "updated_at")[:1],
    )
    return rows[0] if rows else None  # type: ignore[return-value]


def get_variant(*, public_id: str) -> Variant:
    """A variant of a visible product: the catalog is shared, so any seller may look one up."""
    try:
        return Variant.objects.select_related("product").get(
            public_id=public_id, product__is_active=True
        )
    except Variant.DoesNotExist as error:
        raise NotFound(_("variant not found")) from error


def list_attributes() -> QuerySet[Attribute]:
    return Attribute.objects.order_by("code")


def find_variants_by_gtin(*, gtin: str) -> QuerySet[Variant]:
    """Variants carrying this GTIN in any zero padding (an EAN-13 is also a GTIN-14)."""
    if not gtin.strip().isdigit():
        return Variant.objects.none()
    return Variant.objects.filter(gtin__in=gtin_forms(gtin.strip())).select_related("product")


def find_variants_by_brand_mpn(*, brand: str, mpn: str) -> QuerySet[Variant]:
    """Variants with this brand and part number, compared in normal form."""
    key = brand_mpn_key(brand=brand, mpn=mpn)
    if not key:
        return Variant.objects.none()
    return Variant.objects.filter(brand_mpn_key=key).select_related("product")


def attach_product_translations(products: Iterable[Product]) -> None:
    """Give a page of products their translations in one query, so each card's name and
    the product page's text need none of their own (catalog.translations). Their
    categories get theirs too (one more query, only when a category is already loaded)."""
    products = list(products)
    rows = [product for product in products if not hasattr(product, CACHE_ATTRIBUTE)]
    if rows:
        attach(
            rows,
            ProductTranslation.objects.filter(product_id__in=[row.id for row in rows]),
            owner="product",
        )
    categories: list[Category] = []
    for product in products:
        if Product.category.is_cached(product):  # type: ignore[attr-defined]
            category = product.category
            categories.append(category)
            if category.parent_id is not None and Category.parent.is_cached(category):  # type: ignore[attr-defined]
                assert category.parent is not None  # parent_id is set; narrows the type
                categories.append(category.parent)
    attach_category_translations(categories)


def attach_product_names(products: Iterable[Product]) -> None:
    """Give a list of products what their names need in the buyer's language (a cart's lines,
    which show no description): nothing to read in Russian or English, whose names are the
    product's own required columns (translation rows exist only for the other languages,
    catalog.services.set_product_translations), so the checkout pays no query for them."""
    products = list(products)
    if buyer_language() not in COLUMN_LANGUAGES:
        attach_product_translations(products)
        return
    for product in products:
        if not hasattr(product, CACHE_ATTRIBUTE):
            setattr(product, CACHE_ATTRIBUTE, {})


def attach_attribute_translations(values: Iterable[AttributeValue]) -> None:
    """Give attribute values (with their attributes loaded) their translations in the buyer's
    language: two queries in German or Chinese, none in Russian or English, which read the
    rows' own columns (catalog.translations.column_or_shown)."""
    language = buyer_language()
    if language in COLUMN_LANGUAGES:
        return
    values = [value for value in values if not hasattr(value, CACHE_ATTRIBUTE)]
    if not values:
        return
    attach(
        values,
        AttributeValueTranslation.objects.filter(
            attribute_value_id__in=[value.id for value in values], language=language
        ).only("attribute_value_id", "language", "value"),
        owner="attribute_value",
    )
    attributes = {
        value.attribute.id: value.attribute
        for value in values
        if AttributeValue.attribute.is_cached(value)  # type: ignore[attr-defined]
    }
    attach_attribute_names(attributes.values())


def attach_attribute_names(attributes: Iterable[Attribute]) -> None:
    """The operator's attribute names in the buyer's language, one query (none in ru/en)."""
    language = buyer_language()
    rows = [attribute for attribute in attributes if not hasattr(attribute, CACHE_ATTRIBUTE)]
    if language in COLUMN_LANGUAGES or not rows:
        return
    attach(
        rows,
        AttributeTranslation.objects.filter(
            attribute_id__in=[row.id for row in rows], language=language
        ),
        owner="attribute",
    )


def attach_variant_labels(variants: Iterable[Variant]) -> None:
    """The variants' labels in the buyer's language, one query for all of them (none in
    Russian or English: their labels are the variant's own columns)."""
    language = buyer_language()
    rows = [variant for variant in variants if not hasattr(variant, CACHE_ATTRIBUTE)]
    if language in COLUMN_LANGUAGES or not rows:
        return
    attach(
        rows,
        VariantTranslation.objects.filter(
            variant_id__in={row.id for row in rows}, language=language
        ),
        owner="variant",
    )


def attribute_value_labels(*, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The buyer's-language labels of facet values, by (attribute code, normalised English
    value): the translation most sellers gave that value. Empty in Russian and English (the
    facet keys carry those labels). One query."""
    language = buyer_language()
    keys = list(keys)
    if language in COLUMN_LANGUAGES or not keys:
        return {}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for code, value_key, text, count in (
        AttributeValueTranslation.objects.filter(
            language=language,
            attribute__code__in={code for code, _key in keys},
            value_key__in={key for _code, key in keys},
        )
        .values("attribute__code", "value_key", "value")
        .annotate(sellers=Count("id"))
        .values_list("attribute__code", "value_key", "value", "sellers")
    ):
        counts.setdefault((code, value_key), {})[text] = count
    wanted = set(keys)
    return {
        key: min(texts.items(), key=lambda item: (-item[1], item[0]))[0]
        for key, texts in counts.items()
        if key in wanted
    }


def attach_category_translations(categories: Iterable[Category]) -> None:
    """The categories' translated names, one query for all of them."""
    rows = [category for category in categories if not hasattr(category, CACHE_ATTRIBUTE)]
    if rows:
        attach(
            rows,
            CategoryTranslation.objects.filter(category_id__in={row.id for row in rows}),
            owner="category",
        )


def list_product_translations(*, product: Product) -> dict[str, ProductTranslation]:
    """The product's translation rows by language (the seller's translations form)."""
    return {row.language: row for row in ProductTranslation.objects.filter(product=product)}


@dataclass(frozen=True)
class AttributeValueGroup:
    """One value as its seller translates it: the rows of the product that hold the same
    attribute and value (a colour shared by three sizes is translated once)."""

    value_ids: tuple[int, ...]
    attribute: Attribute
    value_ru: str
    value_en: str
    translations: dict[str, str]  # language -> text


def list_attribute_value_groups(*, product: Product) -> list[AttributeValueGroup]:
    """The product's specifications and options, one group per distinct value, in the order
    the product shows them, with their translations (two queries)."""
    values = list(
        AttributeValue.objects.filter(product=product)
        .select_related("attribute")
        .prefetch_related("translations")
        .order_by("variant_id", "position", "id")
    )
    groups: dict[tuple[int, str], list[AttributeValue]] = {}
    for value in sorted(values, key=lambda value: value.variant_id is not None):
        key = (value.attribute_id, normalise_attribute_value(value.value_en))
        groups.setdefault(key, []).append(value)
    return [
        AttributeValueGroup(
            value_ids=tuple(value.id for value in rows),
            attribute=rows[0].attribute,
            value_ru=rows[0].value_ru,
            value_en=rows[0].value_en,
            translations={t.language: t.value for t in rows[0].translations.all()},
        )
        for rows in groups.values()
    ]
