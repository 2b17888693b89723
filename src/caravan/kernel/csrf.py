"""One masked CSRF token per response.

Django masks the token afresh on every get_token() call, drawing 32 random characters one
system call at a time. A storefront page prints it in several places rendered apart (the
header's account area, the page's forms, the offer rows kept as fragments), and each
masking cost about 0.05 ms of CPU: the request masks it once, and the template context's
`csrf_token` is the same value."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject

_KEPT = "_caravan_csrf_token"


def page_token(request: HttpRequest) -> str:
    """get_token(request), masked once per request and CSRF secret (a sign-in rotates the
    secret: the token is masked again from the new one)."""
    kept = getattr(request, _KEPT, None)
    secret = request.META.get("CSRF_COOKIE")
    if kept is not None and secret is not None and kept[0] == secret:
        return str(kept[1])
    token = get_token(request)
    setattr(request, _KEPT, (request.META.get("CSRF_COOKIE"), token))
    return token


def csrf(request: HttpRequest) -> dict[str, object]:
    """The template context's `csrf_token` as page_token gives it; it replaces the value of
    Django's built-in csrf processor, which runs first."""
    return {"csrf_token": SimpleLazyObject(lambda: page_token(request))}
