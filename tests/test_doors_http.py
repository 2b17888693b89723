"""HEAD wherever GET is, and the site's own 404 and 500 pages (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.views.defaults import server_error

from caravan.kernel.middleware import HeadAsGetMiddleware
from caravan.seller_portal.tests.portal_helpers import owner_of

pytestmark = pytest.mark.django_db


def sample_pages(market) -> list[str]:
    return [
        "/",
        f"/p/{market.product.public_id}/",
        f"/c/{market.product.category.slug}/",
        "/search/?q=headphones",
        "/account/login/",
        "/account/register/",
        "/cart/",
        "/api/v1/categories",
        f"/api/v1/products/{market.product.public_id}",
    ]


def test_head_is_answered_like_get_on_storefront_and_api_pages(client, market):
    pages = sample_pages(market)

    answers = {url: (client.get(url), client.head(url)) for url in pages}

    assert {url: head.status_code for url, (_get, head) in answers.items()} == dict.fromkeys(
        pages, 200
    )
    assert {url: head["Content-Type"] for url, (_get, head) in answers.items()} == {
        url: get["Content-Type"] for url, (get, _head) in answers.items()
    }


def test_head_is_answered_on_the_seller_portal(client, market):
    client.force_login(owner_of(market.seller_ru))

    portal = client.head("/seller/orders/")

    assert portal.status_code == 200


def test_head_on_a_cached_page_is_answered_from_the_cache_and_leaves_get_whole(
    client, market, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "head-tests",
        },
    }
    from django.core.cache import cache

    cache.clear()
    url = f"/p/{market.product.public_id}/"

    first_head = client.head(url)
    get = client.get(url)
    second_head = client.head(url)

    assert (first_head.status_code, get.status_code, second_head.status_code) == (200, 200, 200)
    assert b"Wireless Headphones" in get.content


def test_the_middleware_drops_the_body_and_keeps_the_length():
    def view(request):
        assert request.method == "GET"
        response = HttpResponse(b"<html>page</html>")
        response["Content-Length"] = "17"
        return response

    request = RequestFactory().head("/")

    response = HeadAsGetMiddleware(view)(request)

    assert (response.status_code, response.content, response["Content-Length"]) == (200, b"", "17")
    assert request.method == "HEAD"


def test_the_middleware_closes_a_stream_without_reading_it():
    produced = []

    def rows():
        produced.append("read")
        yield b"a,b\n"

    request = RequestFactory().head("/export.csv")

    response = HeadAsGetMiddleware(lambda _request: StreamingHttpResponse(rows()))(request)

    assert b"".join(response.streaming_content) == b""
    assert produced == []


def test_an_unknown_product_shows_the_sites_own_404_page(client, db):
    response = client.get("/p/NO-SUCH-PRODUCT/")

    assert response.status_code == 404
    assert b'data-testid="not-found"' in response.content
    assert b"We cannot find this page" in response.content
    assert b'class="site-header"' in response.content


def test_the_500_page_is_the_sites_own_and_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b'data-testid="server-error"' in response.content
    assert b"/static/caravan/css/caravan.css" in response.content


def test_the_demo_settings_keep_debug_off_unless_asked():
    environment = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    code = "import caravan.config.settings.dev as s; print(s.DEBUG)"

    default = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    asked = subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert (default.stdout, asked.stdout) == ("False\n", "True\n")
