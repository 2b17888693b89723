from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest
import respx
from django.conf import settings

from caravan.fx.feeds import FeedError, FeedUnavailable
from caravan.fx.importing import import_feed, load_snapshot
from caravan.fx.models import ExchangeRate
from caravan.fx.quotes import quote_table
from caravan.fx.selectors import latest_rates
from caravan.kernel.money import MINOR_UNITS, Money

from .samples import (
    CBR_LAST_FRESH_MOMENT,
    MONDAY_MORNING,
    cbr_sample,
    ecb_sample,
    sample,
    set_clock,
)

CBR_URL = settings.FX_FEED_URLS["cbr"]
ECB_URL = settings.FX_FEED_URLS["ecb"]


def all_rows() -> list[tuple[str, str, str, date, Decimal, object]]:
    return list(
        ExchangeRate.objects.order_by("id").values_list(
            "base", "quote", "source", "rate_date", "rate", "as_of"
        )
    )


def rate(base: str, quote: str, source: str) -> tuple[Decimal, date]:
    row = ExchangeRate.objects.get(base=base, quote=quote, source=source)
    return row.rate, row.rate_date


def test_a_cbr_file_records_direct_rates_both_ways_and_every_cross_rate(db):
    result = import_feed(source="cbr", content=cbr_sample())

    assert (result.source, result.base, result.rate_date) == ("cbr", "RUB", date(2026, 12, 5))
    assert (result.created, result.updated, result.unchanged, result.recorded) == (90, 0, 0, 90)
    assert ExchangeRate.objects.filter(source="cbr").count() == 18
    assert ExchangeRate.objects.filter(source="cbr-cross").count() == 72
    assert rate("CNY", "RUB", "cbr") == (Decimal("11.0542"), date(2026, 12, 5))
    assert rate("RUB", "KRW", "cbr") == (Decimal("18.47513616"), date(2026, 12, 5))
    assert rate("CNY", "EUR", "cbr-cross") == (Decimal("0.1199789438"), date(2026, 12, 5))
    assert rate("KRW", "GBP", "cbr-cross") == (Decimal("0.0005113910034"), date(2026, 12, 5))
    assert set(latest_rates(quote="EUR")) == set(MINOR_UNITS) - {"EUR"}
    assert result.published[:3] == [
        ("BYN", "RUB", Decimal("26.7532")),
        ("CNY", "RUB", Decimal("11.0542")),
        ("EUR", "RUB", Decimal("92.1345")),
    ]


def test_an_ecb_file_records_rates_to_and_from_the_euro_and_their_crosses(db):
    result = import_feed(source="ecb", content=ecb_sample())

    assert (result.rate_date, result.created) == (date(2026, 12, 4), 42)
    assert rate("EUR", "USD", "ecb") == (Decimal("1.1662"), date(2026, 12, 4))
    assert rate("USD", "EUR", "ecb") == (Decimal("0.8574858515"), date(2026, 12, 4))
    assert rate("CNY", "USD", "ecb-cross") == (Decimal("0.1399294473"), date(2026, 12, 4))
    # The ECB publishes no rouble, tenge or Belarusian rouble rate: none is made up.
    assert not ExchangeRate.objects.filter(base__in=["RUB", "KZT", "BYN"]).exists()
    assert not ExchangeRate.objects.filter(quote__in=["RUB", "KZT", "BYN"]).exists()


def test_importing_the_same_feed_again_writes_nothing(db):
    import_feed(source="cbr", content=cbr_sample())
    before = all_rows()

    again = import_feed(source="cbr", content=cbr_sample())

    assert (again.created, again.updated, again.unchanged) == (0, 0, 90)
    assert all_rows() == before


def test_a_corrected_feed_for_the_same_day_replaces_that_days_rates(db):
    import_feed(source="cbr", content=cbr_sample())

    corrected = cbr_sample().replace(b"<Value>11,0542</Value>", b"<Value>11,0600</Value>")
    result = import_feed(source="cbr", content=corrected)

    # CNY -> RUB, RUB -> CNY and CNY's 16 cross rates with the eight other currencies
    assert (result.created, result.updated, result.unchanged) == (0, 18, 72)
    assert rate("CNY", "RUB", "cbr") == (Decimal("11.06"), date(2026, 12, 5))
    assert ExchangeRate.objects.count() == 90


