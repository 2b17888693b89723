"""Content-Security-Policy in enforcement mode, and pages that need nothing it forbids."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from caravan.kernel.content_security import ContentSecurityPolicyMiddleware
from caravan.seller_portal.tests.portal_helpers import owner_of
from tests.factories import fill_cart, make_user

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


def inline_script_attributes(page: str) -> list[str]:
    """Script elements that run inline code without a nonce (JSON data blocks do not run)."""
    return [
        attributes
        for attributes in SCRIPT_TAG.findall(page)
        if "src=" not in attributes
        and "nonce=" not in attributes
        and 'type="application/json"' not in attributes
    ]


def assert_enforced_and_clean(response) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    assert "Content-Security-Policy-Report-Only" not in response
    assert inline_script_attributes(page) == []
    assert INLINE_HANDLER.findall(page) == []
    assert STYLE_ATTRIBUTE.findall(page) == []
    assert "<style" not in page


def test_the_checker_finds_inline_code_and_passes_script_files():
    # given a page with a script file, a JSON block, an inline script, a handler and a style
    page = (
        '<script src="/static/a.js" defer></script>'
        '<script type="application/json" id="data">{}</script>'
        "<script>alert(1)</script>"
        '<button onclick="go()">Go</button><p style="color:red">x</p>'
    )
    # when it is checked
    # then the inline script, the handler and the style attribute are found, nothing else
    assert inline_script_attributes(page) == [""]
    assert len(INLINE_HANDLER.findall(page)) == 1
    assert len(STYLE_ATTRIBUTE.findall(page)) == 1


@pytest.mark.parametrize(
    "path",
    ["/", "/search/?q=headphones", "/account/login/", "/account/register/", "/cart/"],
)
def test_storefront_pages_enforce_the_policy_and_hold_no_inline_code(client, market, path):
    # given the market
    # when an anonymous visitor opens a storefront page
    response = client.get(path)
    # then the policy is enforced and the page needs nothing it forbids
    assert_enforced_and_clean(response)


def test_product_and_category_pages_enforce_the_policy(client, market):
    # given the market's product and its category
    product = market.product
    # when their pages are shown
    pages = [
        client.get(f"/p/{product.public_id}/{product.slug}/"),
        client.get(f"/c/{product.category.slug}/"),
    ]
    # then each enforces the policy and holds no inline code
    for response in pages:
        assert_enforced_and_clean(response)


def test_the_buyers_checkout_enforces_the_policy(client, market):
    # given a signed-in buyer with a cart
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    client.force_login(market.buyer)
    # when the checkout is shown
    response = client.get("/checkout/")
    # then it enforces the policy and holds no inline code
    assert_enforced_and_clean(response)


def test_seller_portal_pages_enforce_the_policy(client, market):
    # given a seller's owner
    client.force_login(owner_of(market.seller_ru))
    # when portal pages are shown
    for path in ["/seller/", "/seller/orders/", "/seller/offers/"]:
        # then each enforces the policy and holds no inline code
        assert_enforced_and_clean(client.get(path))


def test_back_office_pages_enforce_the_policy(client, market):
    # given an operator
    operator = make_user(email="operator@example.com")
    operator.is_staff = True
    operator.is_superuser = True
    operator.save()
    client.force_login(operator)
    # when the back office's overview is shown
    response = client.get("/backoffice/")
    # then it enforces the policy and holds no inline code
    assert_enforced_and_clean(response)


def test_the_api_answers_with_the_policy_too(client, market):
    # given the market
    # when the API is asked for the categories
    response = client.get("/api/v1/categories")
    # then its answer carries the policy
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY


def test_a_response_with_its_own_policy_keeps_it():
    # given a view that sets a stricter policy of its own (a sandboxed frame)
    def sandboxed_view(request):
        response = HttpResponse("<p>mail</p>")
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

    middleware = ContentSecurityPolicyMiddleware(sandboxed_view)
    # when the middleware answers through it
    response = middleware(RequestFactory().get("/account/messages/x/html/"))
    # then the view's own policy is kept
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
