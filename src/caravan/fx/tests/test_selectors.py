from datetime import date, timedelta
from decimal import Decimal

from caravan.fx.importing import import_feed
from caravan.fx.selectors import (
    RateAge,
    latest_rates,
    list_rate_ages,
    missing_currencies,
    stale_currencies,
)
from caravan.fx.services import record_rate

from .samples import CBR_LAST_FRESH_MOMENT, MONDAY_MORNING, cbr_sample, ecb_sample, set_clock


def test_the_rate_for_the_newest_day_is_current_whenever_it_was_recorded(db):
    record_rate(
        base="CNY", quote="RUB", rate=Decimal("11.05"), source="cbr", rate_date=date(2026, 12, 5)
    )
    record_rate(
        base="CNY", quote="RUB", rate=Decimal("10.90"), source="cbr", rate_date=date(2026, 12, 1)
    )

    assert latest_rates(quote="RUB")["CNY"].rate == Decimal("11.05")


def test_on_the_same_day_a_feeds_own_rate_beats_a_cross_rate_recorded_later(db):
    import_feed(source="ecb", content=ecb_sample())
    record_rate(
        base="USD",
        quote="EUR",
        rate=Decimal("0.86"),
        source="cbr-cross",
        rate_date=date(2026, 12, 4),
    )

    current = latest_rates(quote="EUR")["USD"]

    assert (current.rate, current.source) == (Decimal("0.8574858515"), "ecb")


def test_a_newer_day_of_one_feed_beats_an_older_day_of_the_other(db):
    import_feed(source="ecb", content=ecb_sample())  # 2026-12-04
    import_feed(source="cbr", content=cbr_sample())  # 2026-12-05

    current = latest_rates(quote="EUR")

    assert (current["USD"].source, current["USD"].rate) == (
        "cbr-cross",
        Decimal("0.8571295226"),  # 78.9712 / 92.1345
    )
    assert (current["RUB"].source, current["RUB"].rate_date) == ("cbr", date(2026, 12, 5))


def test_rate_ages_list_the_newest_rate_of_every_pair_and_source(db, monkeypatch, settings):
    settings.FX_MAX_RATE_AGE_HOURS = 72
    set_clock(monkeypatch, MONDAY_MORNING)
    import_feed(source="cbr", content=cbr_sample())
    record_rate(base="CNY", quote="RUB", rate=Decimal("11.50"), source="manual")

    ages = list_rate_ages(quote="RUB")

    assert [(age.base, age.source) for age in ages] == [
        ("BYN", "cbr"),
        ("CNY", "cbr"),
        ("CNY", "manual"),
        ("EUR", "cbr"),
        ("GBP", "cbr"),
        ("JPY", "cbr"),
        ("KRW", "cbr"),
        ("KZT", "cbr"),
        ("TRY", "cbr"),
        ("USD", "cbr"),
    ]
    assert ages[1] == RateAge(
        base="CNY",
        quote="RUB",
        source="cbr",
        rate=Decimal("11.0542"),
        rate_date=date(2026, 12, 5),
        as_of=MONDAY_MORNING,
        age=timedelta(hours=34),  # since the end of 2026-12-05, Moscow time
        is_stale=False,
    )
    assert len(list_rate_ages()) == 90 + 1


def test_past_the_allowed_age_the_rates_are_listed_as_stale(db, monkeypatch, settings):
    settings.FX_MAX_RATE_AGE_HOURS = 72
    set_clock(monkeypatch, MONDAY_MORNING)
    import_feed(source="cbr", content=cbr_sample())
    later = CBR_LAST_FRESH_MOMENT + timedelta(minutes=1)
    set_clock(monkeypatch, later)
    record_rate(base="CNY", quote="RUB", rate=Decimal("11.50"), source="manual")

    ages = list_rate_ages(quote="RUB")

    assert [(age.base, age.source, age.is_stale) for age in ages][:3] == [
        ("BYN", "cbr", True),
        ("CNY", "cbr", True),
        ("CNY", "manual", False),
    ]
    assert ages[0].age == timedelta(hours=72, minutes=1)
    assert stale_currencies(quote="RUB") == ["BYN", "EUR", "GBP", "JPY", "KRW", "KZT", "TRY", "USD"]
    assert stale_currencies(quote="RUB", at=MONDAY_MORNING) == []


def test_missing_currencies_are_those_without_any_rate(db):
    import_feed(source="ecb", content=ecb_sample())

    assert missing_currencies(quote="EUR") == ["BYN", "KZT", "RUB"]
    assert missing_currencies(quote="RUB") == [
        "BYN",
        "CNY",
        "EUR",
        "GBP",
        "JPY",
        "KRW",
        "KZT",
        "TRY",
        "USD",
    ]
