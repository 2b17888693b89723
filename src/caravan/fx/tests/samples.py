"""The feed files in tests/data (each feed's exact published format) and a fixed clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

DATA = Path(__file__).resolve().parent / "data"
MOSCOW = ZoneInfo("Europe/Moscow")

# The CBR file is dated Saturday 2026-12-05 (published on Friday), the ECB file Friday
# 2026-12-04. On Monday morning both are current; late on Tuesday the CBR one is 72 hours
# past the end of its day.
MONDAY_MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=MOSCOW)
CBR_LAST_FRESH_MOMENT = datetime(2026, 12, 9, 0, 0, tzinfo=MOSCOW)

CBR_RATES_IN_ROUBLES = {
    "BYN": "26.7532",
    "CNY": "11.0542",
    "EUR": "92.1345",
    "GBP": "105.8423",
    "JPY": "0.523417",  # 52,3417 per 100 yen
    "KRW": "0.0541268",  # 54,1268 per 1000 won
    "KZT": "0.154321",  # 15,4321 per 100 tenge
    "TRY": "1.86214",  # 18,6214 per 10 lira
    "USD": "78.9712",
}
ECB_RATES_PER_EURO = {
    "CNY": "8.3342",
    "GBP": "0.87102",
    "JPY": "176.03",
    "KRW": "1702.38",
    "TRY": "49.5427",
    "USD": "1.1662",
}


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


def cbr_sample() -> bytes:
    return sample("cbr_2026-12-05.xml")


def ecb_sample() -> bytes:
    return sample("ecb_2026-12-04.xml")


def set_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> datetime:
    """Stop every reader of django.utils.timezone.now (kernel.clock included) at `at`."""
    monkeypatch.setattr(timezone, "now", lambda: at)
    return at
