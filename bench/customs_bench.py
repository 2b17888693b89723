"""Customs: what one landed-cost quote costs, per destination, in time and SQL statements.

    DATABASE_URL=postgres://... .venv/bin/python bench/customs_bench.py [--quotes 2000]

Runs against a migrated database (the migration loads the shipped rules). It records two
exchange rates for today under the sources "cbr-bench" and "ecb-bench" (read by customs as
CBR and ECB rates) and leaves them there. Each destination is quoted --quotes times (at most
20 000, and at most 60 s per destination). Prints the figures; they are recorded by hand in
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from decimal import Decimal

MAX_QUOTES = 20_000
MAX_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quotes", type=int, default=2000)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.config.settings.dev")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from caravan.customs.landed import ParcelLine, landed_cost
    from caravan.fx.services import record_rate
    from caravan.kernel.money import Money

    today = timezone.localdate()
    record_rate(base="EUR", quote="CNY", rate=Decimal("8.1"), source="cbr-bench", rate_date=today)
    record_rate(base="EUR", quote="CNY", rate=Decimal("8.2"), source="ecb-bench", rate_date=today)
    record_rate(base="GBP", quote="CNY", rate=Decimal("9.4"), source="ecb-bench", rate_date=today)

    def parcel(amount: str, hs_codes: tuple[str, ...]) -> list[ParcelLine]:
        return [ParcelLine(hs, "CN", Money(amount, "CNY"), 2, 450) for hs in hs_codes]

    # A Shenzhen seller's parcel in yuan, two or three lines, to each kind of destination.
    cases = {
        "RU (EAEU e-commerce, above EUR 200)": ("RU", parcel("1100", ("851830", "950300"))),
        "KZ (EAEU e-commerce, under EUR 200)": ("KZ", parcel("300", ("851830", "950300"))),
        "DE (EU IOSS, EUR 3 per heading)": ("DE", parcel("200", ("851830", "950300", "640411"))),
        "GB (up to GBP 135, VAT at checkout)": ("GB", parcel("250", ("851830", "950300"))),
    }
    count = max(1, min(options.quotes, MAX_QUOTES))
    print(f"{count} quotes per destination, database {connection.vendor}, day {today}")
    for label, (destination, lines) in cases.items():
        with CaptureQueriesContext(connection) as queries:
            cost = landed_cost(
                lines=lines, delivery=Money("35", "CNY"), ships_from="CN",
                destination=destination, on=today,
            )  # fmt: skip
        timings = []
        started = time.perf_counter()
        for _ in range(count):
            begun = time.perf_counter()
            landed_cost(
                lines=lines, delivery=Money("35", "CNY"), ships_from="CN",
                destination=destination, on=today,
            )  # fmt: skip
            timings.append(time.perf_counter() - begun)
            if time.perf_counter() - started > MAX_SECONDS:
                break
        timings.sort()
        print(
            f"{label}: {len(queries)} statements; median "
            f"{statistics.median(timings) * 1000:.2f} ms, p95 "
            f"{timings[int(len(timings) * 0.95) - 1] * 1000:.2f} ms over {len(timings)}; "
            f"duty {cost.duty}, VAT {cost.vat}, now {cost.paid_now}, "
            f"at delivery {cost.due_at_delivery}"
        )


if __name__ == "__main__":
    main()
