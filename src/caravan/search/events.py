"""Events the search app publishes for the layers above it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListingChanged:
    """A product's listing row changed and its new version is committed (ADR 0007).
    `listing_changed`: its card, sort or facet content changed, not only its product page.
    Published once per changed product, after the projection's transaction commits."""

    product_id: int
    product_public_id: str
    category_id: int | None
    version: int
    listing_changed: bool
    # Whether listings show the product now (its row's `is_buyable`), and its category's
    # parent: what a listener needs to tell which listings it entered or left, unread.
    is_listed: bool = False
    parent_category_id: int | None = None
