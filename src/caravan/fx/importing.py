"""Importing one day of a rate feed: fetch it (outside any transaction), parse it, check its
date, then record its direct and cross rates in one transaction. Importing the same day
again writes nothing; a feed that fails any check writes nothing either."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from caravan.kernel.clock import now

from .feeds import FEED_NAMES, PARSERS, FeedError, FeedSnapshot, FeedUnavailable, derive_rates
from .freshness import is_rate_stale, max_rate_age
from .models import ExchangeRate
from .selectors import CROSS_SUFFIX

logger = logging.getLogger(__name__)

SNAPSHOT_DIR = Path(__file__).resolve().parent / "snapshot"
SNAPSHOT_SUFFIX = "-snapshot"
SOURCES = ("cbr", "ecb")
# Tells the banks' web servers (and their logs) which client is asking.
USER_AGENT = "Caravan exchange-rate import"


@dataclass(frozen=True)
class ImportResult:
    """What one import recorded. `base` is the feed's base currency; `rates` holds every pair of the day, direct and cross;
    `published` the feed's own figures in its own direction (1 USD = x RUB, 1 EUR = y USD)."""

    source: str
    base: str
    rate_date: date
    created: int
    updated: int
    unchanged: int
    rates: dict[tuple[str, str], Decimal]
    published: list[tuple[str, str, Decimal]]

    @property
    def recorded(self) -> int:
        return self.created + self.updated


