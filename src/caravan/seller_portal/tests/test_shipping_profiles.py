from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from tests.factories import make_seller

from caravan.shipping.models import NonWorkingDay, ShippingProfile, WeightBand, ZoneRate
from caravan.shipping.tests.profile_helpers import method, moscow_profile, rate, zones_of

from .portal_helpers import owner_of

PROFILE = {
    "name": "Kazan warehouse",
    "warehouse_country": "RU",
    "warehouse_city": "Kazan",
    "warehouse_timezone": "Europe/Moscow",
    "handling_days": "2",
    "weekdays_off": ["5", "6"],
    "holidays": "2027-01-01 New Year\n\n2027-01-07",
}


@pytest.fixture
def market(market):
    """The market's shops without profiles yet: the factory's flat methods mirror into a
    "Standard" one (ADR 0012), and these pages are about building them in the portal."""
    ShippingProfile.objects.filter(seller__in=[market.seller_ru, market.seller_cn]).delete()
    return market


def bands_of(courier, zone):
    return list(
        WeightBand.objects.filter(rate__method=courier, rate__zone=zone)
        .order_by("price_amount")
        .values_list("up_to_grams", "price_amount")
    )


def test_a_seller_adds_a_profile_with_its_calendar(client, market):
    client.force_login(owner_of(market.seller_ru))

    response = client.post(reverse("seller_portal:shipping_profile_new"), PROFILE)

    assert response.status_code == 302
    assert response["Location"] == reverse("seller_portal:shipping_profiles")
    profile = ShippingProfile.objects.get(seller=market.seller_ru)
    assert (
        profile.name,
        profile.warehouse_city,
        profile.handling_days,
        profile.weekdays_off,
        profile.is_default,
    ) == ("Kazan warehouse", "Kazan", 2, [5, 6], True)
    assert list(profile.holidays.values_list("date", "note")) == [
        (date(2027, 1, 1), "New Year"),
        (date(2027, 1, 7), ""),
    ]


def test_a_bad_date_or_time_zone_is_reported_on_its_field_and_saves_nothing(client, market):
    client.force_login(owner_of(market.seller_ru))

    bad_date = client.post(
        reverse("seller_portal:shipping_profile_new"), PROFILE | {"holidays": "1 January"}
    )
    bad_zone = client.post(
        reverse("seller_portal:shipping_profile_new"),
        PROFILE | {"warehouse_timezone": "Moscow"},
    )

    assert bad_date.status_code == bad_zone.status_code == 400
    assert bad_date.context["form"].errors == {
        "holidays": ["Line 1: write the date as YYYY-MM-DD."]
    }
    assert bad_zone.context["form"].errors == {
        "warehouse_timezone": ["Name a time zone of the time zone database, such as Europe/Moscow"]
    }
    assert ShippingProfile.objects.count() == NonWorkingDay.objects.count() == 0


def test_a_seller_sets_a_rate_table_from_typed_bands(client, market):
    seller = market.seller_ru
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    client.force_login(owner_of(seller))

    response = client.post(
        reverse("seller_portal:shipping_rate_edit", args=[courier.id, zones.eaeu.id]),
        {
            "transit_days_min": "4",
            "transit_days_max": "9",
            "bands": "500 350\n1000 1 250,50\n* 2000",
        },
    )

    assert response.status_code == 302
    assert bands_of(courier, zones.eaeu) == [
        (500, Decimal("350.00")),
        (1000, Decimal("1250.50")),
        (None, Decimal("2000.00")),
    ]
    page = client.get(reverse("seller_portal:shipping_profiles")).content.decode()
    assert "≤ 500 g: 350.00 RUB; ≤ 1000 g: 1250.50 RUB; heavier: 2000.00 RUB" in page


def test_empty_bands_stop_the_method_shipping_to_the_zone(client, market):
    seller = market.seller_ru
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.europe, [(None, "1500")])
    client.force_login(owner_of(seller))

    response = client.post(
        reverse("seller_portal:shipping_rate_edit", args=[courier.id, zones.europe.id]),
        {"transit_days_min": "4", "transit_days_max": "9", "bands": ""},
    )

    assert response.status_code == 302
    assert ZoneRate.objects.filter(method=courier).count() == 0


def test_another_sellers_profile_is_not_found_and_not_listed(client, market):
    other = make_seller(name="Kazan Goods", currency="RUB", delivery_price=None)
    profile = moscow_profile(other)
    zones = zones_of(other, profile)
    courier = method(other, profile, "Secret courier")
    rate(other, courier, zones.russia, [(None, "10")])
    client.force_login(owner_of(market.seller_ru))

    listing = client.get(reverse("seller_portal:shipping_profiles"))
    edit = client.post(
        reverse("seller_portal:shipping_rate_edit", args=[courier.id, zones.russia.id]),
        {"transit_days_min": "1", "transit_days_max": "2", "bands": "* 1"},
    )

    assert listing.status_code == 200
    assert listing.context["pages"] == []
    assert "Secret courier" not in listing.content.decode()
    assert edit.status_code == 404
    assert bands_of(courier, zones.russia) == [(None, Decimal("10.00"))]
