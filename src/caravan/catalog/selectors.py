"""Catalog reads."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound

from .identifiers import brand_mpn_key, gtin_forms
from .models import Attribute, AttributeValue, Category, Product, Variant


@dataclass(frozen=True)
class CategoryNode:
    category: Category
    children: list[Category]


def list_category_tree() -> list[CategoryNode]:
    """Top-level categories with their children, in two queries' worth of rows (one query)."""
    categories = list(Category.objects.all())
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
        return products.get(public_id=public_id)
    except Product.DoesNotExist as error:
        raise NotFound(_("product not found")) from error


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
