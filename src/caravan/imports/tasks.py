from celery import shared_task

from .services import purge_stale_imports as purge


@shared_task(name="caravan.imports.tasks.purge_stale_imports")
def purge_stale_imports() -> int:
    return purge()
