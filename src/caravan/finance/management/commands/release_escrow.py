from django.core.management.base import BaseCommand

from caravan.finance.services import release_escrow


class Command(BaseCommand):
    help = (
        "Confirm deliveries nobody confirmed long after their latest promised date, then "
        "release the escrow of parcels whose protection window is over."
    )

    def handle(self, *args: object, **options: object) -> None:
        result = release_escrow()
        self.stdout.write(
            f"{result.confirmed} deliveries confirmed automatically, "
            f"{result.released} seller orders released"
        )
