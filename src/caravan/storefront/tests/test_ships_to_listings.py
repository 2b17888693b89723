"""Listings skip what cannot ship to the buyer's country (issue 12): a visitor in Germany and
one in Russia see different products, and different offers on the same product's card, in
one category; the "delivers to" filter shows as applied and the buyer can undo it."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.factories import make_offer, make_product, make_seller

from caravan.catalog.models import Product
from caravan.kernel.money import Money
from caravan.shipping.tests.profile_helpers import method, moscow_profile, rate, zones_of

from .borders import build_border

pytestmark = pytest.mark.django_db


def visitor(country: str) -> Client:
    client = Client()
    response = client.post("/country/", {"country": country, "next": "/"})
    assert response.status_code == 302
    return client


def listed(response) -> list[int]:
    assert response.status_code == 200
    return [card.product.id for card in response.context["cards"]]


def card_of(response, product: Product):
    [card] = [card for card in response.context["cards"] if card.product.id == product.id]
    return card


def test_a_german_visitor_does_not_see_what_only_ships_within_russia():
    # Given boots only a Russian-only seller sells, and a kettle sold by both
    border = build_border()

    # When a visitor in Russia and one in Germany open the category
    russia = visitor("RU").get("/c/kitchen/")
    germany = visitor("DE").get("/c/kitchen/")

    # Then Russia lists both (the kettle first: two sellers), Germany the kettle only
    assert listed(russia) == [border.kettle.id, border.boots.id]
    assert listed(germany) == [border.kettle.id]
    assert (russia.context["listing"].total, germany.context["listing"].total) == (2, 1)


def test_a_german_card_shows_the_offer_that_delivers_to_germany():
    # Given the kettle: cheaper at the Russian-only seller, delivered to Germany by the other
    border = build_border()

    # When both visitors open the category
    russia = card_of(visitor("RU").get("/c/kitchen/"), border.kettle)
    germany = card_of(visitor("DE").get("/c/kitchen/"), border.kettle)

    # Then each card shows the best offer for the visitor's country, and its sellers there
    assert (russia.seller.name, russia.price, russia.seller_count) == (
        "Volga Local",
        Money("500", "RUB"),
        2,
    )
    assert (germany.seller.name, germany.price, germany.seller_count) == (
        "Global Export",
        Money("900", "RUB"),
        1,
    )
    assert germany.promise is not None


def test_the_filter_shows_as_applied_with_a_way_to_show_every_seller():
    # Given the boots and the kettle
    build_border()

    # When a visitor in Germany opens the category
    response = visitor("DE").get("/c/kitchen/")

    # Then "Delivers to Germany" is ticked (a default, not among the chosen filters), a link
    # shows every seller, and the page says one more product is left out
    [group] = [group for group in response.context["facet_groups"] if group.name == "ships_to"]
    assert [(option.value, option.selected, option.count) for option in group.options] == [
        ("DE", True, 1)
    ]
    assert response.context["chosen"] == []
    delivery = response.context["delivery_filter"]
    assert (delivery.applied, delivery.hidden, delivery.show_all_url) == (
        True,
        1,
        "?ships_to=any",
    )
    body = response.content.decode()
    assert "Show items from sellers who don't deliver to Germany" in body
    assert "show 1 more from sellers who don't deliver there" in body


def test_show_all_brings_back_what_is_not_delivered_and_says_so_on_its_card():
    # Given the boots and the kettle
    border = build_border()
    browser = visitor("DE")

    # When the visitor in Germany asks for every seller (the filter form's unticked box
    # sends ships_to=any alone; ticked, the country as well)
    every = browser.get("/c/kitchen/?ships_to=any")
    ticked = browser.get("/c/kitchen/?ships_to=any&ships_to=DE")

    # Then every product is back, the boots' card saying it is not delivered there; ticking
    # the box again narrows to Germany
    assert listed(every) == [border.kettle.id, border.boots.id]
    assert card_of(every, border.boots).promise is None
    assert card_of(every, border.kettle).seller.name == "Global Export"
    assert 'data-testid="card-no-delivery"' in every.content.decode()
    assert every.context["delivery_filter"].applied is False
    assert listed(ticked) == [border.kettle.id]


def test_an_empty_listing_says_the_country_filter_is_why():
    # Given only the boots match "boots", and nobody delivers them to Germany
    build_border()

    # When a visitor in Germany searches for them
    response = visitor("DE").get("/search/", {"q": "felt boots"})

    # Then the page says nothing delivers to Germany and offers to show the one product
    assert response.context["listing"].total == 0
    body = response.content.decode()
    assert "Nothing here delivers to Germany" in body
    assert 'href="?q=felt+boots&amp;ships_to=any"' in body
    assert "show all (1)" in body


def test_the_home_page_shelves_follow_the_visitors_country():
    # Given the boots and the kettle
    border = build_border()

    # When both visitors open the home page
    russia = visitor("RU").get("/")
    germany = visitor("DE").get("/")

    # Then Germany's shelves hold the kettle only, sold by the seller delivering there
    assert [card.product.id for card in russia.context["featured"]] == [
        border.kettle.id,
        border.boots.id,
    ]
    assert [card.product.id for card in germany.context["featured"]] == [border.kettle.id]
    assert [card.product.id for card in germany.context["newest"]] == [border.kettle.id]
    [card] = germany.context["featured"]
    assert (card.seller.name, card.price, card.seller_count) == (
        "Global Export",
        Money("900", "RUB"),
        1,
    )


def test_the_product_page_says_nothing_is_delivered_and_offers_no_button():
    # Given the boots, sold only by the seller delivering within Russia
    border = build_border()

    # When a visitor in Germany opens their page
    response = visitor("DE").get(f"/p/{border.boots.public_id}/")

    # Then the buy box says no seller delivers to Germany, and the offer cannot be added
    body = response.content.decode()
    assert response.context["page"].best is None
    assert 'data-testid="buy-box-no-delivery"' in body
    assert "No seller delivers this to Germany" in body
    assert body.count('data-testid="no-delivery-button"') == 1
    assert "Doesn&#x27;t deliver to Germany" in body
    assert 'data-testid="add-to-cart"' not in body


def test_the_buy_box_picks_the_offer_delivered_to_germany():
    # Given the kettle at both sellers
    border = build_border()

    # When a visitor in Germany and one in Russia open its page
    germany = visitor("DE").get(f"/p/{border.kettle.public_id}/").context["page"]
    russia = visitor("RU").get(f"/p/{border.kettle.public_id}/").context["page"]

    # Then Germany's buy box is the exporter's, the local offer listed as not delivering
    assert germany.best.offer == border.exporter_kettle
    assert [(row.offer.seller.name, bool(row.refusal)) for row in germany.rows] == [
        ("Global Export", False),
        ("Volga Local", True),
    ]
    assert russia.best.offer == border.local_kettle


def test_an_offer_not_delivered_to_the_visitor_is_not_added_to_the_cart():
    # Given the local seller's kettle, and a visitor in Germany
    border = build_border()
    browser = visitor("DE")

    # When a stale page posts it to the cart
    response = browser.post(
        "/cart/add/",
        {"offer": border.local_kettle.public_id, "quantity": 1, "next": "/cart/"},
        follow=True,
    )

    # Then it is refused with the reason, and the cart stays empty
    body = response.content.decode()
    assert "Volga Local doesn&#x27;t deliver to Germany. Your cart was not changed." in body
    assert response.context["view"].item_count == 0


def test_a_cart_filled_in_russia_names_the_seller_who_cannot_deliver_to_germany():
    # Given a visitor in Russia with the local kettle and the exporter's in the cart
    border = build_border()
    browser = visitor("RU")
    for offer in (border.local_kettle, border.exporter_kettle):
        browser.post("/cart/add/", {"offer": offer.public_id, "quantity": 1, "next": "/cart/"})

    # When they switch the header to Germany and open the cart
    browser.post("/country/", {"country": "DE", "next": "/cart/"})
    response = browser.get("/cart/")

    # Then the cart says which seller does not ship there, and nothing fails
    assert response.status_code == 200
    body = response.content.decode()
    assert "Volga Local does not ship to Germany: remove these items to check out" in body
    assert "Global Export does not ship" not in body
    assert response.context["view"].item_count == 2


def test_the_api_filters_by_ships_to_only_when_asked(client):
    # Given the boots and the kettle
    border = build_border()

    # When an API client lists the products without and with ships_to
    every = client.get("/api/v1/products", {"category": "kitchen"}).json()
    germany = client.get("/api/v1/products", {"category": "kitchen", "ships_to": "DE"}).json()

    # Then by default every product comes back; for Germany the kettle, with its offer there
    assert {item["id"] for item in every["items"]} == {
        border.boots.public_id,
        border.kettle.public_id,
    }
    assert [item["id"] for item in germany["items"]] == [border.kettle.public_id]
    [kettle] = germany["items"]
    assert (kettle["best_offer"]["seller"]["name"], kettle["seller_count"]) == (
        "Global Export",
        1,
    )


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ships-to-tests",
        },
    }
    from django.core.cache import cache

    cache.clear()


def test_a_german_visitor_never_gets_a_russian_visitors_cached_listing(real_cache):
    # Given a visitor in Russia whose category page is in the page cache
    build_border()
    russia = visitor("RU")
    first = russia.get("/c/kitchen/")
    again = russia.get("/c/kitchen/")

    # When a visitor in Germany opens the same address
    german = visitor("DE").get("/c/kitchen/")

    # Then theirs is rendered for Germany: no boots, the kettle from the exporter
    assert (first["X-Page-Cache"], again["X-Page-Cache"], german["X-Page-Cache"]) == (
        "miss",
        "hit",
        "miss",
    )
    assert "Felt boots" in again.content.decode()
    body = german.content.decode()
    assert "Felt boots" not in body
    assert "Global Export" in body
    assert "Volga Local" not in body.split('class="results"')[1]


def test_a_cached_card_is_never_shown_with_another_offer(real_cache):
    # Given the kettle's card cached for a visitor in Russia (the local seller's offer)
    border = build_border()
    browser = visitor("RU")
    plain = browser.get("/c/kitchen/")

    # When the same visitor narrows the listing to one seller
    narrowed = browser.get(f"/c/kitchen/?seller={border.exporter.id}")

    # Then the kettle's card shows that seller's offer, not the cached one
    cards = narrowed.content.decode().split('data-testid="product-card"')[1:]
    assert [("Global Export" in card, "Volga Local" in card) for card in cards] == [(True, False)]
    assert "Volga Local" in plain.content.decode().split('data-testid="product-card"')[1]


def test_another_country_ticked_is_a_chosen_filter_that_can_be_removed():
    # Given the boots and the kettle
    build_border()

    # When a visitor in Russia asks for what is delivered to Germany (the filter form sends
    # ships_to=any with every ticked country)
    response = visitor("RU").get("/c/kitchen/?ships_to=any&ships_to=RU&ships_to=DE")

    # Then Germany is a chosen filter whose removal keeps Russia; Russia, the default, is not
    assert response.context["chosen"] == [
        ("?ships_to=RU", "Delivers to Germany"),
    ]
    assert response.context["listing"].total == 2


def test_what_only_ships_abroad_is_listed_for_the_country_it_reaches_and_not_at_home():
    # Given a seller whose only zone is the EU sells a lamp nobody else sells
    border = build_border()
    eu_only = make_seller(name="Berlin EU Only", delivery_price=None)
    profile = moscow_profile(eu_only)
    rate(eu_only, method(eu_only, profile), zones_of(eu_only, profile).europe, [(None, "700")])
    lamp = make_product(category=border.category, name_en="Desk lamp")
    make_offer(seller=eu_only, variant=lamp.variants.get(), price="3000")

    # When a visitor in Germany and one in Russia open the category
    germany = visitor("DE").get("/c/kitchen/")
    russia = visitor("RU").get("/c/kitchen/")

    # Then Germany lists the lamp with its only offer, Russia does not list it
    assert listed(germany) == [border.kettle.id, lamp.id]
    assert card_of(germany, lamp).seller.name == "Berlin EU Only"
    assert listed(russia) == [border.kettle.id, border.boots.id]
