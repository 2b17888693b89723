import pytest
from tests.factories import make_seller

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.shipping.models import ShippingMethod
from caravan.shipping.selectors import (
    DeliveryPromise,
    delivery_promise,
    fastest_promise,
    list_methods_by_seller,
)
from caravan.shipping.services import create_shipping_method


def add_method(seller, *, price, days_min, days_max, name="Express"):
    return create_shipping_method(
        seller=seller,
        name_ru=name,
        name_en=name,
        carrier="Carrier",
        price=price,
        transit_days_min=days_min,
        transit_days_max=days_max,
    )


@pytest.mark.parametrize(
    ("price", "days_min", "days_max", "code"),
    [
        (Money("10", "EUR"), 1, 2, "currency_mismatch"),
        (Money("-1", "RUB"), 1, 2, "price_negative"),
        (Money("100", "RUB"), 5, 2, "invalid_transit"),
        (Money("100", "RUB"), 1, 121, "invalid_transit"),
    ],
)
def test_a_shipping_method_refuses_bad_input(db, price, days_min, days_max, code):
    seller = make_seller(currency="RUB")

    with pytest.raises(ValidationFailed) as caught:
        add_method(seller, price=price, days_min=days_min, days_max=days_max)

    assert caught.value.code == code
    assert ShippingMethod.objects.filter(seller=seller).count() == 1


def test_methods_are_grouped_by_seller_cheapest_first(db):
    seller_ru = make_seller(currency="RUB", delivery_price="300")
    seller_cn = make_seller(currency="CNY", delivery_price="25")
    express = add_method(seller_ru, price=Money("700", "RUB"), days_min=1, days_max=2)
    free = add_method(seller_ru, price=Money("0", "RUB"), days_min=10, days_max=20, name="Free")
    standard_ru = seller_ru.shipping_methods.get(name_en="Standard delivery")
    standard_cn = seller_cn.shipping_methods.get()
    ShippingMethod.objects.create(
        seller=seller_cn,
        name_ru="Выключен",
        name_en="Disabled",
        carrier="X",
        price_amount=0,
        currency="CNY",
        transit_days_min=1,
        transit_days_max=1,
        is_active=False,
    )

    methods = list_methods_by_seller(seller_ids=[seller_ru.id, seller_cn.id])

    assert methods == {seller_ru.id: [free, standard_ru, express], seller_cn.id: [standard_cn]}


def test_promises_add_handling_to_transit(db):
    seller = make_seller(currency="RUB")
    standard = seller.shipping_methods.get()  # 3..7 days
    express = add_method(seller, price=Money("700", "RUB"), days_min=1, days_max=2)

    assert delivery_promise(handling_days=2, method=standard) == DeliveryPromise(5, 9)
    assert fastest_promise(handling_days=2, methods=[standard, express]) == DeliveryPromise(3, 4)
    assert fastest_promise(handling_days=2, methods=[]) is None
