"""Change offer prices at a steady rate through the offers service, for a bounded time: the
catalog moving under the readers of bench/pages.py.

    .venv/bin/python bench/price_writer.py --rate 50 --duration 20   # the bench environment

Each write moves one buy-box winner's price by one unit (so its card changes) and the next
write of the same offer moves it back; the original prices are restored at the end. Prints
one JSON line: writes made, the rate achieved and the mean time of a write.
"""

from __future__ import annotations

import argparse
import json
import random
import time
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
    options = parser.parse_args()
    duration = min(options.duration, 600.0)

    import django

    django.setup()
    from caravan.kernel.money import Money
    from caravan.offers.models import ProductOfferSummary
    from caravan.offers.services import update_offer
    from caravan.search.events import ListingChanged
    from caravan.storefront.page_cache import on_listing_changed

    winners = [
        summary.best_offer
        for summary in ProductOfferSummary.objects.filter(is_buyable=True)
        .select_related("best_offer__seller", "best_offer__variant__product")
        .order_by("product_id")
        if summary.best_offer is not None
    ]
    original = {offer.id: offer.price for offer in winners}
    moved: set[int] = set()
    chooser = random.Random(options.seed)
    writes, busy = 0, 0.0
    started = time.monotonic()
    next_at = started
    limit = int(options.rate * duration)
    while writes < limit and time.monotonic() - started < duration:
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        next_at += 1 / options.rate
        offer = chooser.choice(winners)
        price = original[offer.id]
        if offer.id not in moved:
            price = Money(price.amount + Decimal(1), price.currency)
        began = time.perf_counter()
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
                )
            )
        else:
            update_offer(seller=offer.seller, offer_public_id=offer.public_id, price=price)
            moved ^= {offer.id}
        busy += time.perf_counter() - began
        writes += 1
    elapsed = time.monotonic() - started
    for offer in winners:
        if offer.id in moved:
            update_offer(
                seller=offer.seller, offer_public_id=offer.public_id, price=original[offer.id]
            )
    print(
        json.dumps(
            {
                "writes": writes,
                "per_second": round(writes / elapsed, 1),
                "mean_write_ms": round(busy * 1000 / max(writes, 1), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
