from celery import shared_task

from .sdr import import_sdr_rate as import_rate
from .tracking import poll_parcels


@shared_task(name="caravan.parcels.tasks.poll_tracking")
def poll_tracking() -> int:
    # Safe to run twice: each carrier event is recorded once (its dedup key).
    return poll_parcels().events


@shared_task(name="caravan.parcels.tasks.import_sdr_rate")
def import_sdr_rate() -> str:
    # Safe to run twice: one row per rate date.
    return str(import_rate().rub_per_sdr)
