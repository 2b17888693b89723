from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from tests.factories import make_offer, make_product, make_seller

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.services import create_offer, update_offer

TERMS = (
    "price_amount",
    "compare_at_amount",
    "condition",
    "stock_quantity",
    "handling_days",
    "ships_from",
    "min_order_quantity",
    "max_order_quantity",
    "is_active",
)


def terms_of(offer):
    return Offer.objects.filter(id=offer.id).values_list(*TERMS).get()


def test_an_offer_with_every_term(market):
    seller = market.seller_ru
    variant = make_product(name_en="Lamp").variants.get()

    offer = create_offer(
        seller=seller,
        variant=variant,
        price=Money("1500", "RUB"),
        compare_at_price=Money("1990", "RUB"),
        condition=Offer.Condition.REFURBISHED,
        stock_quantity=12,
        handling_days=2,
        ships_from="KZ",
        min_order_quantity=2,
        max_order_quantity=6,
    )

    assert terms_of(offer) == (
        Decimal("1500.00"),
        Decimal("1990.00"),
        "refurbished",
        12,
        2,
        "KZ",
        2,
        6,
        True,
    )
    assert offer.compare_at_price == Money("1990", "RUB")


def test_existing_defaults_are_a_new_item_sold_one_or_more(market):
    assert terms_of(market.offer_ru)[1:3] == (None, "new")
    assert terms_of(market.offer_ru)[6:8] == (1, None)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"compare_at_price": Money("2500", "RUB")}, "compare_at_not_above_price"),
        ({"compare_at_price": Money("2000", "RUB")}, "compare_at_not_above_price"),
        ({"compare_at_price": Money("3000", "EUR")}, "compare_at_currency"),
        ({"compare_at_price": Money("3000.001", "RUB")}, "price_precision"),
        ({"condition": "broken"}, "invalid_condition"),
        ({"min_order_quantity": 0}, "invalid_min_order"),
        ({"min_order_quantity": 100}, "invalid_min_order"),
        ({"min_order_quantity": 5, "max_order_quantity": 4}, "invalid_max_order"),
        ({"max_order_quantity": 100}, "invalid_max_order"),
        ({"ships_from": "XX"}, "invalid_country"),
    ],
)
def test_bad_terms_are_refused_and_change_nothing(market, changes, code):
    before = terms_of(market.offer_ru)

    with pytest.raises(ValidationFailed) as error:
        update_offer(seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, **changes)

    assert error.value.code == code
    assert terms_of(market.offer_ru) == before


def test_a_new_offer_with_a_compare_at_price_below_its_price_is_refused(market):
    variant = make_product().variants.get()
    before = Offer.objects.count()

    with pytest.raises(ValidationFailed) as error:
        create_offer(
            seller=market.seller_ru,
            variant=variant,
            price=Money("1000", "RUB"),
            compare_at_price=Money("999.99", "RUB"),
            stock_quantity=1,
        )

    assert error.value.code == "compare_at_not_above_price"
    assert Offer.objects.count() == before


def test_a_price_raised_to_the_compare_at_price_is_refused(market):
    seller = market.seller_ru
    update_offer(
        seller=seller,
        offer_public_id=market.offer_ru.public_id,
        compare_at_price=Money("3000", "RUB"),
    )
    before = terms_of(market.offer_ru)

    with pytest.raises(ValidationFailed) as error:
        update_offer(
            seller=seller, offer_public_id=market.offer_ru.public_id, price=Money("3000", "RUB")
        )

    assert error.value.code == "compare_at_not_above_price"
    assert terms_of(market.offer_ru) == before


def test_keep_leaves_the_compare_at_price_and_none_clears_it(market):
    seller = market.seller_ru
    public_id = market.offer_ru.public_id
    update_offer(
        seller=seller,
        offer_public_id=public_id,
        compare_at_price=Money("3000", "RUB"),
        max_order_quantity=4,
    )

    update_offer(seller=seller, offer_public_id=public_id, price=Money("2400", "RUB"))
    kept = terms_of(market.offer_ru)
    update_offer(
        seller=seller,
        offer_public_id=public_id,
        compare_at_price=None,
        max_order_quantity=None,
        condition=Offer.Condition.USED,
    )

    assert (kept[0], kept[1], kept[7]) == (Decimal("2400.00"), Decimal("3000.00"), 4)
    assert terms_of(market.offer_ru)[1:3] == (None, "used")
    assert terms_of(market.offer_ru)[7] is None


def test_the_database_refuses_a_compare_at_price_not_above_the_price(market):
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(id=market.offer_ru.id).update(compare_at_amount=Decimal("2500"))


def test_the_database_refuses_a_maximum_below_the_minimum(db):
    offer = make_offer(seller=make_seller())

    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(id=offer.id).update(min_order_quantity=3, max_order_quantity=2)
