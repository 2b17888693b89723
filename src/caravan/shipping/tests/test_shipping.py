import pytest
from tests.factories import make_seller

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.shipping.models import ShippingMethod
from caravan.shipping.selectors import DeliveryPromise, delivery_promise
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


def test_the_flat_promise_adds_handling_to_transit(db):
    seller = make_seller(currency="RUB")
    standard = seller.shipping_methods.get()  # 3..7 days

    assert delivery_promise(handling_days=2, method=standard) == DeliveryPromise(5, 9)
