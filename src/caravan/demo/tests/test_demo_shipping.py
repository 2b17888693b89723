"""The demo's shipping profiles: every seller ships from its city by zone and weight."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from django.core.management import call_command

from caravan.demo.shipping_profiles import EAEU_ONLY
from caravan.demo.vocabulary import SELLERS
from caravan.kernel.money import Money
from caravan.sellers.models import Seller
from caravan.shipping.models import ShippingProfile
from caravan.shipping.quotes import Destination, ParcelLine, quote_methods, ships_to


def seed() -> None:
    call_command("seed_demo", "--products", "20", stdout=io.StringIO())


def test_every_demo_seller_has_a_default_profile_with_zones_and_bands(db):
    seed()

    profiles = ShippingProfile.objects.filter(is_default=True).select_related("seller")
    assert {profile.seller.slug for profile in profiles} == {words.slug for words in SELLERS}
    for profile in profiles:
        zone_names = set(profile.zones.values_list("name", flat=True))
        if profile.seller.slug in EAEU_ONLY:
            assert zone_names == {"Russia", "EAEU"}, profile.seller.slug
        else:
            assert {"Russia", "EAEU", "EU", "World"} <= zone_names, profile.seller.slug
        words = next(words for words in SELLERS if words.slug == profile.seller.slug)
        assert profile.methods.count() == len(words.shipping)
        # The demo writes profiles only: no flat method, so none mirrored beside them.
        assert profile.seller.shipping_methods.count() == 0
        assert profile.seller.shipping_profiles.count() == 1
        assert profile.weekdays_off == ([6] if profile.warehouse_country == "CN" else [5, 6])
    moscow = ShippingProfile.objects.get(seller__slug="gadget-house")
    assert (moscow.warehouse_city, moscow.warehouse_timezone) == ("Moscow", "Europe/Moscow")
    assert moscow.holidays.filter(date=date(2027, 1, 7)).exists()


def test_a_berlin_buyer_gets_dated_quotes_from_moscow_with_free_post_from_5000_rub(db):
    seed()
    seller = Seller.objects.get(slug="gadget-house")
    placed_at = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)  # Friday, 12:00 in Moscow

    def quote(price: str):
        line = ParcelLine(quantity=1, unit_price=Money(price, "RUB"), weight_grams=800)
        return quote_methods(
            seller=seller, lines=[line], destination=Destination(country="DE"), placed_at=placed_at
        )

    cheap, dear = quote("4999"), quote("5000")

    # EU zone: the flat price x 3.5, band up to 1 kg; Russian Post is free from 5000 RUB
    assert [(option.method.carrier, option.price) for option in cheap.options] == [
        ("Russian Post", Money("1015", "RUB")),
        ("CDEK", Money("1365", "RUB")),
        ("Yandex Delivery", Money("1715", "RUB")),
    ]
    assert [(option.method.carrier, option.price) for option in dear.options] == [
        ("Russian Post", Money("0", "RUB")),
        ("CDEK", Money("1365", "RUB")),
        ("Yandex Delivery", Money("1715", "RUB")),
    ]
    # Friday noon in Moscow, one handling day: handed over on Monday
    assert {option.dates.dispatch_on for option in cheap.options} == {date(2026, 12, 14)}
    assert ships_to(seller, "US") is True


def test_two_russian_sellers_deliver_within_the_eaeu_only(db):
    seed()

    reach = {
        slug: [ships_to(Seller.objects.get(slug=slug), country) for country in ("RU", "KZ", "DE")]
        for slug in sorted(EAEU_ONLY)
    }

    assert reach == {"nevsky-beauty": [True, True, False], "ural-sport": [True, True, False]}
