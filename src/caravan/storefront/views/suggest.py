"""The search box's suggestions as the buyer types (htmx fills the header's dropdown)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from caravan.search.analysis import MAX_QUERY_LENGTH
from caravan.search.suggest import suggest as suggest_for

# A browser answering a repeated keystroke (backspace, retyping) from its own cache.
BROWSER_CACHE_SECONDS = 60


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """An empty body when there is nothing to offer, so the dropdown closes."""
    suggestions = suggest_for(request.GET.get("q", "")[:MAX_QUERY_LENGTH])
    if suggestions:
        response = render(request, "storefront/_suggestions.html", {"suggestions": suggestions})
    else:
        response = HttpResponse("")
    # Nothing in it depends on who asks, only on the words and the language (a cookie).
    patch_cache_control(response, private=True, max_age=BROWSER_CACHE_SECONDS)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response
