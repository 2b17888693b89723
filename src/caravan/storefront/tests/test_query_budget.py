"""The home page, a category listing, a product page and the cart run a fixed number of
SQL queries (at most 12; 18 for a listing filtered by where offers ship from, or seen from
another country than the marketplace's, which picks each card's best matching offer: a
light read of the matching offers, then the few that could win; 15 for the home page seen
from abroad, ADR 0020) whatever the number of items: measured with 3 and 10. Prices in the buyer
currency cost one query a page (the quote table, read once per request), not one a card.
Delivery is quoted by the shipping engine (ADR 0012) in two queries a page whatever the
number of sellers and offers (zones with their profile's calendar, weight bands), where one
read the flat methods before: one more a page. Catalog text in the buyer's language costs one
query for the category tree's translations (remembered for a few seconds outside tests,
storefront.memo) and one for a page of products' translations (none when every card comes
from the card cache)."""

import pytest
from tests.factories import default_rates, make_offer, make_product, make_seller

from caravan.cart.services import add_to_cart, get_or_create_cart

from .shelves import add_products, build_shelf

pytestmark = pytest.mark.django_db

BUDGET = 12


def count_queries(browser, url, django_assert_max_num_queries, budget=BUDGET):
    browser.get(url)  # warm: the session learns its flags once, as on a first visit
    with django_assert_max_num_queries(budget) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    return len(captured)


def test_home_page_query_count_is_constant(market, signed_in, django_assert_max_num_queries):
    browser = signed_in(market.buyer)
    shelf = build_shelf(count=3)
    few = count_queries(browser, "/", django_assert_max_num_queries)

    add_products(shelf, count=7)
    many = count_queries(browser, "/", django_assert_max_num_queries)

    # + the quote table into the buyer currency; the shipping engine's two for the cards;
    # the categories' and the cards' translations; the shelves' rows are light (which card,
    # which offer: all a cached card needs), so cards rendered again read theirs in one more
    assert few == many == 12


def test_category_listing_query_count_is_constant(market, signed_in, django_assert_max_num_queries):
    browser = signed_in(market.buyer)
    shelf = build_shelf(count=3)
    url = "/c/electronics/?sort=price&ships_from=RU&ships_from=CN&price_min=1"
    few = count_queries(browser, url, django_assert_max_num_queries, budget=18)

    add_products(shelf, count=7)
    many = count_queries(browser, url, django_assert_max_num_queries, budget=18)

    # + live offers, their sellers' delivery bounds, the engine's two and the rates, for
    # matching offers (whose quotes the cards reuse); + the quote table into the buyer
    # currency; + the translations of the category tree, the listed category and the cards
    assert few == many == 16


def test_product_page_query_count_is_constant(market, signed_in, django_assert_max_num_queries):
    browser = signed_in(market.buyer)
    default_rates()
    product = make_product(name_en="Kettle")
    variant = product.variants.get()
    for index in range(3):
        make_offer(seller=make_seller(name=f"Seller A{index}"), variant=variant)
    address = f"/p/{product.public_id}/"
    few = count_queries(browser, address, django_assert_max_num_queries, budget=12)

    for index in range(7):
        make_offer(seller=make_seller(name=f"Seller B{index}"), variant=variant)
    many = count_queries(browser, address, django_assert_max_num_queries, budget=12)

    assert len(browser.get(address).context["page"].rows) == 10
    # The exchange rates the buy box converts landed prices with, the quote table into the
    # buyer currency, and the shipping engine's two; the product's and its categories'
    # translations; the offers, read with the version of the product's catalog entry under
    # which a shared cache keeps a copy of the product (none here: the tests' cache keeps
    # nothing, ADR 0021).
    assert few == many == 12


def test_cart_query_count_is_constant(market, signed_in, django_assert_max_num_queries):
    browser = signed_in(market.buyer)
    shelf = build_shelf(count=10)
    cart = get_or_create_cart(token=None, user=market.buyer)
    for offer in shelf.offers[:3]:
        add_to_cart(cart=cart, offer_public_id=offer.public_id)
    few = count_queries(browser, "/cart/", django_assert_max_num_queries, budget=12)

    for offer in shelf.offers[3:]:
        add_to_cart(cart=cart, offer_public_id=offer.public_id)
    many = count_queries(browser, "/cart/", django_assert_max_num_queries, budget=12)

    assert len(browser.get("/cart/").context["view"].groups[0].lines) == 5
    # The quote table that prices the cart in the buyer currency; the shipping engine's two;
    # the landed cost's reads for the buyer's address (cart.landed) and the orders awaiting
    # payment, both from main's landed-cost and payment work (measured, not budgeted here);
    # no product translations in Russian (the names are the product's own columns).
    assert few == many == 12


def test_an_anonymous_first_visit_costs_no_session_query(client, db, django_assert_num_queries):
    build_shelf(count=3)

    # featured, newest, the whole rows of the cards rendered (none cached yet), the shipping
    # engine's two, quote table, category tree and its translations, stats, the cards'
    # translations
    with django_assert_num_queries(10):
        client.get("/")


def test_a_listing_for_a_buyer_abroad_costs_the_same_as_a_filtered_one(
    market, signed_in, django_assert_max_num_queries
):
    # A buyer in Germany: only what is delivered there, each card's offer picked for there
    # (search.picked_offers.show_offers_for), whose quotes the cards reuse.
    browser = signed_in(market.buyer)
    browser.post("/country/", {"country": "DE", "next": "/"})
    shelf = build_shelf(count=3)
    few = count_queries(browser, "/c/electronics/", django_assert_max_num_queries, budget=18)

    add_products(shelf, count=7)
    many = count_queries(browser, "/c/electronics/", django_assert_max_num_queries, budget=18)

    assert few == many == 17


def test_the_home_page_for_a_buyer_abroad_picks_its_cards_in_four_more(
    market, signed_in, django_assert_max_num_queries
):
    # The shelves' rows are ranked for the marketplace's country (ADR 0007): for a buyer in
    # Germany each card's offer is ranked again for there (ADR 0020): the light read of the
    # shelves' offers, their sellers' delivery bounds to Germany, the rates, the possible
    # winners; the engine's two quote them and the cards reuse those quotes. The cards not
    # cached (all of them here) read their whole rows in one more, as at home.
    browser = signed_in(market.buyer)
    browser.post("/country/", {"country": "DE", "next": "/"})
    shelf = build_shelf(count=3)
    few = count_queries(browser, "/", django_assert_max_num_queries, budget=16)

    add_products(shelf, count=7)
    many = count_queries(browser, "/", django_assert_max_num_queries, budget=16)

    assert few == many == 16
