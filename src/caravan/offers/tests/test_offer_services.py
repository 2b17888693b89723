from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from tests.factories import make_product, make_seller, project

from caravan.fx.services import record_rate
from caravan.kernel.errors import NotFound, OutOfStock, ValidationFailed
from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.selectors import get_seller_offer, list_product_offers
from caravan.offers.services import (
    MAX_STOCK,
    create_offer,
    release_stock,
    reprice_references,
    take_stock,
    update_offer,
)


def offer_row(offer):
    return Offer.objects.filter(id=offer.id).values(
        "price_amount", "reference_price_amount", "stock_quantity", "handling_days", "is_active"
    )[0]


def summary_of(product):
    summary = ProductOfferSummary.objects.get(product=product)
    return (
        summary.best_offer_id,
        summary.offer_count,
        summary.seller_count,
        summary.min_reference_price_amount,
        summary.is_buyable,
    )


def test_creating_an_offer_records_its_reference_price(market, django_capture_on_commit_callbacks):
    variant = make_product().variants.get()

    with django_capture_on_commit_callbacks(execute=True):
        offer = create_offer(
            seller=market.seller_cn,
            variant=variant,
            price=Money("99.90", "CNY"),
            stock_quantity=4,
        )

    assert (offer.price, offer.ships_from, offer.handling_days) == (Money("99.90", "CNY"), "CN", 1)
    # 99.90 CNY at 12.50 RUB
    assert offer.reference_price_amount == Decimal("1248.75")
    assert summary_of(variant.product) == (offer.id, 1, 1, Decimal("1248.75"), True)


@pytest.mark.parametrize(
    ("price", "stock", "handling", "ships_from", "code"),
    [
        (Money("100", "RUB"), 1, 1, None, "currency_mismatch"),
        (Money("0", "CNY"), 1, 1, None, "price_not_positive"),
        (Money("-5", "CNY"), 1, 1, None, "price_not_positive"),
        (Money("10.005", "CNY"), 1, 1, None, "price_precision"),
        (Money("10", "CNY"), -1, 1, None, "invalid_stock"),
        (Money("10", "CNY"), MAX_STOCK + 1, 1, None, "invalid_stock"),
        (Money("10", "CNY"), 1, 61, None, "invalid_handling_days"),
        (Money("10", "CNY"), 1, 1, "XX", "invalid_country"),
    ],
)
def test_offer_validation_refuses_bad_input(market, price, stock, handling, ships_from, code):
    variant = make_product().variants.get()

    with pytest.raises(ValidationFailed) as caught:
        create_offer(
            seller=market.seller_cn,
            variant=variant,
            price=price,
            stock_quantity=stock,
            handling_days=handling,
            ships_from=ships_from,
        )

    assert caught.value.code == code
    assert Offer.objects.filter(variant=variant).count() == 0
    assert not ProductOfferSummary.objects.filter(product=variant.product).exists()


def test_a_second_offer_on_the_same_variant_is_refused(market):
    with pytest.raises(ValidationFailed) as caught:
        create_offer(
            seller=market.seller_ru,
            variant=market.offer_ru.variant,
            price=Money("1", "RUB"),
            stock_quantity=1,
        )

    assert caught.value.code == "offer_exists"
    assert Offer.objects.filter(seller=market.seller_ru).count() == 1


def test_updating_an_offer_with_a_bad_price_changes_nothing(market):
    before = offer_row(market.offer_ru)

    with pytest.raises(ValidationFailed) as caught:
        update_offer(
            seller=market.seller_ru,
            offer_public_id=market.offer_ru.public_id,
            price=Money("12.345", "RUB"),
            stock_quantity=50,
        )

    assert caught.value.code == "price_precision"
    assert offer_row(market.offer_ru) == before


def test_a_seller_cannot_update_another_seller_s_offer(market):
    before = offer_row(market.offer_ru)

    with pytest.raises(NotFound):
        update_offer(
            seller=market.seller_cn, offer_public_id=market.offer_ru.public_id, stock_quantity=0
        )
    with pytest.raises(NotFound):
        get_seller_offer(seller=market.seller_cn, public_id=market.offer_ru.public_id)

    assert offer_row(market.offer_ru) == before


