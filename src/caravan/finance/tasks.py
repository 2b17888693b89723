from celery import shared_task

from .services import release_escrow as release


@shared_task(name="caravan.finance.tasks.release_escrow")
def release_escrow() -> dict[str, int]:
    result = release()
    return {"confirmed": result.confirmed, "released": result.released}
