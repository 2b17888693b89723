"""The pending-projection queue between a change and its projection (ADR 0007, amended):
rows written in the changing transaction, drained in batches after the commit."""

from decimal import Decimal

import pytest
from django.db import transaction
from tests.factories import default_rates, make_offer, make_product, make_seller

from caravan.catalog.events import ProductsChanged
from caravan.kernel.events import publish
from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.services import update_offer
from caravan.search import pending, subscribers, tasks
from caravan.search.models import PendingProjection
from caravan.search.pending import Drained, drain_pending_projections, queue_projections


@pytest.fixture
def projected(monkeypatch):
    """The product ids of each projection the drain runs, in order; each is then run."""
    calls: list[list[int]] = []
    real = pending.project_listings

    def recording(*, product_ids):
        calls.append(list(product_ids))
        return real(product_ids=product_ids)

    monkeypatch.setattr(pending, "project_listings", recording)
    return calls


@pytest.fixture
def kettles(db):
    """Three products, each with one offer of 1,000 RUB, projected and nothing pending."""
    default_rates()
    seller = make_seller(name="Kettle Seller")
    offers = [
        make_offer(seller=seller, variant=make_product(name_en=f"Kettle {n}").variants.get())
        for n in range(3)
    ]
    assert PendingProjection.objects.count() == 0
    return offers


def pending_products():
    return list(PendingProjection.objects.order_by("id").values_list("product_id", flat=True))


def listed_price(offer):
    return ProductOfferSummary.objects.get(product_id=offer.product_id).min_reference_price_amount


def test_a_committed_change_queues_its_products_and_one_drain_projects_them(
    kettles, projected, django_capture_on_commit_callbacks
):
    first, second, third = (offer.product_id for offer in kettles)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(ProductsChanged(product_ids=(first,)))
            raise RuntimeError("rolled back")
        with transaction.atomic():
            publish(ProductsChanged(product_ids=(third, second, third)))
            publish(ProductsChanged(product_ids=()))
            # queued in the transaction, projected only after it commits
            assert pending_products() == [second, third]
            assert projected == []

    # the rolled-back change queued nothing; the two events of the committed one were
    # projected by one batch (the second drain found nothing left)
    assert projected == [[second, third]]
    assert pending_products() == []


def test_a_price_change_through_the_service_is_listed_when_its_request_commits(
    kettles, django_capture_on_commit_callbacks
):
    offer = kettles[0]

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=offer.seller, offer_public_id=offer.public_id, price=Money("900", "RUB")
        )

    assert listed_price(offer) == Decimal("900.00")
    assert pending_products() == []


def test_the_drain_projects_what_accumulated_as_one_batch_and_deletes_its_rows(kettles, projected):
    first, second, third = (offer.product_id for offer in kettles)
    # three changes committed while no drain ran (a busy worker): product 2 twice
    queue_projections(product_ids=[second])
    queue_projections(product_ids=[third, first])
    queue_projections(product_ids=[second])
    Offer.objects.filter(id=kettles[1].id).update(
        price_amount=Decimal("800"), reference_price_amount=Decimal("800")
    )

    drained = drain_pending_projections()

    assert drained == Drained(rounds=1, products=3, stopped_early=False)
    assert projected == [[first, second, third]]
    assert pending_products() == []
    assert listed_price(kettles[1]) == Decimal("800.00")


def test_a_drain_takes_the_queue_in_rounds_of_its_batch_size_oldest_first(kettles, projected):
    first, second, third = (offer.product_id for offer in kettles)
    for product_id in (third, first, first, second, third):
        queue_projections(product_ids=[product_id])

    drained = drain_pending_projections(batch_size=2)

    # rounds: rows 1-2 (third, first), rows 3-4 (first, second), row 5 (third)
    assert projected == [[first, third], [first, second], [third]]
    assert drained == Drained(rounds=3, products=5, stopped_early=False)
    assert pending_products() == []


