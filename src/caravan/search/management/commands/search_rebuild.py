"""`caravan search-rebuild`: project every product in batches, printing progress."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caravan.search.backends import get_backend
from caravan.search.services import REBUILD_BATCH_SIZE, rebuild_index

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rebuild the whole listing read model (listing rows, documents, engine rows and "
        "vocabulary) in batches; searching keeps working meanwhile."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=REBUILD_BATCH_SIZE)
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes projecting batches at once (PostgreSQL; SQLite always uses one): "
            "up to the database machine's cores, while the site's own load leaves room",
        )
        parser.add_argument(
            "--listings",
            action="store_true",
            help="accepted for old scripts: every rebuild now projects each product's whole "
            "listing row (best offer, facet keys, landed price, fastest delivery)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            share = done / total if total else 1.0
            filled = int(share * BAR_WIDTH)
            self.stdout.write(
                f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} products "
                f"{share:4.0%} {time.monotonic() - started:6.1f}s"
            )

        total = rebuild_index(batch_size=batch_size, progress=progress, workers=options["workers"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} products with the {get_backend().name} backend "
                f"in {time.monotonic() - started:.1f}s."
            )
        )
