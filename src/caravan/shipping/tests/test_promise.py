"""Delivery promises: handling on the warehouse's working days in its time zone, then the
zone's transit range in calendar days, read as dates in the buyer's time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from tests.factories import make_seller

from caravan.kernel.errors import ValidationFailed
from caravan.shipping.calendar import CalendarError, arrival_date, dispatch_date, make_calendar
from caravan.shipping.profile_services import add_non_working_day, save_profile
from caravan.shipping.quotes import Destination, delivery_promise, quote_methods

from .profile_helpers import item, method, moscow_profile, rate, zones_of

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKEND = make_calendar(timezone="Europe/Moscow", weekdays_off=(5, 6), holidays=())
# 2026-12-11 is a Friday.


@pytest.mark.parametrize(
    ("placed", "handling", "holidays", "dispatch"),
    [
        (datetime(2026, 12, 10, 10, 0), 1, (), date(2026, 12, 11)),  # Thu -> Fri
        (datetime(2026, 12, 11, 10, 0), 1, (), date(2026, 12, 14)),  # Fri -> Mon
        (datetime(2026, 12, 11, 10, 0), 0, (), date(2026, 12, 11)),  # Fri, same day
        (datetime(2026, 12, 12, 10, 0), 0, (), date(2026, 12, 14)),  # Sat -> Mon
        (datetime(2026, 12, 12, 10, 0), 1, (), date(2026, 12, 15)),  # Sat -> Tue
        (datetime(2026, 12, 10, 10, 0), 2, (), date(2026, 12, 14)),  # Thu -> Mon
        (datetime(2026, 12, 11, 10, 0), 1, (date(2026, 12, 14),), date(2026, 12, 15)),
        (
            datetime(2026, 12, 31, 10, 0),  # Thu; Russian New Year holidays follow
            1,
            tuple(date(2027, 1, day) for day in range(1, 9)),
            date(2027, 1, 11),
        ),
    ],
)
def test_handling_counts_working_days_only(placed, handling, holidays, dispatch):
    calendar = make_calendar(timezone="Europe/Moscow", weekdays_off=(5, 6), holidays=holidays)

    assert (
        dispatch_date(
            calendar=calendar, placed_at=placed.replace(tzinfo=MOSCOW), handling_days=handling
        )
        == dispatch
    )


@pytest.mark.parametrize(
    ("placed_in_berlin", "dispatch"),
    [
        # 21:59 in Berlin is 23:59 on Friday in Moscow: handed over the same Friday
        (datetime(2026, 12, 11, 21, 59), date(2026, 12, 11)),
        # 22:00 in Berlin is already Saturday in Moscow: the warehouse opens on Monday
        (datetime(2026, 12, 11, 22, 0), date(2026, 12, 14)),
        (datetime(2026, 12, 11, 23, 30), date(2026, 12, 14)),
    ],
)
def test_the_warehouse_clock_decides_the_order_day(placed_in_berlin, dispatch):
    assert (
        dispatch_date(
            calendar=WEEKEND, placed_at=placed_in_berlin.replace(tzinfo=BERLIN), handling_days=0
        )
        == dispatch
    )


@pytest.mark.parametrize(
    ("warehouse", "buyer", "arrival"),
    [
        ("Europe/Moscow", "Europe/Berlin", date(2026, 12, 21)),
        ("Europe/Moscow", "Asia/Vladivostok", date(2026, 12, 21)),
        # midday in Shanghai is still the evening before in Los Angeles
        ("Asia/Shanghai", "America/Los_Angeles", date(2026, 12, 20)),
    ],
)
def test_arrival_is_the_buyers_local_date(warehouse, buyer, arrival):
    assert (
        arrival_date(
            dispatched_on=date(2026, 12, 14),
            warehouse_timezone=warehouse,
            transit_days=7,
            buyer_timezone=buyer,
        )
        == arrival
    )


def test_a_calendar_without_a_working_weekday_is_refused():
    with pytest.raises(CalendarError):
        make_calendar(timezone="Europe/Moscow", weekdays_off=range(7), holidays=())


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(CalendarError):
        make_calendar(timezone="Europe/Atlantis", weekdays_off=(), holidays=())


@pytest.mark.django_db
def test_a_berlin_buyer_just_after_midnight_moscow_gets_dates_from_monday():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller, handling_days=1)
    add_non_working_day(seller=seller, profile_id=profile.id, day=date(2026, 12, 14))
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.europe, [(None, "1500")], transit=(5, 9))
    placed_at = datetime(2026, 12, 11, 22, 30, tzinfo=BERLIN)  # Sat 00:30 in Moscow
    berlin = Destination(country="DE")

    quote = quote_methods(seller=seller, lines=[item(500)], destination=berlin, placed_at=placed_at)
    promise = delivery_promise(method=courier, destination=berlin, placed_at=placed_at)

    # Sat and Sun off, Mon 14 a holiday: Tue 15 is the first working day, handling done Wed 16
    assert [option.dates for option in quote.options] == [promise]
    assert (promise.dispatch_on, promise.earliest, promise.latest) == (
        date(2026, 12, 16),
        date(2026, 12, 21),
        date(2026, 12, 25),
    )


@pytest.mark.django_db
def test_an_offers_own_handling_time_overrides_the_profiles():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller, weekdays_off=(), handling_days=1)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.russia, [(None, "300")], transit=(2, 4))

    promise = delivery_promise(
        method=courier,
        destination=Destination(country="RU"),
        placed_at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
        handling_days=3,
    )

    assert (promise.earliest, promise.latest) == (date(2026, 12, 12), date(2026, 12, 14))


@pytest.mark.django_db
def test_a_promise_to_a_country_the_method_does_not_reach_is_refused():
    seller = make_seller(currency="RUB", delivery_price=None)
    profile = moscow_profile(seller)
    zones = zones_of(seller, profile)
    courier = method(seller, profile)
    rate(seller, courier, zones.russia, [(None, "300")])

    with pytest.raises(ValidationFailed) as refusal:
        delivery_promise(
            method=courier,
            destination=Destination(country="DE"),
            placed_at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
        )

    assert (refusal.value.code, refusal.value.message) == (
        "does_not_ship",
        "Does not ship to Germany",
    )


@pytest.mark.django_db
def test_a_profile_closed_every_day_is_refused_and_nothing_is_saved():
    seller = make_seller(currency="RUB", delivery_price=None)

    with pytest.raises(ValidationFailed) as refusal:
        save_profile(
            seller=seller,
            name="Closed",
            warehouse_country="RU",
            warehouse_city="Moscow",
            warehouse_timezone="Europe/Moscow",
            handling_days=1,
            weekdays_off=range(7),
        )

    assert refusal.value.code == "weekdays_invalid"
    assert seller.shipping_profiles.count() == 0