def test_a_drain_out_of_time_stops_after_a_round_and_leaves_the_rest(kettles, projected):
    first, second, third = (offer.product_id for offer in kettles)
    queue_projections(product_ids=[first, second, third])

    drained = drain_pending_projections(batch_size=2, seconds=0)

    assert projected == [[first, second]]
    assert drained == Drained(rounds=1, products=2, stopped_early=True)
    assert pending_products() == [third]


def test_a_change_committed_while_a_drain_projects_keeps_its_row_for_the_next_drain(
    kettles, monkeypatch
):
    # given a price change waiting in the queue
    offer = kettles[0]
    update_offer(seller=offer.seller, offer_public_id=offer.public_id, price=Money("900", "RUB"))
    (first_row,) = PendingProjection.objects.values_list("id", flat=True)
    real = pending.project_listings

    def project_then_a_writer_commits(*, product_ids):
        changes = real(product_ids=product_ids)
        # another seller request changes the same offer after the drain read it
        update_offer(
            seller=offer.seller, offer_public_id=offer.public_id, price=Money("800", "RUB")
        )
        return changes

    monkeypatch.setattr(pending, "project_listings", project_then_a_writer_commits)

    # when a drain runs with that change landing in the middle of its round
    drained = drain_pending_projections()

    # then the drain listed the price it read and deleted only the row it took (deleting
    # the product's rows would have lost the later change)
    assert drained == Drained(rounds=1, products=1, stopped_early=False)
    assert listed_price(offer) == Decimal("900.00")
    (later_row,) = PendingProjection.objects.values_list("id", flat=True)
    assert later_row > first_row
    # and the next drain (the one the later change asked for) lists the later price
    monkeypatch.setattr(pending, "project_listings", real)
    assert drain_pending_projections() == Drained(rounds=1, products=1, stopped_early=False)
    assert listed_price(offer) == Decimal("800.00")
    assert pending_products() == []


def test_a_product_the_projection_fails_on_is_dropped_and_the_others_projected(
    kettles, monkeypatch, caplog
):
    first, second, third = (offer.product_id for offer in kettles)
    queue_projections(product_ids=[first, second, third])
    Offer.objects.update(price_amount=Decimal("700"), reference_price_amount=Decimal("700"))
    real = pending.project_listings

    def failing_on_the_second(*, product_ids):
        if second in product_ids:
            raise RuntimeError("a bug in one product's projection")
        return real(product_ids=product_ids)

    monkeypatch.setattr(pending, "project_listings", failing_on_the_second)

    drained = drain_pending_projections()

    assert drained == Drained(rounds=1, products=2, stopped_early=False)
    assert [listed_price(offer) for offer in kettles] == [
        Decimal("700.00"),
        Decimal("1000.00"),
        Decimal("700.00"),
    ]
    assert pending_products() == []
    assert [record.getMessage() for record in caplog.records if record.levelname == "ERROR"] == [
        f"listings: projecting product {second} failed"
    ]


def test_with_a_broker_the_writers_of_one_window_queue_one_drain(
    kettles, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    from django.core.cache import cache

    cache.clear()
    sent: list[str] = []
    monkeypatch.setitem(tasks.drain_pending_projections_task.app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        subscribers.drain_pending_projections_task,
        "apply_async",
        lambda countdown: sent.append(f"drain in {countdown} s"),
    )
    offers = kettles

    # when three sellers' changes commit one after the other, before a worker starts
    for offer in offers:
        with django_capture_on_commit_callbacks(execute=True):
            update_offer(
                seller=offer.seller, offer_public_id=offer.public_id, price=Money("950", "RUB")
            )
    # then one drain was queued for the three, starting half a second later
    assert sent == ["drain in 0.5 s"]
    assert len(pending_products()) == 3

    # and once the drain starts, the next change queues the next drain
    monkeypatch.setattr(pending, "project_listings", lambda *, product_ids: [])
    tasks.drain_pending_projections_task.apply()
    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=offers[0].seller, offer_public_id=offers[0].public_id, price=Money("940", "RUB")
        )
    assert sent == ["drain in 0.5 s", "drain in 0.5 s"]