def test_the_summary_picks_the_cheapest_offer_by_reference_price(
    market, django_capture_on_commit_callbacks
):
    # 150 CNY = 1875 RUB beats 2500 RUB
    assert summary_of(market.product) == (market.offer_cn.id, 2, 2, Decimal("1875.00"), True)

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru,
            offer_public_id=market.offer_ru.public_id,
            price=Money("1800", "RUB"),
        )

    assert summary_of(market.product) == (market.offer_ru.id, 2, 2, Decimal("1800.00"), True)
    assert list_product_offers(product=market.product) == [market.offer_ru, market.offer_cn]


def test_the_summary_skips_offers_without_stock_or_inactive(
    market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_cn, offer_public_id=market.offer_cn.public_id, stock_quantity=0
        )

    assert summary_of(market.product) == (market.offer_ru.id, 1, 1, Decimal("2500.00"), True)

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, is_active=False
        )

    assert summary_of(market.product) == (None, 0, 0, None, False)


def test_a_hidden_product_is_not_buyable(market):
    market.product.is_active = False
    market.product.save()

    project(market.product)

    # offers on a product buyers cannot see are not buyable (offers.selectors)
    assert summary_of(market.product) == (None, 0, 0, None, False)


def test_new_rates_reorder_the_offers(market, django_capture_on_commit_callbacks):
    record_rate(base="CNY", quote="RUB", rate=Decimal("20.00"), source="test")

    with django_capture_on_commit_callbacks(execute=True):
        assert reprice_references() == 1

    # 150 CNY = 3000 RUB now loses to 2500 RUB
    assert offer_row(market.offer_cn)["reference_price_amount"] == Decimal("3000.00")
    assert summary_of(market.product) == (market.offer_ru.id, 2, 2, Decimal("2500.00"), True)


def test_take_stock_decrements_only_when_enough_is_left(market):
    take_stock(offer_id=market.offer_ru.id, quantity=3)

    assert offer_row(market.offer_ru)["stock_quantity"] == 2

    with pytest.raises(OutOfStock) as caught:
        take_stock(offer_id=market.offer_ru.id, quantity=3)

    assert caught.value.code == "out_of_stock"
    assert offer_row(market.offer_ru)["stock_quantity"] == 2

    take_stock(offer_id=market.offer_ru.id, quantity=2)

    assert offer_row(market.offer_ru)["stock_quantity"] == 0


@pytest.mark.parametrize("quantity", [0, -2])
def test_take_stock_refuses_a_non_positive_quantity(market, quantity):
    with pytest.raises(ValidationFailed):
        take_stock(offer_id=market.offer_ru.id, quantity=quantity)

    assert offer_row(market.offer_ru)["stock_quantity"] == 5


def test_take_stock_refuses_an_inactive_offer(market):
    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, is_active=False
    )

    with pytest.raises(OutOfStock):
        take_stock(offer_id=market.offer_ru.id, quantity=1)

    assert offer_row(market.offer_ru)["stock_quantity"] == 5


def test_release_stock_puts_units_back(market):
    take_stock(offer_id=market.offer_cn.id, quantity=8)

    release_stock(offer_id=market.offer_cn.id, quantity=3)

    assert offer_row(market.offer_cn)["stock_quantity"] == 3


def test_the_database_refuses_negative_stock(market):
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(id=market.offer_ru.id).update(stock_quantity=F("stock_quantity") - 6)

    assert offer_row(market.offer_ru)["stock_quantity"] == 5


def test_offers_are_priced_in_their_seller_s_currency_only(market):
    seller = make_seller(name="Berlin Boutique", country="DE", currency="EUR", delivery_price="9")
    variant = make_product().variants.get()

    offer = create_offer(
        seller=seller, variant=variant, price=Money("19.99", "EUR"), stock_quantity=2
    )

    assert offer.reference_price_amount == Decimal("1999.00")
    assert offer.ships_from == "DE"


def test_summary_ignores_offers_of_a_suspended_seller(market):
    # given the Chinese seller's offer is the cheapest (150 CNY = 1875 RUB < 2500 RUB)
    assert market.product.offer_summary.best_offer_id == market.offer_cn.id
    # when the seller is suspended and the summary refreshed
    market.seller_cn.status = "suspended"
    market.seller_cn.save(update_fields=["status"])
    project(market.product)
    summary = ProductOfferSummary.objects.get(product=market.product)
    # then only the active seller's offer counts
    assert summary.best_offer_id == market.offer_ru.id
    assert summary.offer_count == 1
    assert summary.seller_count == 1
