from typing import Any

from celery import shared_task

from .reminders import remind_ship_by
from .services import send_due_messages, send_message
from .subscribers import handle


# Retried on any error (a database hiccup, a lock timeout): queueing an event's messages
# twice writes them once.
@shared_task(
    name="caravan.notifications.tasks.handle_event",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def handle_event_task(event_name: str, fields: dict[str, Any]) -> None:
    handle(event_name=event_name, fields=fields)


@shared_task(name="caravan.notifications.tasks.send_message")
def send_message_task(message_id: int) -> str:
    # Safe to run twice: the row is claimed with a conditional UPDATE before it is sent.
    return send_message(message_id=message_id)


@shared_task(name="caravan.notifications.tasks.send_due_messages")
def send_due_messages_task() -> int:
    return send_due_messages()


@shared_task(name="caravan.notifications.tasks.remind_ship_by")
def remind_ship_by_task() -> int:
    return remind_ship_by()
