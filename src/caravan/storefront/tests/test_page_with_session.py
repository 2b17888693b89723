"""A cached page read with the visitor's session, in its one cache round trip
(page_cache._read_along, accounts.sessions; ADR 0022): the page is taken only when its real
key is the one guessed, so a wrong guess costs the old read and shows the visitor's own page."""

import re
from decimal import Decimal

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.test import Client
from tests.cache_reads import RECORDING_CACHE, ReadsRecordingCache
from tests.factories import PASSWORD, make_user

from caravan.accounts.user_cache import keys_of
from caravan.fx.services import record_rate
from caravan.storefront.page_cache import PAGE_SHAPE_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_cache_and_sessions(settings):
    settings.CACHES = {**settings.CACHES, "default": RECORDING_CACHE}
    settings.USER_CACHE = True
    settings.SESSION_ENGINE = "caravan.accounts.sessions"
    cache.clear()
    ReadsRecordingCache.reads.clear()


def product_url(market):
    return f"/p/{market.product.public_id}/"


def page_reads() -> list[list[str]]:
    return [
        keys for keys in ReadsRecordingCache.reads if any("storefront:page:" in k for k in keys)
    ]


def without_tokens(body: bytes) -> bytes:
    """The page without the visitor's CSRF tokens, masked anew for every response."""
    return re.sub(rb"[A-Za-z0-9]{64}", b"TOKEN", body)


def choose_euros(client, market):
    record_rate(base="CNY", quote="EUR", rate=Decimal("0.125"), source="test")
    record_rate(base="RUB", quote="EUR", rate=Decimal("0.01"), source="test")
    assert client.post("/currency/", {"currency": "EUR", "next": "/"}).status_code == 302


def test_a_signed_in_hit_reads_session_user_and_page_in_one_round_trip(client, market):
    user = make_user()
    client.post("/account/login/", {"username": user.email, "password": PASSWORD})
    assert client.get(product_url(market))["X-Page-Cache"] == "miss"
    ReadsRecordingCache.reads.clear()

    page = client.get(product_url(market))

    session_key = KEY_PREFIX + client.cookies["sessionid"].value
    first, *others = ReadsRecordingCache.reads
    assert page["X-Page-Cache"] == "hit"
    assert first[:3] == [session_key, *keys_of(user.pk)]
    assert [key.split(":")[:5] for key in first[3:]] == [
        ["storefront", "page", "product", "en", "RUB"]
    ]
    # Then only the stamps of what the page shows.
    assert len(others) == 1
    assert all(key.startswith("storefront:changed:") for key in others[0])


def test_a_visitor_in_another_currency_is_told_the_shape_and_then_read_in_one_trip(client, market):
    choose_euros(client, market)

    first = client.get(product_url(market))
    ReadsRecordingCache.reads.clear()
    second = client.get(product_url(market))

    session_key = KEY_PREFIX + client.cookies["sessionid"].value
    assert first.cookies[PAGE_SHAPE_COOKIE].value == "EUR.RU"
    assert second["X-Page-Cache"] == "hit"
    assert PAGE_SHAPE_COOKIE not in second.cookies  # unchanged: not sent again
    assert [reads[0] for reads in page_reads()] == [session_key]
    assert ":EUR:RU:" in page_reads()[0][1]


def test_a_wrong_shape_guess_reads_the_visitor_s_own_page_and_corrects_the_cookie(client, market):
    rouble_page = Client().get(product_url(market))  # the marketplace's shape, cached
    choose_euros(client, market)
    client.get(product_url(market))
    euro_page = client.get(product_url(market))
    # A cookie naming the roubles' shape, whose page is in the cache.
    client.cookies[PAGE_SHAPE_COOKIE] = "RUB.RU"
    ReadsRecordingCache.reads.clear()

    page = client.get(product_url(market))

    guessed, read = page_reads()
    assert ":RUB:RU:" in guessed[1]
    assert len(read) == 1 and ":EUR:RU:" in read[0]
    assert page["X-Page-Cache"] == "hit"
    assert without_tokens(page.content) == without_tokens(euro_page.content)
    assert without_tokens(page.content) != without_tokens(rouble_page.content)
    assert page.cookies[PAGE_SHAPE_COOKIE].value == "EUR.RU"


def test_a_visitor_back_in_the_marketplace_currency_loses_the_shape_cookie(client, market):
    choose_euros(client, market)
    client.get(product_url(market))

    assert client.post("/currency/", {"currency": "RUB", "next": "/"}).status_code == 302
    page = client.get(product_url(market))

    assert page.cookies[PAGE_SHAPE_COOKIE].value == ""
    assert page.cookies[PAGE_SHAPE_COOKIE]["max-age"] == 0


def test_a_visitor_without_a_session_reads_the_page_alone(client, market):
    client.get(product_url(market))
    ReadsRecordingCache.reads.clear()

    page = client.get(product_url(market))

    assert page["X-Page-Cache"] == "hit"
    assert len(page_reads()) == 1 and len(page_reads()[0]) == 1