@pytest.mark.parametrize(
    ("source", "content", "code"),
    [
        ("cbr", b"", "feed_empty"),
        ("cbr", sample("cbr_empty.xml"), "feed_empty"),
        ("cbr", sample("cbr_malformed.xml"), "feed_malformed"),
        ("cbr", sample("cbr_partial.xml"), "feed_partial"),
        (
            "cbr",
            cbr_sample().replace(b"<Value>92,1345</Value>", b"<Value>0</Value>"),
            "feed_value_invalid",
        ),
        ("cbr", ecb_sample(), "feed_malformed"),
        ("ecb", sample("ecb_empty.xml"), "feed_empty"),
        ("ecb", cbr_sample(), "feed_malformed"),
        ("ecb", ecb_sample().replace(b" time='2026-12-04'", b""), "feed_date_missing"),
    ],
)
def test_a_feed_that_cannot_be_used_changes_nothing(db, source, content, code):
    import_feed(source="ecb", content=ecb_sample())
    before = all_rows()

    with pytest.raises(FeedError) as caught:
        import_feed(source=source, content=content)

    assert caught.value.code == code
    assert all_rows() == before


def test_a_file_for_another_day_than_asked_is_refused_as_stale(db):
    with pytest.raises(FeedError) as caught:
        import_feed(source="cbr", content=cbr_sample(), on_date=date(2026, 12, 8))

    assert (caught.value.code, caught.value.message) == (
        "feed_stale",
        "The Central Bank of Russia feed holds rates for 2026-12-05, not for 2026-12-08; "
        "nothing was recorded.",
    )
    assert ExchangeRate.objects.count() == 0


def test_a_file_for_the_day_asked_is_recorded(db):
    result = import_feed(source="ecb", content=ecb_sample(), on_date=date(2026, 12, 4))

    assert (result.rate_date, result.created) == (date(2026, 12, 4), 42)


def test_an_unknown_source_is_refused(db):
    with pytest.raises(FeedError) as caught:
        import_feed(source="fed", content=cbr_sample())

    assert (caught.value.code, caught.value.message) == (
        "feed_source_unknown",
        "Unknown rate feed fed; use one of: cbr, ecb.",
    )


@respx.mock
def test_the_cbr_feed_is_fetched_from_its_url(db, monkeypatch):
    set_clock(monkeypatch, MONDAY_MORNING)
    route = respx.get(CBR_URL).respond(200, content=cbr_sample())

    result = import_feed(source="cbr")

    assert route.call_count == 1
    assert route.calls.last.request.url == httpx.URL(CBR_URL)
    assert (result.rate_date, result.created) == (date(2026, 12, 5), 90)


@respx.mock
def test_the_cbr_is_asked_for_the_day_wanted(db, monkeypatch):
    set_clock(monkeypatch, MONDAY_MORNING)
    route = respx.get(CBR_URL, params={"date_req": "05/12/2026"}).respond(200, content=cbr_sample())

    result = import_feed(source="cbr", on_date=date(2026, 12, 5))

    assert route.call_count == 1
    assert result.rate_date == date(2026, 12, 5)


@respx.mock
def test_the_cbr_answering_with_an_earlier_day_than_asked_records_nothing(db, monkeypatch):
    # Asked for Sunday, the bank answers with the rates set on Saturday.
    set_clock(monkeypatch, MONDAY_MORNING)
    respx.get(CBR_URL).respond(200, content=cbr_sample())

    with pytest.raises(FeedError) as caught:
        import_feed(source="cbr", on_date=date(2026, 12, 6))

    assert caught.value.code == "feed_stale"
    assert ExchangeRate.objects.count() == 0


@respx.mock
def test_the_ecb_daily_feed_cannot_give_another_day(db, monkeypatch):
    set_clock(monkeypatch, MONDAY_MORNING)
    route = respx.get(ECB_URL).respond(200, content=ecb_sample())

    with pytest.raises(FeedError) as caught:
        import_feed(source="ecb", on_date=date(2026, 12, 1))

    assert route.calls.last.request.url == httpx.URL(ECB_URL)
    assert (caught.value.code, caught.value.message) == (
        "feed_date_unavailable",
        "The ECB daily feed only has its latest day (2026-12-04), not 2026-12-01; "
        "import that day from a file with --file.",
    )
    assert ExchangeRate.objects.count() == 0


