"""Profile writes: scoped to the seller, validated, all or nothing."""

import pytest
from tests.factories import make_seller

from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money
from caravan.shipping.models import WeightBand, ZoneRate
from caravan.shipping.profile_selectors import get_seller_profile, list_seller_profiles
from caravan.shipping.profile_services import BandInput, save_zone, set_rate

from .profile_helpers import method, moscow_profile, rate, rub, zones_of

pytestmark = pytest.mark.django_db


def bands_of(courier):
    return list(
        WeightBand.objects.filter(rate__method=courier)
        .order_by("id")
        .values_list("rate__zone__name", "up_to_grams", "price_amount")
    )


def test_a_seller_never_reaches_another_sellers_profile():
    seller_a = make_seller(currency="RUB", delivery_price=None)
    seller_b = make_seller(currency="RUB", delivery_price=None)
    profile_a = moscow_profile(seller_a)
    zones_a = zones_of(seller_a, profile_a)
    courier_a = method(seller_a, profile_a)
    rate(seller_a, courier_a, zones_a.russia, [(None, "300")])
    before = bands_of(courier_a)

    with pytest.raises(NotFound):
        get_seller_profile(seller=seller_b, id=profile_a.id)
    with pytest.raises(NotFound):
        set_rate(
            seller=seller_b,
            method_id=courier_a.id,
            zone_id=zones_a.russia.id,
            transit_days_min=1,
            transit_days_max=2,
            bands=[BandInput(None, rub("1"))],
        )
    assert list_seller_profiles(seller=seller_b) == []
    assert bands_of(courier_a) == before


def test_a_method_cannot_be_priced_for_another_profiles_zone():
    seller = make_seller(currency="RUB", delivery_price=None)
    first = moscow_profile(seller)
    second = moscow_profile(seller)
    zone = save_zone(seller=seller, profile_id=second.id, name="RU", countries=["RU"])
    courier = method(seller, first)

    with pytest.raises(ValidationFailed) as refusal:
        rate(seller, courier, zone, [(None, "300")])

    assert refusal.value.code == "zone_other_profile"
    assert ZoneRate.objects.count() == 0
    assert (first.is_default, second.is_default) == (True, False)


def test_a_rate_table_is_replaced_whole_and_sorted_by_weight():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.russia, [(None, "900"), (500, "300")])

    rate(seller, courier, zones.russia, [(2000, "700"), (None, "1200"), (1000, "450")])

    assert sorted(bands_of(courier), key=lambda band: band[1] or 10**9) == [
        ("Russia", 1000, 450),
        ("Russia", 2000, 700),
        ("Russia", None, 1200),
    ]


@pytest.mark.parametrize(
    ("bands", "code"),
    [
        ([], "bands_invalid"),
        ([(None, "100"), (None, "200")], "bands_invalid"),
        ([(500, "100"), (500, "200")], "bands_invalid"),
        ([(0, "100")], "bands_invalid"),
        ([(None, "-1")], "price_invalid"),
        ([(None, "1.005")], "price_invalid"),
    ],
)
def test_a_bad_rate_table_changes_nothing(bands, code):
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.russia, [(None, "300")])
    before = bands_of(courier)

    with pytest.raises(ValidationFailed) as refusal:
        rate(seller, courier, zones.russia, bands)

    assert refusal.value.code == code
    assert bands_of(courier) == before


def test_rates_are_in_the_sellers_currency():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)

    with pytest.raises(ValidationFailed) as refusal:
        set_rate(
            seller=seller,
            method_id=courier.id,
            zone_id=zones.russia.id,
            transit_days_min=1,
            transit_days_max=2,
            bands=[BandInput(None, Money("5", "EUR"))],
        )

    assert refusal.value.code == "currency_mismatch"
    assert ZoneRate.objects.count() == 0


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ({}, "zone_empty"),
        ({"countries": ["RU"], "is_rest_of_world": True}, "zone_empty"),
        ({"countries": ["Russia"]}, "zone_country_invalid"),
        ({"regions": ["KGD"]}, "zone_region_invalid"),
    ],
)
def test_a_zone_names_places_or_the_rest_of_the_world(where, code):
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)

    with pytest.raises(ValidationFailed) as refusal:
        save_zone(seller=seller, profile_id=profile.id, name="Zone", **where)

    assert refusal.value.code == code
    assert profile.zones.count() == 0


def test_zone_codes_are_cleaned():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)

    zone = save_zone(
        seller=seller,
        profile_id=profile.id,
        name="EAEU",
        countries=[" kz", "BY", "by", ""],
        regions=["ru-kgd"],
    )

    assert (zone.countries, zone.regions) == (["BY", "KZ"], ["RU-KGD"])
