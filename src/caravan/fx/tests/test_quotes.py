from datetime import date, timedelta
from decimal import Decimal

import pytest

from caravan.fx.importing import import_feed
from caravan.fx.quotes import Quote, identity_quote, quote_table
from caravan.fx.services import convert
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money

from .samples import CBR_LAST_FRESH_MOMENT, MONDAY_MORNING, cbr_sample, ecb_sample, set_clock


@pytest.fixture
def cbr_day(db, monkeypatch, settings):
    """The CBR sample imported, Monday morning, a 1.5 % margin."""
    settings.FX_MARGIN_BPS = 150
    settings.FX_MAX_RATE_AGE_HOURS = 72
    set_clock(monkeypatch, MONDAY_MORNING)
    import_feed(source="cbr", content=cbr_sample())


def test_a_quote_carries_the_mid_rate_the_margin_its_source_and_day(cbr_day):
    quote = quote_table(currency="RUB").get("CNY")

    assert (quote.mid, quote.margin_bps, quote.source, quote.rate_date) == (
        Decimal("11.0542"),
        150,
        "cbr",
        date(2026, 12, 5),
    )
    assert quote.effective == Decimal("11.220013")  # 11.0542 x 1.015


def test_a_price_is_converted_with_the_margin_and_rounded_once_to_kopecks(cbr_day):
    table = quote_table(currency="RUB")

    # 99.99 x 11.220013 = 1121.8891... -> 1121.89; at mid 99.99 x 11.0542 = 1105.3094...
    assert table.to_buyer(Money("99.99", "CNY")) == Money("1121.89", "RUB")
    assert table.get("CNY").at_mid(Money("99.99", "CNY")) == Money("1105.31", "RUB")


@pytest.mark.parametrize(
    ("price", "currency", "charged"),
    [
        # 1000 RUB x 1.910522585 x 1.015 = 1939.18 -> 1939 yen (no minor unit)
        (Money("1000.00", "RUB"), "JPY", Money("1939", "JPY")),
        # 1000 RUB x 18.47513616 x 1.015 = 18752.26 -> 18752 won
        (Money("1000.00", "RUB"), "KRW", Money("18752", "KRW")),
        # 1000 RUB x 0.01085369758 x 1.015 = 11.0165 -> 11.02 euro
        (Money("1000.00", "RUB"), "EUR", Money("11.02", "EUR")),
        # 5000 JPY x 0.005681009828 x 1.015 = 28.8311... -> 28.83 euro (a cross rate)
        (Money("5000", "JPY"), "EUR", Money("28.83", "EUR")),
        # 1 KZT x 0.001954142776 x 1.015 = 0.00198... -> 0.00 USD, never a made-up 1
        (Money("1.00", "KZT"), "USD", Money("0.00", "USD")),
    ],
)
def test_a_price_is_rounded_to_the_buyer_currencys_minor_unit(cbr_day, price, currency, charged):
    assert quote_table(currency=currency).to_buyer(price) == charged


def test_the_same_currency_is_the_identity_without_margin(cbr_day):
    quote = quote_table(currency="EUR").get("EUR")

    assert quote == identity_quote("EUR")
    assert (quote.mid, quote.margin_bps, quote.effective) == (Decimal(1), 0, Decimal(1))
    assert quote.to_buyer(Money("10.005", "EUR")) == Money("10.01", "EUR")


def test_a_missing_rate_is_an_error_never_a_rate_of_one(db):
    # The ECB publishes no rouble rate: euro prices of rouble offers have no quote.
    import_feed(source="ecb", content=ecb_sample())
    table = quote_table(currency="EUR")

    with pytest.raises(NotFound) as caught:
        table.to_buyer(Money("1000.00", "RUB"))

    assert (caught.value.code, caught.value.message) == (
        "rate_missing",
        "No exchange rate from RUB to EUR",
    )
    assert table.get("USD").mid == Decimal("0.8574858515")


def test_with_no_rates_recorded_every_cross_currency_quote_is_missing(db):
    table = quote_table(currency="EUR")

    with pytest.raises(NotFound) as caught:
        table.to_buyer(Money("100.00", "CNY"))

    assert (caught.value.code, caught.value.message) == (
        "rate_missing",
        "No exchange rate from CNY to EUR",
    )
    with pytest.raises(NotFound) as converted:
        convert(money=Money("100.00", "CNY"), to="EUR")
    assert converted.value.code == "rate_missing"


def test_a_rate_is_fresh_until_the_allowed_age_after_its_day_ended(cbr_day):
    quote = quote_table(currency="RUB").get("USD")

    # 2026-12-05 ended at midnight Moscow time; 72 hours later it is still fresh.
    assert quote.is_stale(at=CBR_LAST_FRESH_MOMENT) is False
    assert quote.is_stale(at=CBR_LAST_FRESH_MOMENT + timedelta(seconds=1)) is True


def test_a_stale_rate_stops_cross_currency_checkout_with_a_clear_message(cbr_day, monkeypatch):
    set_clock(monkeypatch, CBR_LAST_FRESH_MOMENT + timedelta(hours=1))
    table = quote_table(currency="RUB")

    with pytest.raises(ValidationFailed) as caught:
        table.require_fresh("CNY")

    assert (caught.value.code, caught.value.message) == (
        "rate_stale",
        "Prices in RUB cannot be confirmed right now: the CNY exchange rate is out of date. "
        "Please try again later or pay in CNY.",
    )
    assert table.require_fresh("RUB") == identity_quote("RUB")


def test_re_recording_an_old_days_rate_today_does_not_make_it_fresh(cbr_day, monkeypatch):
    set_clock(monkeypatch, CBR_LAST_FRESH_MOMENT + timedelta(days=3))
    import_feed(source="cbr", content=cbr_sample())  # recorded now, for 2026-12-05

    assert quote_table(currency="RUB").get("USD").is_stale() is True


def test_a_quote_without_a_rate_date_falls_back_to_when_it_was_recorded(cbr_day):
    recorded = MONDAY_MORNING
    quote = Quote("CNY", "RUB", Decimal("11"), 150, "manual", recorded)

    assert quote.is_stale(at=recorded + timedelta(hours=72)) is False
    assert quote.is_stale(at=recorded + timedelta(hours=72, seconds=1)) is True
