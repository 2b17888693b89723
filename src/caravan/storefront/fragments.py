"""A listing's filters box, rendered once per distinct content.

The box (every facet with its counts and links) is the costliest part of a listing's
template after the cards. Its HTML follows from the facet groups, the query string without
the page number, the category, the language and the currency, so it is stored under a digest
of exactly those: the next page of the same listing, the same listing re-rendered after a
card changed, or another visitor's copy reuse it, and a new count makes a new digest (never a
stale box).
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .page_cache import PAGE_TTL_SECONDS, card_caching_enabled

FILTERS_TEMPLATE = "storefront/_filters.html"
# What the box's template reads besides the request's query string.
FILTERS_CONTEXT = (
    "place",
    "query",
    "form",
    "errors",
    "facet_groups",
    "chosen",
    "currency_symbol",
    "delivery_filter",
)


def render_filters(request: HttpRequest, context: dict[str, Any]) -> SafeString:
    values = {name: context[name] for name in FILTERS_CONTEXT}
    if not card_caching_enabled():
        return _render(request, values)
    params = sorted((name, value) for name, value in request.GET.lists() if name != "page")
    form = values["form"]
    digest = hashlib.blake2b(
        repr(
            (
                get_language(),
                params,
                values["place"].category.id if values["place"] else None,
                dataclasses.replace(values["query"], page=1),
                [(name, form[name].value()) for name in ("price_min", "price_max")],
                values["errors"],
                values["facet_groups"],
                values["chosen"],
                values["currency_symbol"],
                values["delivery_filter"],
            )
        ).encode(),
        digest_size=20,
    ).hexdigest()
    key = f"storefront:filters:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(_render(request, values))
        cache.set(key, html, timeout=PAGE_TTL_SECONDS)
    return mark_safe(html)


def _render(request: HttpRequest, values: dict[str, Any]) -> SafeString:
    # {% querystring %} reads the request's query string.
    return mark_safe(get_template(FILTERS_TEMPLATE).render(values, request))
