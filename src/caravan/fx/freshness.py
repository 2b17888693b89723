"""How old a rate is, measured by the day its source published it for.

A feed's rate holds for its whole `rate_date` (in the marketplace time zone), so its age
counts from the midnight that ends that day. The Central Bank of Russia dates its file with
the next business day (Friday's file is Saturday's rate, which holds until Tuesday's), and
the ECB publishes around 16:00 CET for the same day; with the default of 72 hours neither
turns stale over an ordinary weekend, and one missed day on top of it is tolerated. Long
holidays (the Russian New Year, Easter for the ECB) need a larger FX_MAX_RATE_AGE_HOURS or a
rate recorded by hand.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from caravan.kernel.clock import now


def max_rate_age() -> timedelta:
    return timedelta(hours=int(settings.FX_MAX_RATE_AGE_HOURS))


def rate_age(*, rate_date: date, at: datetime | None = None) -> timedelta:
    """Time since `rate_date` ended; negative while that day (or a later one) is current."""
    day_after = datetime.combine(
        rate_date + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone()
    )
    return (at or now()) - day_after


def is_rate_stale(*, rate_date: date, at: datetime | None = None) -> bool:
    return rate_age(rate_date=rate_date, at=at) > max_rate_age()
