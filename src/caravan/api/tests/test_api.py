"""The public API: catalog reads, the buyer's orders, errors with stable codes."""

import pytest
from tests.factories import make_user, place_market_order

from caravan.api.openapi import SCHEMA_PATH, render_schema

pytestmark = pytest.mark.django_db


def test_the_committed_openapi_document_matches_the_code():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), "run `make openapi`"


def test_categories_come_as_a_tree(client, market):
    leaf = market.product.category

    response = client.get("/api/v1/categories")

    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": leaf.parent.slug,
            "name": leaf.parent.name_en,
            "children": [{"slug": leaf.slug, "name": leaf.name_en, "children": []}],
        }
    ]


def test_a_product_search_returns_the_card_with_its_best_offer(client, market):
    response = client.get("/api/v1/products", {"q": "wireless"})

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["pages"] == 1
    card = body["items"][0]
    assert card["id"] == market.product.public_id
    assert card["offer_count"] == 2
    assert card["best_offer"]["id"] == market.offer_cn.public_id
    assert card["best_offer"]["price"] == {"amount": "150.00", "currency": "CNY"}
    assert card["best_offer"]["seller"] == {"name": "Shenzhen Tech", "country": "CN"}


def test_a_product_lists_every_offer_cheapest_first(client, market):
    response = client.get(f"/api/v1/products/{market.product.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Wireless Headphones"
    assert [offer["id"] for offer in body["offers"]] == [
        market.offer_cn.public_id,
        market.offer_ru.public_id,
    ]
    assert body["offers"][1]["price"] == {"amount": "2500.00", "currency": "RUB"}


def test_an_unknown_product_or_category_is_a_404_with_a_code(client, market):
    assert client.get("/api/v1/products/nope").json() == {
        "code": "not_found",
        "message": "product not found",
    }
    assert client.get("/api/v1/products", {"category": "nope"}).status_code == 404


def test_malformed_filters_are_a_422_not_a_crash(client, market):
    response = client.get("/api/v1/products", {"price_min": "cheap", "page": "x"})

    assert response.status_code == 422


def test_orders_need_a_signed_in_buyer_and_show_only_theirs(client, market):
    order = place_market_order(market)
    assert client.get("/api/v1/orders").status_code == 401

    client.force_login(make_user())
    assert client.get("/api/v1/orders").json() == []
    assert client.get(f"/api/v1/orders/{order.number}").status_code == 404

    client.force_login(market.buyer)
    body = client.get(f"/api/v1/orders/{order.number}").json()
    assert body["number"] == order.number
    assert body["status"] == "pending_payment"
    # One charge in roubles: 5300 RUB + 175 CNY at 12.50 with the 1.5 % margin.
    assert body["total"] == {"amount": "7520.32", "currency": "RUB"}
    assert body["totals"] == [{"amount": "7520.32", "currency": "RUB"}]
    assert [item["seller_total"] for item in body["seller_orders"]] == [
        {"amount": "5300.00", "currency": "RUB"},
        {"amount": "175.00", "currency": "CNY"},
    ]
    assert [seller_order["seller"] for seller_order in body["seller_orders"]] == [
        "Moscow Goods",
        "Shenzhen Tech",
    ]


def test_a_product_search_counts_facets_as_the_storefront_does(client, market):
    # Given the headphones offered from Russia and China (both in stock)
    # When a client searches with one country ticked, prices in euros
    response = client.get(
        "/api/v1/products", {"q": "wireless", "ships_from": ["CN"], "currency": "eur"}
    )

    # Then the listing and every facet come back, each counted without its own filter
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["currency"] == "EUR"
    facets = {facet["name"]: facet for facet in body["facets"]}
    assert [
        (option["value"], option["count"], option["selected"])
        for option in facets["ships_from"]["options"]
    ] == [("CN", 1, True), ("RU", 1, False)]
    assert facets["ships_from"]["kind"] == "multi"
    assert [option["value"] for option in facets["category"]["options"]] == [
        market.product.category.parent.slug,
        market.product.category.slug,
    ]
    # one match has one price: no range would narrow it, so none is offered
    assert facets["price"]["options"] == []


def test_a_product_search_without_facets_leaves_them_out(client, market):
    response = client.get("/api/v1/products", {"q": "wireless", "facets": "false"})

    assert response.json()["facets"] == []
    assert response.json()["total"] == 1
