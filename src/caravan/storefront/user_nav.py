"""The header's account area, the one part of a cached page rendered for each visitor.

Its template is rendered once per shape (language, buyer currency, signed in or not, seller
or not, the currency menu) in each process, with markers where the visitor's own values go
(the page's address, the cart count; the CSRF token is the page cache's marker), so a
visitor's header costs a few string replacements instead of a template render.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.translation import get_language

from caravan.kernel.countries import COUNTRY_CHOICES

from .context_processors import cart_count, currency_choices, is_seller
from .currency import buyer_country, buyer_currency
from .page_cache import CSRF_MARKER

PATH_MARKER = "caravan-path-marker-41c2"
COUNT_MARKER = "caravan-count-marker-9d07"

_shapes: dict[tuple[object, ...], str] = {}


class _Visitor:
    """What the template asks of the request and the user, with markers for the values."""

    def __init__(self, *, authenticated: bool) -> None:
        self.is_authenticated = authenticated

    @staticmethod
    def get_full_path() -> str:
        return PATH_MARKER


def render_user_nav(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    seller = is_seller(request) if authenticated else False
    currency = buyer_currency(request)
    country = buyer_country(request)
    shape = (
        get_language(),
        currency,
        country,
        authenticated,
        seller,
        tuple(settings.BUYER_CURRENCIES),
    )
    html = _shapes.get(shape)
    if html is None:
        visitor = _Visitor(authenticated=authenticated)
        html = get_template("_user_nav.html").render(
            {
                "request": visitor,
                "user": visitor,
                "csrf_token": CSRF_MARKER,
                "cart_count": COUNT_MARKER,
                "is_seller": seller,
                "buyer_currency": currency,
                "buyer_currencies": currency_choices(),
                "buyer_country": country,
                "buyer_countries": COUNTRY_CHOICES,
            }
        )
        _shapes[shape] = html
    return html.replace(PATH_MARKER, escape(request.get_full_path())).replace(
        COUNT_MARKER, str(cart_count(request))
    )
