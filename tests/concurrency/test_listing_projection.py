"""Three hundred buyers check out the same few products on the real PostgreSQL server while
the listing projection (ADR 0007) runs for real after every checkout's commit.

A bounded pool of threads (each on its own database connection) plays the buyers; every
checkout queues the projection of its products after it commits, which the test settings run
in-process on the same thread, so dozens of projections of one product overlap. Nothing may
be logged at ERROR (a swallowed UniqueViolation or deadlock would be), no unit may be sold
twice, and once everything settles every listing row, search document and match row must be
what a fresh projection of its product makes.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.models import Sum

from caravan.accounts.models import Address, User
from caravan.cart.models import Cart
from caravan.cart.services import place_order
from caravan.kernel.errors import OutOfStock
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.orders.models import OrderLine
from caravan.search.models import SearchDocument
from caravan.search.projection import project_listings
from tests.factories import fill_cart, make_buyer, make_offer, make_product, make_seller

BUYERS = 300
WORKERS = 24
STOCK_PER_OFFER = 40
TIMEOUT_SECONDS = 240

pytestmark = pytest.mark.postgres


def _buy(cart_id: int, gate: threading.Event) -> str:
    try:
        cart = Cart.objects.get(id=cart_id)
        buyer = User.objects.get(id=cart.user_id)
        address = Address.objects.get(user=buyer)
        gate.wait(timeout=TIMEOUT_SECONDS)
        try:
            order = place_order(cart=cart, buyer=buyer, address=address)
        except OutOfStock as error:
            return error.code
        return f"ordered {order.number}"
    except Exception as error:  # recorded and asserted on: the test must see any surprise
        return f"unexpected {error!r}"
    finally:
        connections.close_all()


def _read_model(product_ids: list[int]) -> tuple[list[dict], list[tuple], list[tuple]]:
    listing = list(
        ProductOfferSummary.objects.filter(product_id__in=product_ids)
        .order_by("product_id")
        .values()
    )
    documents = list(
        SearchDocument.objects.filter(product_id__in=product_ids)
        .order_by("product_id")
        .values_list("product_id", "name_terms", "category_terms", "attribute_terms", "boost")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT product_id, is_buyable, category_id, min_reference_price_amount, "
            "fastest_delivery_days, facet_keys, facet_ids, seller_count, "
            "landed_reference_amount, boost, document::text "
            "FROM search_match WHERE product_id = ANY(%s) ORDER BY product_id",
            [product_ids],
        )
        matches = cursor.fetchall()
    return listing, documents, matches


@pytest.mark.django_db(transaction=True)
def test_three_hundred_buyers_and_their_projections_lose_nothing(caplog):
    # given three sellers competing on three products, 40 units per offer
    sellers = [make_seller(name=f"Rush Seller {number}") for number in range(3)]
    products = [make_product(name_en=f"Rush Kettle {number}") for number in range(3)]
    offers = [
        make_offer(
            seller=seller,
            variant=product.variants.get(),
            price=str(1000 + 10 * index),
            stock=STOCK_PER_OFFER,
        )
        for index, (product, seller) in enumerate(
            (product, seller) for product in products for seller in sellers
        )
    ]
    # and 300 buyers each wanting one unit, 100 per product: 80 its cheapest offer (40 get
    # one, and the product's buy box moves to the next seller), 20 the second cheapest
    wanted = [offers[(index % 3) * 3 + (1 if index % 5 == 0 else 0)] for index in range(BUYERS)]
    carts = []
    for offer in wanted:
        buyer, _address = make_buyer()
        carts.append(fill_cart(user=buyer, lines=[(offer, 1)]))
    connections.close_all()
    gate = threading.Event()

    # when they all check out through a bounded pool while the projections run
    started = time.monotonic()
    with caplog.at_level(logging.ERROR), ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(_buy, cart.id, gate) for cart in carts]
        gate.set()
        outcomes = [future.result(timeout=TIMEOUT_SECONDS) for future in futures]
    elapsed = time.monotonic() - started

    # then nothing failed or was logged at ERROR (no UniqueViolation, no deadlock)
    assert [outcome for outcome in outcomes if outcome.startswith("unexpected")] == []
    assert [
        record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR
    ] == []
    assert elapsed < TIMEOUT_SECONDS
    # and nothing was oversold: each offer's sales and remaining stock add up to 40
    ordered = [outcome for outcome in outcomes if outcome.startswith("ordered")]
    assert (len(ordered), outcomes.count("out_of_stock")) == (180, 120)
    sold = dict(
        OrderLine.objects.values("offer_id")
        .annotate(units=Sum("quantity"))
        .values_list("offer_id", "units")
    )
    for offer in Offer.objects.all():
        assert offer.stock_quantity >= 0
        assert sold.get(offer.id, 0) + offer.stock_quantity == STOCK_PER_OFFER
    assert sum(sold.values()) == len(ordered)
    # and no update was lost: a fresh projection of every product changes nothing
    ids = [product.id for product in products]
    settled = _read_model(ids)
    assert project_listings(product_ids=ids) == []
    assert _read_model(ids) == settled
    assert [[row[0] for row in rows] for rows in settled[1:]] == [ids, ids]
    # and the listing shows what is left: each product's second seller now wins
    winners = [row["best_offer_id"] for row in settled[0]]
    assert winners == [offers[index * 3 + 1].id for index in range(3)]
