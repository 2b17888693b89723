import logging

from celery import shared_task

from caravan.fx.feeds import FeedError

from .sdr import import_sdr_rate as import_rate
from .tracking import poll_parcels

logger = logging.getLogger(__name__)


@shared_task(name="caravan.parcels.tasks.poll_tracking")
def poll_tracking() -> int:
    # Safe to run twice: each carrier event is recorded once (its dedup key).
    return poll_parcels().events


@shared_task(name="caravan.parcels.tasks.import_sdr_rate")
def import_sdr_rate() -> str:
    """The day's roubles per SDR, or the feed's error code. Safe to run twice: one row per
    rate date. A feed that cannot be read (offline, malformed) is one log line, as the
    exchange-rate refresh's, not a task failure with its trace: the last rate stays in use."""
    try:
        return str(import_rate().rub_per_sdr)
    except FeedError as error:
        logger.warning("SDR rate import failed (%s): %s", error.code, error.message)
        return error.code
