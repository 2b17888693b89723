"""Facts the catalog and the apps above it publish about products (kernel.events)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductsChanged:
    """Something buyers see of these products may have changed (an offer's price, stock or
    state, the product itself, a seller's status or delivery options). Published inside the
    changing transaction, once per service call; the listing read model's dispatcher
    (search.subscribers) projects the products after the commit (ADR 0007)."""

    product_ids: tuple[int, ...]


@dataclass(frozen=True)
class CatalogTextChanged:
    """The operator changed a category's or an attribute's name in some language: every
    page's menu, breadcrumbs and filters may show it (storefront.page_cache refreshes them).
    Published after the commit."""
