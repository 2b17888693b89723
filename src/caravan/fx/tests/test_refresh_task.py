import logging

import httpx
import respx
from django.conf import settings

from caravan.fx.models import ExchangeRate
from caravan.fx.tasks import refresh_rates

from .samples import MONDAY_MORNING, cbr_sample, ecb_sample, set_clock

CBR_URL = settings.FX_FEED_URLS["cbr"]
ECB_URL = settings.FX_FEED_URLS["ecb"]


@respx.mock
def test_refreshing_imports_both_feeds_and_again_adds_nothing(db, monkeypatch):
    set_clock(monkeypatch, MONDAY_MORNING)
    respx.get(CBR_URL).respond(200, content=cbr_sample())
    respx.get(ECB_URL).respond(200, content=ecb_sample())

    first = refresh_rates.delay().get()
    second = refresh_rates.delay().get()

    assert first == {"cbr": "2026-12-05: 90 new", "ecb": "2026-12-04: 42 new"}
    assert second == {"cbr": "2026-12-05: 0 new", "ecb": "2026-12-04: 0 new"}
    assert ExchangeRate.objects.count() == 90 + 42


@respx.mock
def test_one_feed_failing_is_logged_and_does_not_stop_the_other(db, monkeypatch, caplog):
    set_clock(monkeypatch, MONDAY_MORNING)
    respx.get(CBR_URL).mock(side_effect=httpx.ConnectError("connection refused"))
    respx.get(ECB_URL).respond(200, content=ecb_sample())

    with caplog.at_level(logging.WARNING, logger="caravan.fx.importing"):
        outcome = refresh_rates()

    assert outcome == {"cbr": "feed_unavailable", "ecb": "2026-12-04: 42 new"}
    assert set(ExchangeRate.objects.values_list("source", flat=True)) == {"ecb", "ecb-cross"}
    assert [record.getMessage() for record in caplog.records] == [
        f"fx import of cbr failed (feed_unavailable): The Central Bank of Russia feed could "
        f"not be fetched from {CBR_URL} (connection refused); nothing was recorded."
    ]


@respx.mock
def test_an_unexpected_failure_in_one_feed_is_logged_with_its_trace(db, monkeypatch, caplog):
    set_clock(monkeypatch, MONDAY_MORNING)
    respx.get(CBR_URL).respond(200, content=cbr_sample())
    respx.get(ECB_URL).mock(side_effect=RuntimeError("bug"))

    with caplog.at_level(logging.WARNING, logger="caravan.fx.importing"):
        outcome = refresh_rates()

    assert outcome == {"cbr": "2026-12-05: 90 new", "ecb": "RuntimeError"}
    assert [(record.getMessage(), record.exc_info is not None) for record in caplog.records] == [
        ("fx import of ecb failed", True)
    ]
