"""Catalog reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound

from .identifiers import brand_mpn_key, gtin_forms
from .models import (
    Attribute,
    AttributeValue,
    Category,
    CategoryTranslation,
    Product,
    ProductTranslation,
    Variant,
)
from .translations import CACHE_ATTRIBUTE, COLUMN_LANGUAGES, attach, buyer_language


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
    return product


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
