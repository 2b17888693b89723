"""Two sellers move their prices on one product at once, many times, on the real PostgreSQL
server, with the listing projection (ADR 0007) run after every commit as the test settings
run it (in-process, on the writer's thread): the projections of one product overlap, and the
price-change path skips rewriting the unchanged document and phrases. No update may be lost:
once both stop, the listing row, document and match row are what a fresh projection makes,
and the card shows the cheaper of the two last prices.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.services import update_offer
from caravan.search.models import SearchDocument
from caravan.search.projection import project_listings
from tests.factories import default_rates, make_offer, make_product, make_seller

ROUNDS = 15
TIMEOUT_SECONDS = 120

pytestmark = pytest.mark.postgres


def _move_prices(offer_id: int, prices: list[str], gate: threading.Event) -> str:
    try:
        offer = Offer.objects.select_related("seller").get(id=offer_id)
        gate.wait(timeout=TIMEOUT_SECONDS)
        deadline = time.monotonic() + TIMEOUT_SECONDS
        for price in prices:
            if time.monotonic() > deadline:
                return "out of time"
            update_offer(
                seller=offer.seller,
                offer_public_id=offer.public_id,
                price=Money(price, offer.currency),
            )
        return "done"
    except Exception as error:  # recorded and asserted on: the test must see any surprise
        return f"unexpected {error!r}"
    finally:
        connections.close_all()


def _read_model(product_id: int) -> tuple[list[dict], list[tuple], list[tuple]]:
    listing = list(ProductOfferSummary.objects.filter(product_id=product_id).values())
    documents = list(
        SearchDocument.objects.filter(product_id=product_id).values_list(
            "product_id", "name_terms", "text_en", "boost"
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT product_id, is_buyable, min_reference_price_amount, seller_count, "
            "landed_reference_amount, boost, document::text "
            "FROM search_match WHERE product_id = %s",
            [product_id],
        )
        matches = cursor.fetchall()
    return listing, documents, matches


@pytest.mark.django_db(transaction=True)
def test_two_sellers_moving_prices_on_one_product_lose_no_update(caplog):
    # given two sellers' offers on one product
    default_rates()
    first_seller = make_seller(name="Churn Seller One")
    second_seller = make_seller(name="Churn Seller Two")
    kettle = make_product(name_en="Churn Kettle")
    first = make_offer(seller=first_seller, variant=kettle.variants.get(), price="1000")
    second = make_offer(seller=second_seller, variant=kettle.variants.get(), price="1001")
    # each moves its price ROUNDS times, ending at 1,200 (first) and 1,100 (second)
    first_prices = [str(1000 + 2 * number) for number in range(1, ROUNDS)] + ["1200"]
    second_prices = [str(1001 + 2 * number) for number in range(1, ROUNDS)] + ["1100"]
    connections.close_all()
    gate = threading.Event()

    # when both write at once, each projection running after its own commit
    with caplog.at_level(logging.ERROR), ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(_move_prices, first.id, first_prices, gate),
            pool.submit(_move_prices, second.id, second_prices, gate),
        ]
        gate.set()
        outcomes = [future.result(timeout=TIMEOUT_SECONDS) for future in futures]

    # then both finished and nothing was logged at ERROR
    assert outcomes == ["done", "done"]
    assert [
        record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR
    ] == []
    # and the card shows the second seller's last price, the cheaper
    settled = _read_model(kettle.id)
    row = settled[0][0]
    assert row["best_offer_id"] == second.id
    assert row["min_reference_price_amount"] == Decimal("1100.00")
    assert row["seller_count"] == 2
    # and no update was lost: a fresh projection changes nothing, a forced one writes the same
    assert project_listings(product_ids=[kettle.id]) == []
    assert project_listings(product_ids=[kettle.id], force=True) == []
    assert _read_model(kettle.id) == settled
    assert settled[2][0][2] == Decimal("1100.00")