def fetch_feed(*, source: str, on_date: date | None = None) -> bytes:
    """The feed's bytes from settings.FX_FEED_URLS; any network or HTTP failure is one
    FeedUnavailable. The CBR serves any day (`date_req`); the ECB daily file only its last."""
    _check_source(source)
    url = settings.FX_FEED_URLS[source]
    params = {"date_req": on_date.strftime("%d/%m/%Y")} if source == "cbr" and on_date else None
    try:
        response = httpx.get(
            url,
            params=params,
            headers={"User-Agent": USER_AGENT},
            timeout=float(settings.FX_FEED_TIMEOUT_SECONDS),
            follow_redirects=True,
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise FeedUnavailable(
            _(
                "The %(feed)s feed could not be fetched from %(url)s (%(reason)s); "
                "nothing was recorded."
            )
            % {"feed": FEED_NAMES[source], "url": url, "reason": str(error) or type(error).__name__}
        ) from error
    return response.content


def import_feed(
    *, source: str, content: bytes | None = None, on_date: date | None = None
) -> ImportResult:
    """Import `content` (a file's bytes) or, without it, the feed fetched from its URL.

    With `on_date` the feed must be for exactly that day. Without it, a fetched feed must
    be fresh (FX_MAX_RATE_AGE_HOURS, see fx.freshness); a file is taken for the day it says.
    """
    _check_source(source)
    fetched = content is None
    if content is None:
        content = fetch_feed(source=source, on_date=on_date)
    snapshot = PARSERS[source](content)
    if on_date is not None and snapshot.rate_date != on_date:
        raise _wrong_day(snapshot, on_date=on_date, fetched=fetched)
    if on_date is None and fetched and is_rate_stale(rate_date=snapshot.rate_date):
        raise FeedError(
            _(
                "The %(feed)s feed's latest rates are for %(date)s, older than %(hours)s hours; "
                "nothing was recorded."
            )
            % {
                "feed": FEED_NAMES[source],
                "date": snapshot.rate_date.isoformat(),
                "hours": int(max_rate_age().total_seconds() // 3600),
            },
            code="feed_stale",
        )
    return record_snapshot(snapshot=snapshot, source=source)


@transaction.atomic
def record_snapshot(
    *, snapshot: FeedSnapshot, source: str, rate_date: date | None = None
) -> ImportResult:
    """Record a parsed day under `source` (cross rates under `source`-cross), for
    `rate_date` (default: the feed's own date). Rows already recorded with the same rate
    stay as they are; a different rate for the same day replaces the earlier one."""
    day = rate_date or snapshot.rate_date
    cross_source = f"{source}{CROSS_SUFFIX}"
    existing = {
        (row.base, row.quote, row.source): row
        for row in ExchangeRate.objects.select_for_update().filter(
            rate_date=day, source__in=[source, cross_source]
        )
    }
    recorded_at = now()
    to_create: list[ExchangeRate] = []
    to_update: list[ExchangeRate] = []
    rates: dict[tuple[str, str], Decimal] = {}
    for derived in derive_rates(snapshot):
        name = cross_source if derived.is_cross else source
        rates[(derived.base, derived.quote)] = derived.rate
        row = existing.get((derived.base, derived.quote, name))
        if row is None:
            to_create.append(
                ExchangeRate(
                    base=derived.base,
                    quote=derived.quote,
                    rate=derived.rate,
                    source=name,
                    rate_date=day,
                    as_of=recorded_at,
                )
            )
        elif row.rate != derived.rate:
            row.rate, row.as_of = derived.rate, recorded_at
            to_update.append(row)
    # A concurrent import of the same day (beat and a command at once) may have written
    # some rows since the read above: those are the same figures, so they are skipped.
    ExchangeRate.objects.bulk_create(to_create, ignore_conflicts=True)
    ExchangeRate.objects.bulk_update(to_update, ["rate", "as_of"])
    return ImportResult(
        source=source,
        base=snapshot.base,
        rate_date=day,
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rates) - len(to_create) - len(to_update),
        rates=rates,
        published=_published(snapshot, rates),
    )


def load_snapshot(*, on_date: date) -> list[ImportResult]:
    """Record the CBR and ECB files shipped in fx/snapshot/ as the rates for `on_date`, so
    the demo converts prices and checks out offline.

    These are not that day's published rates: they are fixed sample figures (CBR of
    2026-12-05, ECB of 2026-12-04) dated with the day the demo is seeded, so that they are
    fresh for FX_MAX_RATE_AGE_HOURS; the sources say so ("cbr-snapshot", "ecb-snapshot").
    """
    return [
        record_snapshot(
            snapshot=PARSERS[source]((SNAPSHOT_DIR / f"{source}.xml").read_bytes()),
            source=f"{source}{SNAPSHOT_SUFFIX}",
            rate_date=on_date,
        )
        for source in SOURCES
    ]


def refresh_rates() -> dict[str, ImportResult | Exception]:
    """Import today's CBR, then ECB feed. A failing feed is logged and does not stop the
    other; running it again records nothing new."""
    outcome: dict[str, ImportResult | Exception] = {}
    for source in SOURCES:
        try:
            result = import_feed(source=source)
        except FeedError as error:
            logger.warning("fx import of %s failed (%s): %s", source, error.code, error.message)
            outcome[source] = error
        except Exception as error:
            # One feed's unexpected failure must not stop the other: log it with its trace.
            logger.exception("fx import of %s failed", source)
            outcome[source] = error
        else:
            logger.info(
                "fx import of %s for %s: %s new, %s corrected",
                source,
                result.rate_date,
                result.created,
                result.updated,
            )
            outcome[source] = result
    return outcome


def _check_source(source: str) -> None:
    if source not in PARSERS:
        raise FeedError(
            _("Unknown rate feed %(source)s; use one of: %(sources)s.")
            % {"source": source, "sources": ", ".join(SOURCES)},
            code="feed_source_unknown",
        )


def _wrong_day(snapshot: FeedSnapshot, *, on_date: date, fetched: bool) -> FeedError:
    values = {
        "feed": FEED_NAMES[snapshot.source],
        "asked": on_date.isoformat(),
        "date": snapshot.rate_date.isoformat(),
    }
    if fetched and snapshot.source == "ecb":
        return FeedError(
            _(
                "The ECB daily feed only has its latest day (%(date)s), not %(asked)s; "
                "import that day from a file with --file."
            )
            % values,
            code="feed_date_unavailable",
        )
    return FeedError(
        _("The %(feed)s feed holds rates for %(date)s, not for %(asked)s; nothing was recorded.")
        % values,
        code="feed_stale",
    )


def _published(
    snapshot: FeedSnapshot, rates: dict[tuple[str, str], Decimal]
) -> list[tuple[str, str, Decimal]]:
    pairs = [
        (currency, snapshot.base)
        if snapshot.quotation == "base_per_unit"
        else (snapshot.base, currency)
        for currency in sorted(snapshot.rates)
    ]
    return [(base, quote, rates[(base, quote)]) for base, quote in pairs]
