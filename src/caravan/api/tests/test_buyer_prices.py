"""The catalog API in a buyer currency: each offer keeps the seller's price and, with
`currency`, adds the price in it as checkout charges it (margin, rounding)."""

from decimal import Decimal

import pytest

from caravan.fx.services import record_rate

pytestmark = pytest.mark.django_db


def euro_rates():
    record_rate(base="CNY", quote="EUR", rate=Decimal("0.125"), source="test")
    record_rate(base="RUB", quote="EUR", rate=Decimal("0.01"), source="test")


def test_a_product_in_euros_has_each_offers_buyer_price_next_to_the_sellers(client, market):
    euro_rates()

    response = client.get(f"/api/v1/products/{market.product.public_id}", {"currency": "EUR"})

    assert response.status_code == 200
    # 150 CNY * 0.125 * 1.015 = 19.03125; 2500 RUB * 0.01 * 1.015 = 25.375, half-up.
    assert [(offer["price"], offer["buyer_price"]) for offer in response.json()["offers"]] == [
        ({"amount": "150.00", "currency": "CNY"}, {"amount": "19.03", "currency": "EUR"}),
        ({"amount": "2500.00", "currency": "RUB"}, {"amount": "25.38", "currency": "EUR"}),
    ]


def test_without_currency_there_is_no_buyer_price(client, market):
    response = client.get(f"/api/v1/products/{market.product.public_id}")

    assert [offer["buyer_price"] for offer in response.json()["offers"]] == [None, None]


def test_the_listings_best_offer_has_a_buyer_price_in_the_filter_currency(client, market):
    euro_rates()

    response = client.get("/api/v1/products", {"q": "wireless", "currency": "eur"})

    body = response.json()
    assert body["currency"] == "EUR"
    assert body["items"][0]["best_offer"]["buyer_price"] == {"amount": "19.03", "currency": "EUR"}


def test_an_offer_without_a_rate_into_the_currency_has_no_buyer_price(client, market):
    # Roubles convert into dollars, yuan do not (no CNY -> USD rate).
    record_rate(base="RUB", quote="USD", rate=Decimal("0.0125"), source="test")

    response = client.get(f"/api/v1/products/{market.product.public_id}", {"currency": "USD"})

    assert [offer["buyer_price"] for offer in response.json()["offers"]] == [
        None,
        {"amount": "31.72", "currency": "USD"},
    ]


@pytest.mark.parametrize("currency", ["JPY", "XYZ", "euros"])
def test_a_currency_outside_the_buyer_currencies_is_refused(client, market, currency):
    response = client.get(f"/api/v1/products/{market.product.public_id}", {"currency": currency})
    listing = client.get("/api/v1/products", {"currency": currency})

    assert response.status_code == listing.status_code == 400
    assert response.json()["code"] == listing.json()["code"] == "currency_unsupported"