@respx.mock
@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("[Errno -3] Temporary failure in name resolution"),
        httpx.ReadTimeout("timed out"),
    ],
)
def test_offline_the_fetch_fails_with_one_clear_error_and_writes_nothing(db, monkeypatch, failure):
    set_clock(monkeypatch, MONDAY_MORNING)
    import_feed(source="ecb", content=ecb_sample())
    before = all_rows()
    respx.get(CBR_URL).mock(side_effect=failure)

    with pytest.raises(FeedUnavailable) as caught:
        import_feed(source="cbr")

    assert caught.value.code == "feed_unavailable"
    assert caught.value.message == (
        f"The Central Bank of Russia feed could not be fetched from {CBR_URL} ({failure}); "
        "nothing was recorded."
    )
    assert all_rows() == before


@respx.mock
def test_an_error_status_from_the_feed_is_unavailable_and_writes_nothing(db, monkeypatch):
    set_clock(monkeypatch, MONDAY_MORNING)
    respx.get(ECB_URL).respond(503, text="<html>maintenance</html>")

    with pytest.raises(FeedUnavailable) as caught:
        import_feed(source="ecb")

    assert caught.value.code == "feed_unavailable"
    assert "503 Service Unavailable" in caught.value.message
    assert ExchangeRate.objects.count() == 0


@respx.mock
def test_a_fetched_feed_older_than_the_allowed_age_records_nothing(db, monkeypatch, settings):
    settings.FX_MAX_RATE_AGE_HOURS = 72
    set_clock(monkeypatch, CBR_LAST_FRESH_MOMENT + timedelta(seconds=1))
    respx.get(CBR_URL).respond(200, content=cbr_sample())

    with pytest.raises(FeedError) as caught:
        import_feed(source="cbr")

    assert (caught.value.code, caught.value.message) == (
        "feed_stale",
        "The Central Bank of Russia feed's latest rates are for 2026-12-05, older than 72 "
        "hours; nothing was recorded.",
    )
    assert ExchangeRate.objects.count() == 0


@respx.mock
def test_a_fetched_feed_just_within_the_allowed_age_is_recorded(db, monkeypatch, settings):
    settings.FX_MAX_RATE_AGE_HOURS = 72
    set_clock(monkeypatch, CBR_LAST_FRESH_MOMENT)
    respx.get(CBR_URL).respond(200, content=cbr_sample())

    assert import_feed(source="cbr").created == 90


def test_the_snapshot_is_recorded_for_the_day_given_under_its_own_source_names(
    db, monkeypatch, settings
):
    settings.FX_MARGIN_BPS = 150
    set_clock(monkeypatch, MONDAY_MORNING)

    results = load_snapshot(on_date=date(2026, 12, 7))

    assert [(r.source, r.rate_date, r.created) for r in results] == [
        ("cbr-snapshot", date(2026, 12, 7), 90),
        ("ecb-snapshot", date(2026, 12, 7), 42),
    ]
    assert set(ExchangeRate.objects.values_list("source", flat=True)) == {
        "cbr-snapshot",
        "cbr-snapshot-cross",
        "ecb-snapshot",
        "ecb-snapshot-cross",
    }
    assert rate("CNY", "RUB", "cbr-snapshot") == (Decimal("11.0542"), date(2026, 12, 7))
    # Checkout in euros works offline: the feed's own rate wins over the cross rate.
    quote = quote_table(currency="EUR").require_fresh("USD")
    assert (quote.mid, quote.source, quote.rate_date) == (
        Decimal("0.8574858515"),
        "ecb-snapshot",
        date(2026, 12, 7),
    )
    assert quote_table(currency="EUR").require_fresh("RUB").to_buyer(
        Money("1000.00", "RUB")
    ) == Money("11.02", "EUR")  # 1000 / 92.1345 = 10.8537 mid, x 1.015 margin


def test_loading_the_snapshot_twice_the_same_day_writes_nothing(db):
    load_snapshot(on_date=date(2026, 12, 7))
    before = all_rows()

    results = load_snapshot(on_date=date(2026, 12, 7))

    assert [r.created for r in results] == [0, 0]
    assert all_rows() == before


@respx.mock
def test_the_fetch_names_its_client(db, monkeypatch):
    set_clock(monkeypatch, MONDAY_MORNING)
    route = respx.get(ECB_URL).respond(200, content=ecb_sample())

    import_feed(source="ecb")

    assert route.calls.last.request.headers["User-Agent"] == "Caravan exchange-rate import"
