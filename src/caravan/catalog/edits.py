"""Announcements of edits made outside the catalog's services (the operator's admin):
what buyers see of the products is projected again after the commit (ADR 0007)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from caravan.kernel.clock import now
from caravan.kernel.events import publish

from .events import ProductsChanged
from .models import Category, Product


@transaction.atomic
def announce_products_edited(*, product_ids: Iterable[int]) -> None:
    """An edit made outside the services (the operator's admin): the products' versions move,
    so the product page's catalog entry is read again (storefront.memo), and the listing
    read model projects them after the commit (ProductsChanged, ADR 0007). Products deleted
    meanwhile are only announced: the projection drops their rows."""
    ids = tuple(sorted(set(product_ids)))
    if not ids:
        return
    Product.objects.filter(id__in=ids).update(updated_at=now())
    publish(ProductsChanged(product_ids=ids))


@transaction.atomic
def announce_category_renamed(*, category_ids: Iterable[int]) -> None:
    """A category's name changed in some language: its products' and its subcategories'
    products' search documents hold its names (and their parents'), so they are projected
    again after the commit (ProductsChanged, ADR 0007)."""
    ids = set(category_ids)
    ids |= set(Category.objects.filter(parent_id__in=ids).values_list("id", flat=True))
    products = tuple(
        Product.objects.filter(category_id__in=ids).order_by("id").values_list("id", flat=True)
    )
    if products:
        publish(ProductsChanged(product_ids=products))
