"""Lookups for the order message threads' includes (a dict keyed by seller order)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def for_seller_order(items: dict[str, Any] | None, owner: Any) -> Any:
    """The entry of `items` for this seller order or order (keyed by its public id), or None."""
    if not items:
        return None
    return items.get(owner.public_id)
