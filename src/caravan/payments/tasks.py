from celery import shared_task

from .services import expire_unpaid_orders as expire


@shared_task(name="caravan.payments.tasks.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    return expire()
