"""The per-visitor header of a cached page: the same HTML as the template renders for the
visitor, from a shape rendered once."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from caravan.storefront.page_cache import CSRF_MARKER
from caravan.storefront.user_nav import render_user_nav

pytestmark = pytest.mark.django_db


def visit(path, *, user, session_values):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request.session.update(session_values)
    return request


def template_nav(request):
    """The template rendered for the request, with the page cache's marker for its token."""
    return render_to_string("_user_nav.html", {"csrf_token": CSRF_MARKER}, request=request)


def test_an_anonymous_visitors_header_matches_the_template_with_their_own_address():
    request = visit("/search/?q=a&sort=price", user=AnonymousUser(), session_values={})

    nav = render_user_nav(request)

    assert nav == template_nav(request)
    assert 'name="next" type="hidden" value="/search/?q=a&amp;sort=price"' in nav
    assert 'id="cart-count">0<' in nav


def test_a_signed_in_sellers_header_matches_the_template_in_russian(market):
    session_values = {"cart_count": 4, "is_seller": True, "buyer_currency": "EUR"}
    request = visit("/c/phones/", user=market.buyer, session_values=session_values)

    with translation.override("ru"):
        nav = render_user_nav(request)
        expected = template_nav(request)

    assert nav == expected
    assert "Выйти" in nav
    assert 'id="cart-count">4<' in nav
    assert 'value="EUR" class="currency is-current"' in nav


def test_a_page_renders_the_visitors_header_with_their_own_token():
    request = visit("/c/phones/", user=AnonymousUser(), session_values={})

    html = render_to_string("404.html", {}, request=request)

    assert CSRF_MARKER not in html
    assert 'name="next" type="hidden" value="/c/phones/"' in html


def test_a_page_rendered_without_a_request_still_has_its_header():
    html = render_to_string("404.html", {})

    assert 'data-testid="cart-link"' in html
