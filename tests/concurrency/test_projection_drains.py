"""The pending-projection queue (ADR 0007, amended) on the real PostgreSQL server: a price
change committed while a drain is projecting keeps its own row for the next drain, and two
drains running at once share the queue without taking one row twice or deadlocking. Each
drain and writer runs in its own thread (its own connection); every wait is bounded."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connections

from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.services import update_offer
from caravan.search import pending, subscribers
from caravan.search.models import PendingProjection
from caravan.search.pending import Drained, drain_pending_projections, queue_projections
from caravan.search.projection import project_listings
from tests.factories import default_rates, make_offer, make_product, make_seller

TIMEOUT_SECONDS = 60

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _drains_only_when_the_test_says(monkeypatch):
    """The test settings drain in-process after every commit; here the test runs each drain
    itself, in the thread and at the moment it means to."""
    monkeypatch.setattr(subscribers, "_request_drain", lambda: None)


def _in_thread(work: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as error:  # recorded and asserted on: the test must see any surprise
            outcome.append(f"unexpected {error!r}")
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _listed_price(offer: Offer) -> Decimal | None:
    return ProductOfferSummary.objects.get(product_id=offer.product_id).min_reference_price_amount


@pytest.mark.django_db(transaction=True)
def test_a_price_committed_while_a_drain_projects_is_listed_by_the_next_drain(monkeypatch):
    # given an offer at 1,000 RUB whose change to 900 waits in the queue
    default_rates()
    offer = make_offer(seller=make_seller(name="Drain Seller"), price="1000")
    PendingProjection.objects.all().delete()
    update_offer(seller=offer.seller, offer_public_id=offer.public_id, price=Money("900", "RUB"))
    (first_row,) = PendingProjection.objects.values_list("id", flat=True)
    # and a drain that stops after projecting, before it deletes its rows and commits
    projected, resume = threading.Event(), threading.Event()
    real = pending.project_listings

    def project_and_wait(*, product_ids):
        changes = real(product_ids=product_ids)
        projected.set()
        resume.wait(timeout=TIMEOUT_SECONDS)
        return changes

    monkeypatch.setattr(pending, "project_listings", project_and_wait)
    drain, drained = _in_thread(lambda: drain_pending_projections(batch_size=1, seconds=0))
    assert projected.wait(timeout=TIMEOUT_SECONDS)

    # when the seller changes the price to 800 meanwhile (not waiting for the drain's locks)
    writer, written = _in_thread(
        lambda: update_offer(
            seller=offer.seller, offer_public_id=offer.public_id, price=Money("800", "RUB")
        )
    )
    writer.join(timeout=TIMEOUT_SECONDS)
    assert not writer.is_alive()
    resume.set()
    drain.join(timeout=TIMEOUT_SECONDS)

    # then the drain listed the 900 it read and deleted its own row only; the change's row
    # is left, and the next drain lists 800
    assert [type(outcome).__name__ for outcome in written] == ["Offer"]
    assert drained == [Drained(rounds=1, products=1, stopped_early=True)]
    assert _listed_price(offer) == Decimal("900.00")
    (left,) = PendingProjection.objects.values_list("id", "product_id")
    assert left[0] > first_row and left[1] == offer.product_id
    monkeypatch.setattr(pending, "project_listings", real)
    assert drain_pending_projections() == Drained(rounds=1, products=1, stopped_early=False)
    assert _listed_price(offer) == Decimal("800.00")
    assert PendingProjection.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_take_every_row_once_and_do_not_deadlock(monkeypatch, caplog):
    # given 12 products with an offer each, every one changed behind the services' back and
    # queued twice, in two orders (so both drains' rounds name the same products)
    default_rates()
    seller = make_seller(name="Two Drains Seller")
    offers = [
        make_offer(seller=seller, variant=make_product(name_en=f"Pot {n}").variants.get())
        for n in range(12)
    ]
    product_ids = [offer.product_id for offer in offers]
    PendingProjection.objects.all().delete()
    Offer.objects.update(price_amount=Decimal("555"), reference_price_amount=Decimal("555"))
    for product_id in [*product_ids, *reversed(product_ids)]:
        queue_projections(product_ids=[product_id])
    all_rows = set(PendingProjection.objects.values_list("id", flat=True))
    # and drains that, once each has taken its first round, project together
    both_took = threading.Barrier(2)
    taken: dict[str, list[int]] = {}
    real_take = pending._take

    def take_and_meet(limit):
        rows = real_take(limit)
        name = threading.current_thread().name
        first = name not in taken
        taken.setdefault(name, []).extend(row_id for row_id, _product_id in rows)
        if first and rows:
            both_took.wait(timeout=TIMEOUT_SECONDS)
        return rows

    monkeypatch.setattr(pending, "_take", take_and_meet)

    # when two drains of 5 rows a round run at once
    with caplog.at_level(logging.WARNING):
        threads = [
            _in_thread(lambda: drain_pending_projections(batch_size=5)) for _drain in range(2)
        ]
        for thread, _outcome in threads:
            thread.join(timeout=TIMEOUT_SECONDS)

    # then both finished without an error or a warning (no deadlock, no fallback)
    outcomes = [outcome for _thread, outcome in threads]
    assert [thread.is_alive() for thread, _outcome in threads] == [False, False]
    assert [type(outcome[0]).__name__ for outcome in outcomes] == ["Drained", "Drained"]
    assert [record.getMessage() for record in caplog.records] == []
    # and every row was taken by exactly one of them, both having taken some
    firsts, seconds = taken.values()
    assert set(firsts).isdisjoint(seconds)
    assert sorted([*firsts, *seconds]) == sorted(all_rows)
    assert firsts and seconds
    assert PendingProjection.objects.count() == 0
    # and the read model is what a fresh projection makes, every price listed
    assert project_listings(product_ids=product_ids) == []
    assert {_listed_price(offer) for offer in offers} == {Decimal("555.00")}
