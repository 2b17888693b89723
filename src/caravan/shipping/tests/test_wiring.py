"""The engine wired to the rest (ADR 0012): flat methods mirror into the default profile, new
shops get a default profile, and every profile edit announces the seller's products."""

from decimal import Decimal

import pytest
from tests.factories import make_offer, make_seller

from caravan.catalog.events import ProductsChanged
from caravan.kernel.events import _subscribers, subscribe
from caravan.kernel.money import Money
from caravan.sellers.tests.helpers import approved_seller
from caravan.shipping.models import ProfileMethod, ShippingProfile
from caravan.shipping.services import (
    create_shipping_method,
    set_shipping_method_active,
    update_shipping_method,
)
from caravan.shipping.tests.profile_helpers import method, moscow_profile, rate, zones_of

pytestmark = pytest.mark.django_db


def method_view(flat):
    mirrored = ProfileMethod.objects.get(legacy_method=flat)
    (zone_rate,) = mirrored.rates.all()
    (band,) = zone_rate.bands.all()
    return (
        mirrored.profile.is_default,
        zone_rate.zone.is_rest_of_world,
        mirrored.name_en,
        mirrored.carrier,
        mirrored.is_active,
        band.up_to_grams,
        band.price_amount,
        (zone_rate.transit_days_min, zone_rate.transit_days_max),
    )


def test_a_flat_method_is_mirrored_into_a_default_worldwide_profile():
    seller = make_seller(country="CN", currency="CNY", delivery_price=None)

    flat = create_shipping_method(
        seller=seller,
        name_ru="Почта",
        name_en="China Post",
        carrier="China Post",
        price=Money("25.50", "CNY"),
        transit_days_min=10,
        transit_days_max=20,
    )

    profile = ShippingProfile.objects.get(seller=seller)
    assert (profile.warehouse_country, profile.warehouse_timezone) == ("CN", "Asia/Shanghai")
    assert method_view(flat) == (
        True,
        True,
        "China Post",
        "China Post",
        True,
        None,
        Decimal("25.50"),
        (10, 20),
    )


def test_editing_and_withdrawing_a_flat_method_follow_in_the_profile():
    seller = make_seller(currency="RUB", delivery_price="300")
    flat = seller.shipping_methods.get()

    update_shipping_method(
        seller=seller,
        method_id=flat.id,
        name_ru="Курьер",
        name_en="Courier",
        carrier="CDEK",
        price=Money("450", "RUB"),
        transit_days_min=1,
        transit_days_max=3,
    )
    set_shipping_method_active(seller=seller, method_id=flat.id, is_active=False)

    assert method_view(flat) == (True, True, "Courier", "CDEK", False, None, Decimal("450"), (1, 3))
    assert ProfileMethod.objects.filter(profile__seller=seller).count() == 1


def test_an_approved_shop_gets_a_default_profile():
    seller = approved_seller()

    profile = ShippingProfile.objects.get(seller=seller)

    assert (profile.is_default, profile.warehouse_country, profile.handling_days) == (
        True,
        seller.country,
        1,
    )
    assert [(zone.is_rest_of_world, zone.countries) for zone in profile.zones.all()] == [(True, [])]


@pytest.fixture
def announced():
    products: list[int] = []

    def record(event: ProductsChanged) -> None:
        products.extend(event.product_ids)

    subscribe(ProductsChanged, record)
    yield products
    _subscribers[ProductsChanged].remove(record)


def test_every_profile_edit_announces_the_sellers_products(announced):
    seller = make_seller(currency="RUB", delivery_price=None)
    offer = make_offer(seller=seller)
    announced.clear()

    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.russia, [(None, "300")])

    # profile, five zones, the method and its rate: eight writes, each announced
    assert announced == [offer.product_id] * 8
