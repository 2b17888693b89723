from typing import Any

from django.core.management.base import BaseCommand

from caravan.parcels.tracking import poll_parcels


class Command(BaseCommand):
    help = "Ask the carriers about every parcel still on its way and record what is new."

    def handle(self, *args: Any, **options: Any) -> None:
        result = poll_parcels()
        self.stdout.write(
            f"{result.parcels} parcels asked, {result.events} new events, "
            f"{result.failures} carriers did not answer"
        )
