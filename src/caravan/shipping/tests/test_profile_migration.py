"""Migration 0003: flat methods become one profile per seller with nothing lost."""

from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from tests.factories import make_seller

from caravan.kernel.money import Money
from caravan.shipping.models import ShippingMethod, ShippingProfile
from caravan.shipping.quotes import Destination, ParcelLine, quote_methods
from caravan.shipping.selectors import delivery_promise as flat_promise

pytestmark = pytest.mark.django_db

migration = import_module("caravan.shipping.migrations.0003_flat_methods_into_profiles")


def flat_seller(*, country: str, currency: str, price: str):
    """A seller with one flat method written as before profiles existed (no mirror)."""
    seller = make_seller(country=country, currency=currency, delivery_price=None)
    ShippingMethod.objects.create(
        seller=seller,
        name_ru="Стандартная доставка",
        name_en="Standard delivery",
        carrier="Caravan Post",
        price_amount=Decimal(price),
        currency=currency,
        transit_days_min=3,
        transit_days_max=7,
    )
    return seller


def run_migration():
    migration.flat_methods_into_profiles(apps, None)


def migrated_view(seller):
    """Per migrated method: the flat fields it came from, read back through the profile."""
    rows = []
    for profile in ShippingProfile.objects.filter(seller=seller):
        for method in profile.methods.order_by("position", "id"):
            (rate,) = method.rates.all()
            (band,) = rate.bands.all()
            rows.append(
                (
                    method.legacy_method_id,
                    method.name_ru,
                    method.name_en,
                    method.carrier,
                    band.price_amount,
                    method.currency,
                    rate.transit_days_min,
                    rate.transit_days_max,
                    method.is_active,
                    method.position,
                    method.basis,
                    band.up_to_grams,
                    rate.zone.is_rest_of_world,
                )
            )
    return rows


def flat_view(seller):
    return [
        (
            flat.id,
            flat.name_ru,
            flat.name_en,
            flat.carrier,
            flat.price_amount,
            flat.currency,
            flat.transit_days_min,
            flat.transit_days_max,
            flat.is_active,
            flat.position,
            "per_order",
            None,
            True,
        )
        for flat in ShippingMethod.objects.filter(seller=seller).order_by("position", "id")
    ]


def test_each_sellers_flat_methods_become_one_worldwide_profile():
    moscow = flat_seller(country="RU", currency="RUB", price="300")
    shenzhen = flat_seller(country="CN", currency="CNY", price="25.50")
    ShippingMethod.objects.create(
        seller=moscow,
        name_ru="Экспресс",
        name_en="Express",
        carrier="CDEK",
        price_amount=Decimal("990.00"),
        currency="RUB",
        transit_days_min=1,
        transit_days_max=2,
        position=1,
        is_active=False,
    )
    flat_before = [flat_view(moscow), flat_view(shenzhen)]

    run_migration()

    assert [migrated_view(moscow), migrated_view(shenzhen)] == flat_before
    assert [flat_view(moscow), flat_view(shenzhen)] == flat_before
    assert list(
        ShippingProfile.objects.order_by("id").values_list(
            "seller_id", "warehouse_country", "warehouse_timezone", "weekdays_off", "is_default"
        )
    ) == [
        (moscow.id, "RU", "Europe/Moscow", [], True),
        (shenzhen.id, "CN", "Asia/Shanghai", [], True),
    ]


def test_a_migrated_method_quotes_the_old_price_and_promise_everywhere():
    seller = flat_seller(country="RU", currency="RUB", price="300")
    flat = seller.shipping_methods.get()
    run_migration()
    placed_at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday, 12:00 in Moscow
    line = ParcelLine(quantity=4, unit_price=Money("100", "RUB"), weight_grams=None)

    quotes = [
        quote_methods(
            seller=seller,
            lines=[line],
            destination=Destination(country=country),
            placed_at=placed_at,
            handling_days=2,
        )
        for country in ("RU", "DE", "US")
    ]

    old = flat_promise(handling_days=2, method=flat)
    assert [
        [(option.price, option.dates.earliest, option.dates.latest) for option in quote.options]
        for quote in quotes
    ] == [
        [(Money(Decimal("300.00"), "RUB"), date(2026, 12, 9 + 3), date(2026, 12, 9 + 7))],
    ] * 3
    assert (old.days_min, old.days_max) == (5, 9)


def test_running_the_migration_twice_adds_nothing():
    flat_seller(country="RU", currency="RUB", price="300")
    run_migration()
    counts = (
        ShippingProfile.objects.count(),
        apps.get_model("shipping", "ProfileMethod").objects.count(),
    )

    run_migration()

    assert (
        (
            ShippingProfile.objects.count(),
            apps.get_model("shipping", "ProfileMethod").objects.count(),
        )
        == counts
        == (1, 1)
    )
