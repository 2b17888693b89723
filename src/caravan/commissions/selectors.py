"""Reads of commission rules for the back office."""

from __future__ import annotations

from django.db.models import QuerySet

from caravan.sellers.models import Seller

from .book import CommissionBook, FrozenCommission, load_commission_book
from .models import CommissionRule

__all__ = ["CommissionBook", "FrozenCommission", "list_rules", "load_commission_book"]


def list_rules(
    *, seller: Seller | None = None, include_inactive: bool = False
) -> QuerySet[CommissionRule]:
    """Rules with their category and seller, marketplace-wide ones first.

    With `seller`, only that seller's overrides."""
    rules = CommissionRule.objects.select_related("category", "seller").order_by(
        "seller__name", "seller_id", "category__slug", "category_id", "-is_active", "id"
    )
    if seller is not None:
        rules = rules.filter(seller=seller)
    if not include_inactive:
        rules = rules.filter(is_active=True)
    return rules
