"""Meta descriptions: search engines get a sentence about each storefront page."""

import re

import pytest

from caravan.catalog.models import Product

pytestmark = pytest.mark.django_db


def meta_description(page: str) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', page)
    assert len(found) == 1, found
    return found[0]


def test_home_describes_the_sellers_and_their_countries(client, market):
    # given two sellers, from Russia and China
    # when the home page is shown
    response = client.get("/")
    # then its description counts them
    assert meta_description(response.content.decode()) == (
        "2 sellers from 2 countries compete on price at Caravan."
        " Pay once in your currency and receive every parcel."
    )


def test_a_category_page_is_described_by_its_name(client, market):
    # given the market's category
    category = market.product.category
    # when its listing is shown
    response = client.get(f"/c/{category.slug}/")
    # then the description names it
    assert meta_description(response.content.decode()) == (
        f"{category.name} on Caravan: compare offers from sellers across borders,"
        " pay once in your currency, receive every parcel."
    )


def test_a_product_page_is_described_by_the_start_of_its_description(client, market):
    # given a product whose plain-text description is long, with line breaks and an ampersand
    words = " ".join(f"word{number}" for number in range(40))
    Product.objects.filter(id=market.product.id).update(
        description_en=f"Big & bold\nsound <5 kg. {words}"
    )
    # when its page is shown
    response = client.get(f"/p/{market.product.public_id}/{market.product.slug}/")
    # then the description is its first thirty words on one line, escaped
    expected_words = " ".join(f"word{number}" for number in range(24))
    assert meta_description(response.content.decode()) == (
        f"Big &amp; bold sound &lt;5 kg. {expected_words} …"
    )


def test_a_product_without_a_description_is_described_by_its_name(client, market):
    # given a product with no description
    Product.objects.filter(id=market.product.id).update(description_en="", description_ru="")
    # when its page is shown
    response = client.get(f"/p/{market.product.public_id}/{market.product.slug}/")
    # then the description names it
    assert meta_description(response.content.decode()) == (
        "Wireless Headphones: compare the offers of sellers from several countries on Caravan."
    )


def test_a_search_page_is_described_by_the_query(client, market):
    # given a query with a character to escape
    # when the search page is shown
    response = client.get("/search/", {"q": 'head "phones"'})
    # then the description names the query, escaped
    assert meta_description(response.content.decode()) == (
        "Products matching “head &quot;phones&quot;” on Caravan,"
        " from sellers across borders, with delivery to your door."
    )


def test_a_page_without_its_own_description_gets_the_site_description(client, db):
    # given a page that sets no description of its own
    # when the sign-in page is shown
    response = client.get("/account/login/")
    # then it carries the marketplace's description
    assert meta_description(response.content.decode()) == (
        "Caravan: a marketplace of sellers from many countries. Compare offers, pay once in"
        " your currency, and receive every parcel with your money protected until it arrives."
    )
