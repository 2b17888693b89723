from typing import Any

from django.core.management.base import BaseCommand

from caravan.payments.services import expire_unpaid_orders


class Command(BaseCommand):
    help = (
        "Cancel orders whose payment deadline has passed and put their stock back. "
        "Safe to run at any time and repeatedly (Celery beat runs it every minute)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_unpaid_orders()
        self.stdout.write(f"{expired} unpaid order(s) cancelled")
