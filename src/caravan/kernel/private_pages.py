"""Pages that belong to one visitor (cart, checkout, account, orders, the seller portal, the
back office, the admin, the API) are kept out of search engines and out of compression.

They answer `X-Robots-Tag: noindex` (a header rather than a meta tag, so no template needs
to remember it, and robots.txt leaves them crawlable so the header is read). They are never
gzipped: they mix the visitor's secrets (addresses, bank details, emails) with input an
attacker can reflect into the same response, which is what BREACH needs. Public pages are
compressed; Django's GZipMiddleware pads each response with random bytes and CSRF tokens are
masked per response, the remaining BREACH mitigations (docs/decisions/0013-rough-edges.md).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


def is_private_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in settings.PUBLIC_VIEW_NAMES:
        return False
    return request.path_info.startswith(tuple(settings.PRIVATE_PATH_PREFIXES))


class NoIndexMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_private_page(request):
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if is_private_page(request):
            return response
        return super().process_response(request, response)
