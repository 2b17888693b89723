"""The header search's suggestions (GET /search/suggest/, an htmx fragment) and the
no-results block of an empty search."""

import pytest

from caravan.accounts.models import User

pytestmark = pytest.mark.django_db


def test_suggestions_are_links_to_searches_and_categories(client, market):
    leaf = market.product.category

    response = client.get("/search/suggest/", {"q": "wirel"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=60"
    assert [query.text for query in response.context["suggestions"].queries] == [
        "wireless",
        "wireless headphones",
    ]
    page = response.content.decode()
    assert page.count('role="option"') == 2
    assert 'href="/search/?q=wireless%20headphones"' in page

    response = client.get("/search/suggest/", {"q": "category"})

    page = response.content.decode()
    assert f'href="/c/{leaf.slug}/"' in page
    assert f'href="/c/{leaf.parent.slug}/"' in page
    assert "1 product" in page


def test_a_signed_in_buyer_gets_the_same_suggestions(client, market, signed_in):
    browser = signed_in(User.objects.get(email="buyer@example.com"))

    anonymous = client.get("/search/suggest/", {"q": "wirel"}).content
    signed = browser.get("/search/suggest/", {"q": "wirel"}).content

    assert signed == anonymous
    assert b"wireless headphones" in signed


def test_nothing_to_suggest_is_an_empty_answer_that_closes_the_list(client, market):
    for text in ("", "w", "qwertyuiop"):
        response = client.get("/search/suggest/", {"q": text})

        assert response.status_code == 200
        assert response.content == b""


def test_the_header_search_asks_for_suggestions_and_still_submits_without_script(client, market):
    page = client.get("/").content.decode()

    assert 'action="/search/"' in page
    assert 'hx-get="/search/suggest/"' in page
    assert 'aria-controls="search-suggestions"' in page
    assert 'id="search-suggestions"' in page
    assert "caravan/js/suggest.js" in page


def test_an_empty_search_offers_fewer_words(client, market):
    response = client.get("/search/", {"q": "wireless zzzz"})

    page = response.content.decode()
    assert "Nothing found." in page
    assert "Fewer words find more:" in page
    assert 'href="/search/?q=wireless"' in page
    assert "<s>zzzz</s>" in page


def test_a_search_on_the_wrong_layout_kept_as_typed_asks_did_you_mean(client, market):
    # Without as_typed the page shows the other layout's results (search_products).
    response = client.get("/search/", {"q": ",tcghjdjlyst", "as_typed": "1"})

    page = response.content.decode()
    assert "Did you mean:" in page
    assert "беспроводные" in page


def test_an_empty_search_of_nonsense_shows_where_to_browse(client, market):
    response = client.get("/search/", {"q": "qwertyuiop"})

    page = response.content.decode()
    assert f'href="/c/{market.product.category.parent.slug}/"' in page
    assert "Popular right now:" in page
    assert "Wireless Headphones" in page


def test_an_empty_filtered_search_offers_the_search_without_filters(client, market):
    response = client.get("/search/", {"q": "wireless", "price_max": "1"})

    page = response.content.decode()
    assert response.context["listing"].total == 0
    assert "Search “wireless” without filters: 1 product" in page
