import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from tests.factories import default_rates, make_offer, make_product, make_seller

from caravan.kernel.events import publish
from caravan.offers.events import CatalogChanged
from caravan.offers.models import Offer
from caravan.offers.services import refresh_product_summaries
from caravan.search import subscribers, tasks
from caravan.search.models import SearchDocument
from caravan.search.selectors import ProductQuery, list_products
from caravan.search.tasks import reindex_products


@pytest.fixture(autouse=True)
def _index_only_on_commit(settings):
    """The real path: CatalogChanged after commit -> task -> index, no catch-up on query."""
    settings.SEARCH_CATCH_UP_ON_QUERY = False


class Recording:
    """A task whose .delay calls are recorded and then run as usual."""

    def __init__(self, task):
        self.task = task
        self.calls = []

    def delay(self, *args):
        self.calls.append(args)
        return self.task.delay(*args)


@pytest.fixture
def queued(monkeypatch):
    single = Recording(subscribers.reindex_product)
    batch = Recording(subscribers.reindex_products)
    monkeypatch.setattr(subscribers, "reindex_product", single)
    monkeypatch.setattr(subscribers, "reindex_products", batch)
    return single, batch


@pytest.fixture
def products(db, django_capture_on_commit_callbacks):
    default_rates()
    seller = make_seller(name="Batch Seller")
    made = [make_product(name_en=f"Teapot {number}") for number in range(4)]
    for product in made:
        make_offer(seller=seller, variant=product.variants.get())
    return made


def documents():
    # Everything but the time of indexing.
    return list(
        SearchDocument.objects.order_by("product_id").values(
            "product_id", "name_terms", "attribute_terms", "text_en", "boost"
        )
    )


def teapots():
    listing = list_products(query=ProductQuery(text="teapot"))
    return sorted(summary.product.name_en for summary in listing.page.object_list)


def test_a_bulk_refresh_reindexes_every_product_with_one_task(
    products, queued, django_capture_on_commit_callbacks
):
    single, batch = queued
    assert teapots() == []

    with django_capture_on_commit_callbacks(execute=True):
        refresh_product_summaries(product_ids=[product.id for product in products])

    assert teapots() == ["Teapot 0", "Teapot 1", "Teapot 2", "Teapot 3"]
    assert batch.calls == [([product.id for product in products],)]
    assert single.calls == []


def test_events_of_a_rolled_back_transaction_are_not_reindexed(
    products, queued, django_capture_on_commit_callbacks
):
    _single, batch = queued
    first, second = products[:2]

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(CatalogChanged(first.id, first.public_id, listing_changed=True))
            raise RuntimeError("rolled back")
        with transaction.atomic():
            publish(CatalogChanged(second.id, second.public_id, listing_changed=True))

    assert batch.calls == [([second.id],)]
    assert list(SearchDocument.objects.values_list("product_id", flat=True)) == [second.id]


def test_reindexing_in_chunks_indexes_all_and_twice_changes_nothing(products, monkeypatch):
    monkeypatch.setattr(tasks, "REINDEX_BATCH_SIZE", 3)
    ids = [product.id for product in products]

    reindex_products([*reversed(ids), ids[0]])
    first = documents()
    reindex_products(ids)

    assert [row["product_id"] for row in first] == ids
    assert documents() == first
    assert teapots() == ["Teapot 0", "Teapot 1", "Teapot 2", "Teapot 3"]


def test_a_chunk_costs_the_same_queries_for_one_product_as_for_four(products):
    ids = [product.id for product in products]
    reindex_products(ids)
    # The vocabulary is known now; a stock change moves only the boosts.
    Offer.objects.update(stock_quantity=7)

    with CaptureQueriesContext(connection) as one:
        reindex_products(ids[:1])
    with CaptureQueriesContext(connection) as four:
        reindex_products(ids)

    assert len(four.captured_queries) == len(one.captured_queries)
