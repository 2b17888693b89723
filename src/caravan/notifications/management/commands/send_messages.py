from typing import Any

from django.core.management.base import BaseCommand

from caravan.notifications.reminders import remind_ship_by
from caravan.notifications.services import send_due_messages


class Command(BaseCommand):
    help = (
        "Queue the ship-by reminders that are due, then send every outbox message that is "
        "due (new ones whose task was lost, failures whose retry delay is over). Safe to run "
        "at any time and repeatedly (Celery beat runs both on its own schedule)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = remind_ship_by()
        sent = send_due_messages()
        self.stdout.write(f"{reminded} ship-by reminder(s) queued, {sent} message(s) sent")
