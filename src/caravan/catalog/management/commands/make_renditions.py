"""`caravan make_renditions`: the WebP renditions of product images stored before they were
made on upload (catalog.renditions); images that have them all are skipped unless --force."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from caravan.catalog.models import ProductImage
from caravan.catalog.renditions import make_renditions, rendition_widths


class Command(BaseCommand):
    help = "Make the WebP renditions (srcset widths) of every product image that lacks them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true", help="remake every image's renditions")

    def handle(self, *args: Any, **options: Any) -> None:
        made = skipped = 0
        names = ProductImage.objects.order_by("id").values_list("image", flat=True)
        for name in names.iterator():
            if not options["force"] and rendition_widths(name):
                skipped += 1
                continue
            make_renditions(name)
            made += 1
        self.stdout.write(f"Renditions made for {made} images ({skipped} already had them).")
