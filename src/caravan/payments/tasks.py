from celery import shared_task

from .refunds import retry_refunds, send_refund
from .services import expire_unpaid_orders as expire


@shared_task(name="caravan.payments.tasks.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    return expire()


@shared_task(name="caravan.payments.tasks.send_refund")
def send_refund_task(refund_id: int) -> None:
    # Safe to run twice: the provider sees the refund's idempotency key.
    send_refund(refund_id=refund_id)


@shared_task(name="caravan.payments.tasks.retry_refunds")
def retry_refunds_task() -> int:
    return retry_refunds()
