"""`caravan fx-import`: record one day of the Central Bank of Russia or ECB rates."""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caravan.fx.feeds import FeedError
from caravan.fx.importing import SOURCES, import_feed

# The figures worth echoing after an import, when the feed has them.
SHOWN = ("USD", "EUR", "CNY", "GBP")


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


class Command(BaseCommand):
    help = (
        "Import exchange rates from the Central Bank of Russia (cbr) or the ECB (ecb): from "
        "a file saved from the feed, or fetched from settings.FX_FEED_URLS. Records the "
        "feed's rates and the cross rates between its currencies; importing the same day "
        "again records nothing. Any problem with the feed records nothing and exits non-zero."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--source", required=True, choices=SOURCES, help="cbr or ecb")
        parser.add_argument("--file", type=Path, help="Read the feed from this file.")
        parser.add_argument(
            "--date",
            type=iso_date,
            help="The day the rates must be for (YYYY-MM-DD); the CBR is asked for that day.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        path: Path | None = options["file"]
        on_date: date | None = options["date"]
        content = None
        if path is not None:
            try:
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"cannot read {path}: {error.strerror}") from error
        try:
            result = import_feed(source=source, content=content, on_date=on_date)
        except FeedError as error:
            raise CommandError(f"{error.message} [{error.code}]") from error
        self.stdout.write(
            f"{source}: rates for {result.rate_date.isoformat()}: {len(result.rates)} pairs, "
            f"{result.created} new, {result.updated} corrected, "
            f"{result.unchanged} already recorded"
        )
        for base, quote, rate in result.published:
            if (quote if base == result.base else base) in SHOWN:
                self.stdout.write(f"  1 {base} = {rate.normalize():f} {quote}")
