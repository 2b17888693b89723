"""sitemap.xml: the home page, every category and every product a buyer can buy, each with
the time what it shows last changed (docs/decisions/0013-rough-edges.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from caravan.catalog.models import Category
from caravan.catalog.selectors import list_category_tree
from caravan.offers.selectors import (
    ProductPage,
    last_modified_by_category,
    list_buyable_product_pages,
)


class HomeSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["storefront:home"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> dt.datetime | None:
        return max(last_modified_by_category().values(), default=None)


class CategorySitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[Category]:
        self._changed = last_modified_by_category()
        self._children: dict[int, list[int]] = {}
        categories: list[Category] = []
        for node in list_category_tree():
            categories.append(node.category)
            categories.extend(node.children)
            self._children[node.category.id] = [child.id for child in node.children]
        return categories

    def location(self, item: Category) -> str:
        return reverse("storefront:category", kwargs={"slug": item.slug})

    def lastmod(self, item: Category) -> dt.datetime | None:
        # A top-level category lists its children's products too.
        ids = [item.id, *self._children.get(item.id, [])]
        return max((self._changed[id_] for id_ in ids if id_ in self._changed), default=None)


class ProductSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"
    priority = 0.6

    def items(self) -> Any:
        return list_buyable_product_pages()

    def location(self, item: ProductPage) -> str:
        if item["product__slug"]:
            return reverse(
                "storefront:product_slug",
                kwargs={"public_id": item["product__public_id"], "slug": item["product__slug"]},
            )
        return reverse("storefront:product", kwargs={"public_id": item["product__public_id"]})

    def lastmod(self, item: ProductPage) -> dt.datetime:
        return item["last_modified"]


SITEMAPS: dict[str, type[Sitemap]] = {  # type: ignore[type-arg]
    "home": HomeSitemap,
    "categories": CategorySitemap,
    "products": ProductSitemap,
}
