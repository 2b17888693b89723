"""Change offer prices at a steady rate through the offers service, for a bounded time: the
catalog moving under the readers of bench/pages.py.

    .venv/bin/python bench/price_writer.py --rate 50 --duration 20   # the bench environment

Each write moves one buy-box winner's price by one unit (so its card changes) and the next
write of the same offer moves it back; the original prices are restored at the end. The
listing projection runs as the settings say (in the writer, after each commit, when no
broker is configured: the embedded default). With --workers N the writes are shared by N
threads, each on its own database connection and its own share of the offers, as N web
workers would take sellers' edits: the schedule stays one write every 1/rate seconds. Prints
one JSON line: writes made, the rate achieved, the mean time of a write and the writer's
CPU time per write (all threads).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=50.0, help="writes per second")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds (at most 600)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument(
        "--events-only",
        action="store_true",
        help="hand the page cache the offers app's change event for a winner's card, at the\n"
        "rate, without writing: what the page cache sees of 50 changes/s on a machine\n"
        "that cannot make 50 writes/s and serve pages at once",
    )
    parser.add_argument("--workers", type=int, default=1, help="threads sharing the writes")
    options = parser.parse_args()
    duration = min(options.duration, 600.0)

    import django

    django.setup()
    from django.db import connection

    from caravan.kernel.money import Money
    from caravan.offers.models import Offer, ProductOfferSummary
    from caravan.offers.services import update_offer
    from caravan.search.events import ListingChanged
    from caravan.storefront.page_cache import on_listing_changed

    winners = [
        summary.best_offer
        for summary in ProductOfferSummary.objects.filter(is_buyable=True)
        .select_related("best_offer__seller", "best_offer__variant__product__category")
        .order_by("product_id")
        if summary.best_offer is not None
    ]
    workers = max(1, min(options.workers, 16))
    limit = int(options.rate * duration)
    # bench/pages.py starts reading when this line comes: a large catalog's offers take
    # seconds to load, and the reads must overlap the writes.
    print("writing", file=sys.stderr, flush=True)
    started = time.monotonic()
    cpu_started = time.process_time()

    def write(offer: Offer, price: Money) -> None:
        if options.events_only:
            product = offer.variant.product
            # To the page cache's handler only: the search app's would reindex the product.
            on_listing_changed(
                ListingChanged(
                    product_id=product.id,
                    product_public_id=product.public_id,
                    category_id=product.category_id,
                    version=0,
                    listing_changed=True,
                    is_listed=True,
                    parent_category_id=product.category.parent_id,
                )
            )
        else:
            update_offer(seller=offer.seller, offer_public_id=offer.public_id, price=price)

    def work(worker: int) -> tuple[int, float, float]:
        # Each worker owns every workers-th offer: no two threads move one offer's price.
        owned = winners[worker::workers]
        original = {offer.id: offer.price for offer in owned}
        moved: set[int] = set()
        chooser = random.Random(options.seed * 100 + worker)
        writes, busy = 0, 0.0
        try:
            for slot in range(worker, limit, workers):
                due = started + slot / options.rate
                # Bounded by the clock as well as the count: a writer behind stops on time.
                if due - started >= duration or time.monotonic() - started >= duration:
                    break
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                offer = chooser.choice(owned)
                price = original[offer.id]
                if offer.id not in moved:
                    price = Money(price.amount + Decimal(1), price.currency)
                began = time.perf_counter()
                write(offer, price)
                busy += time.perf_counter() - began
                if not options.events_only:
                    moved ^= {offer.id}
                writes += 1
            finished = time.monotonic()
            for offer in owned:
                if offer.id in moved:
                    update_offer(
                        seller=offer.seller,
                        offer_public_id=offer.public_id,
                        price=original[offer.id],
                    )
        finally:
            connection.close()
        return writes, busy, finished

    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(work, range(workers)))
    # The rate of the writes, not of restoring the prices afterwards.
    elapsed = max(finished for _count, _busy, finished in done) - started
    writes = sum(count for count, _busy, _finished in done)
    busy = sum(spent for _count, spent, _finished in done)
    cpu = time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "writes": writes,
                "per_second": round(writes / elapsed, 1),
                "mean_write_ms": round(busy * 1000 / max(writes, 1), 2),
                "cpu_ms_per_write": round(cpu * 1000 / max(writes, 1), 2),
                "workers": workers,
            }
        )
    )


if __name__ == "__main__":
    main()
