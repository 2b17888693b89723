from celery import shared_task

from .checkout import purge_checkout_attempts


@shared_task(name="caravan.cart.tasks.purge_checkout_attempts")
def purge_checkout_attempts_task() -> int:
    return purge_checkout_attempts()
