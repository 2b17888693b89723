from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from caravan.catalog.selectors import list_category_tree

CART_COUNT_SESSION_KEY = "cart_count"


def storefront(request: HttpRequest) -> dict[str, Any]:
    """Lazy: the category tree is only queried by pages that render the menu."""
    return {
        "cart_count": request.session.get(CART_COUNT_SESSION_KEY, 0)
        if hasattr(request, "session")
        else 0,
        "category_tree": SimpleLazyObject(list_category_tree),
    }
