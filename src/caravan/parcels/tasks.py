from celery import shared_task

from .tracking import poll_parcels


@shared_task(name="caravan.parcels.tasks.poll_tracking")
def poll_tracking() -> int:
    # Safe to run twice: each carrier event is recorded once (its dedup key).
    return poll_parcels().events
