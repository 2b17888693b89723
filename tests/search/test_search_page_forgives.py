"""The search page shows what a query typed on the wrong keyboard layout meant, and lets the
buyer search for the text as typed."""

import pytest

from caravan.search.services import rebuild_index
from tests.factories import default_rates, make_category, make_offer, make_product, make_seller


@pytest.fixture
def kettle(db, settings):
    settings.LANGUAGE_CODE = "en"
    default_rates()
    seller = make_seller(name="Moscow Goods", country="RU", currency="RUB")
    product = make_product(
        category=make_category(slug="kitchen"),
        name_en="Electric Kettle",
        name_ru="Электрический чайник",
    )
    make_offer(seller=seller, variant=product.variants.get(), price="1500", stock=3)
    rebuild_index()


def test_the_page_shows_the_results_for_the_other_layout(client, kettle):
    response = client.get("/search/", {"q": "xfqybr"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Electric Kettle" in page
    assert "Showing results for “чайник”." in page
    assert 'href="/search/?q=xfqybr&amp;as_typed=1"' in page
    assert "Search instead for “xfqybr”" in page


def test_the_text_as_typed_finds_nothing_and_offers_the_correction(client, kettle):
    response = client.get("/search/", {"q": "xfqybr", "as_typed": "1"})

    page = response.content.decode()
    assert "Electric Kettle" not in page
    assert 'data-testid="showing-results-for"' not in page
    assert 'data-testid="did-you-mean"' in page
    assert "чайник" in page


def test_a_query_that_finds_something_says_nothing_about_layouts(client, kettle):
    response = client.get("/search/", {"q": "чайник"})

    page = response.content.decode()
    assert "Electric Kettle" in page
    assert 'data-testid="showing-results-for"' not in page
