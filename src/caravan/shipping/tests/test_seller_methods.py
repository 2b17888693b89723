from decimal import Decimal

import pytest
from tests.factories import make_seller

from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.events import _subscribers, subscribe
from caravan.kernel.money import Money
from caravan.shipping.events import ShippingMethodsChanged
from caravan.shipping.models import ShippingMethod
from caravan.shipping.selectors import (
    get_seller_method,
    list_seller_methods,
    seller_has_active_method,
)
from caravan.shipping.services import (
    create_shipping_method,
    set_shipping_method_active,
    update_shipping_method,
)

FIELDS = (
    "name_ru",
    "name_en",
    "carrier",
    "price_amount",
    "currency",
    "transit_days_min",
    "transit_days_max",
    "is_active",
    "position",
)


def snapshot():
    return list(ShippingMethod.objects.order_by("id").values_list("id", *FIELDS))


def edit(seller, method, **changes):
    values = {
        "name_ru": "Курьер",
        "name_en": "Courier",
        "carrier": "CDEK",
        "price": Money("450.50", seller.currency),
        "transit_days_min": 1,
        "transit_days_max": 3,
    }
    values.update(changes)
    return update_shipping_method(seller=seller, method_id=method.id, **values)


@pytest.fixture
def published():
    events = []
    handler = events.append
    subscribe(ShippingMethodsChanged, handler)
    yield events
    # kernel.events has no unsubscribe (apps subscribe for the process's life); a test's
    # collector must not outlive the test.
    _subscribers[ShippingMethodsChanged].remove(handler)


def test_a_seller_lists_and_gets_only_its_own_methods(db):
    seller = make_seller(currency="RUB")
    other = make_seller(currency="CNY")
    standard = seller.shipping_methods.get()
    pickup = create_shipping_method(
        seller=seller,
        name_ru="Самовывоз",
        name_en="Pickup",
        carrier="Shop",
        price=Money("0", "RUB"),
        transit_days_min=0,
        transit_days_max=0,
        position=1,
    )
    ShippingMethod.objects.filter(id=pickup.id).update(is_active=False)

    assert list_seller_methods(seller=seller) == [standard, pickup]
    assert get_seller_method(seller=seller, id=pickup.id) == pickup
    with pytest.raises(NotFound):
        get_seller_method(seller=other, id=pickup.id)


def test_creating_a_method_strips_text_and_publishes_the_change(db, published):
    seller = make_seller(currency="RUB")
    published.clear()

    method = create_shipping_method(
        seller=seller,
        name_ru="  Курьер ",
        name_en=" Courier",
        carrier=" CDEK ",
        price=Money("0", "RUB"),
        transit_days_min=0,
        transit_days_max=0,
    )

    method.refresh_from_db()
    assert (method.name_ru, method.name_en, method.carrier) == ("Курьер", "Courier", "CDEK")
    assert method.price == Money("0", "RUB")
    assert published == [ShippingMethodsChanged(seller_id=seller.id)]


def test_updating_a_method_changes_every_field_and_publishes(db, published):
    seller = make_seller(currency="RUB")
    method = seller.shipping_methods.get()
    published.clear()

    edit(seller, method)

    method.refresh_from_db()
    assert (
        method.name_ru,
        method.name_en,
        method.carrier,
        method.price_amount,
        method.currency,
        method.transit_days_min,
        method.transit_days_max,
        method.is_active,
    ) == ("Курьер", "Courier", "CDEK", Decimal("450.50"), "RUB", 1, 3, True)
    assert published == [ShippingMethodsChanged(seller_id=seller.id)]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"price": Money("10", "EUR")}, "currency_mismatch"),
        ({"price": Money("-0.01", "RUB")}, "price_negative"),
        ({"price": Money("1.005", "RUB")}, "price_precision"),
        ({"price": Money("10000000000", "RUB")}, "price_too_large"),
        ({"transit_days_min": 4, "transit_days_max": 3}, "invalid_transit"),
        ({"transit_days_min": -1}, "invalid_transit"),
        ({"transit_days_max": 121}, "invalid_transit"),
        ({"name_ru": "   "}, "name_ru_invalid"),
        ({"name_en": "x" * 121}, "name_en_invalid"),
        ({"carrier": ""}, "carrier_invalid"),
    ],
)
def test_an_update_with_bad_values_is_refused_and_changes_nothing(db, published, changes, code):
    seller = make_seller(currency="RUB")
    method = seller.shipping_methods.get()
    before = snapshot()
    published.clear()

    with pytest.raises(ValidationFailed) as caught:
        edit(seller, method, **changes)

    assert caught.value.code == code
    assert snapshot() == before
    assert published == []


def test_a_bad_new_method_is_refused_and_nothing_is_created(db):
    seller = make_seller(currency="RUB")
    before = snapshot()

    with pytest.raises(ValidationFailed) as caught:
        create_shipping_method(
            seller=seller,
            name_ru="",
            name_en="Courier",
            carrier="CDEK",
            price=Money("100", "RUB"),
            transit_days_min=1,
            transit_days_max=2,
        )

    assert caught.value.code == "name_ru_invalid"
    assert snapshot() == before


def test_another_sellers_method_cannot_be_edited_or_switched(db, published):
    seller = make_seller(currency="RUB")
    intruder = make_seller(currency="RUB")
    method = seller.shipping_methods.get()
    before = snapshot()
    published.clear()

    with pytest.raises(NotFound):
        edit(intruder, method)
    with pytest.raises(NotFound):
        set_shipping_method_active(seller=intruder, method_id=method.id, is_active=False)

    assert snapshot() == before
    assert published == []


def test_switching_a_method_off_and_on(db, published):
    seller = make_seller(currency="RUB")
    method = seller.shipping_methods.get()
    published.clear()

    set_shipping_method_active(seller=seller, method_id=method.id, is_active=False)
    off = seller_has_active_method(seller=seller)
    # Asking for the state it already has is a no-op: nothing to re-summarise.
    set_shipping_method_active(seller=seller, method_id=method.id, is_active=False)
    set_shipping_method_active(seller=seller, method_id=method.id, is_active=True)

    assert off is False
    assert seller_has_active_method(seller=seller) is True
    assert ShippingMethod.objects.get(id=method.id).is_active is True
    assert published == [ShippingMethodsChanged(seller_id=seller.id)] * 2
