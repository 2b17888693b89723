from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from tests.factories import default_rates, make_offer, make_product, make_seller

from caravan.catalog.models import Product
from caravan.offers import services
from caravan.offers.events import CatalogChanged
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.services import refresh_product_summaries, refresh_product_summary
from caravan.sellers.models import Seller
from caravan.shipping.models import ShippingMethod


@pytest.fixture
def published(monkeypatch):
    """The CatalogChanged events the offers services publish, in order."""
    events: list[CatalogChanged] = []
    monkeypatch.setattr(services, "publish", events.append)
    return events


@pytest.fixture
def products(db):
    """Products with competing offers in three currencies, then changes made behind the
    services' back, so that every stored summary but one is stale."""
    default_rates()
    rub = make_seller(name="Moscow Goods", currency="RUB", delivery_price="300")
    cny = make_seller(name="Shenzhen Tech", country="CN", currency="CNY", delivery_price="25")
    tr = make_seller(name="Istanbul Bazaar", country="TR", currency="TRY", delivery_price="100")
    no_delivery = make_seller(name="Nowhere Post")
    suspended = make_seller(name="Suspended Shop")
    contested, tied, unbuyable, unapproved, untouched, summary_lost = (
        make_product() for _ in range(6)
    )
    for seller, price in ((rub, "2500"), (cny, "150"), (tr, "800"), (no_delivery, "10")):
        make_offer(seller=seller, variant=contested.variants.get(), price=price)
    make_offer(seller=rub, variant=tied.variants.get(), price="1000", stock=3)
    make_offer(seller=suspended, variant=tied.variants.get(), price="1000", stock=30)
    make_offer(seller=rub, variant=unbuyable.variants.get(), price="500", stock=0)
    make_offer(seller=cny, variant=unapproved.variants.get(), price="40")
    make_offer(seller=tr, variant=untouched.variants.get(), price="900")
    make_offer(seller=rub, variant=summary_lost.variants.get(), price="700")
    # Behind the services' back: the cheapest offer of `contested` runs out and another gets
    # cheaper, a seller loses its delivery option or is suspended, a product is unapproved.
    Offer.objects.filter(product=contested, seller=cny).update(stock_quantity=0)
    Offer.objects.filter(product=contested, seller=rub).update(
        price_amount=Decimal("1500"), reference_price_amount=Decimal("1500")
    )
    ShippingMethod.objects.filter(seller=no_delivery).update(is_active=False)
    Seller.objects.filter(id=suspended.id).update(status="suspended")
    Offer.objects.filter(product=unbuyable).update(stock_quantity=5)
    Product.objects.filter(id=unapproved.id).update(is_approved=False)
    ProductOfferSummary.objects.filter(product=summary_lost).delete()
    return [contested, tied, unbuyable, unapproved, untouched, summary_lost]


def summaries():
    return list(ProductOfferSummary.objects.order_by("product_id").values())


def test_the_batch_writes_and_publishes_what_one_by_one_refreshes_do(
    products, published, django_capture_on_commit_callbacks
):
    ids = [product.id for product in products]
    before = summaries()
    savepoint = transaction.savepoint()
    with django_capture_on_commit_callbacks(execute=True):
        for product_id in ids:
            refresh_product_summary(product_id=product_id)
    one_by_one = summaries()
    one_by_one_events = list(published)
    transaction.savepoint_rollback(savepoint)
    published.clear()
    assert summaries() == before

    with django_capture_on_commit_callbacks(execute=True):
        refreshed = refresh_product_summaries(product_ids=[*reversed(ids), ids[0]])

    assert refreshed == 6
    assert summaries() == one_by_one
    assert published == one_by_one_events
    assert [event.product_id for event in published] == ids
    assert [event.listing_changed for event in published] == [True, True, True, True, False, True]
    assert one_by_one != before


def test_the_batch_picks_the_same_winners_as_the_single_refresh(
    products, published, django_capture_on_commit_callbacks
):
    contested, tied, unbuyable, unapproved, _untouched, summary_lost = products

    refresh_product_summaries(product_ids=[product.id for product in products])

    rows = {row["product_id"]: row for row in summaries()}
    # 1,500 + 300 RUB landed beats 800 + 100 TRY (2,250 RUB); the CNY offer ran out.
    rub_offer = Offer.objects.get(product=contested, seller__name="Moscow Goods")
    assert rows[contested.id]["best_offer_id"] == rub_offer.id
    assert rows[contested.id]["offer_count"] == 2
    assert rows[contested.id]["seller_count"] == 2
    # The suspended seller's offer, with more stock, is not live.
    assert (
        rows[tied.id]["best_offer_id"]
        == Offer.objects.get(product=tied, seller=rub_offer.seller).id
    )
    assert rows[unbuyable.id]["is_buyable"] is True
    assert rows[unapproved.id]["is_buyable"] is False
    assert rows[summary_lost.id]["min_reference_price_amount"] == Decimal("700.00")


def test_the_batch_costs_the_same_queries_for_two_products_as_for_six(products, published):
    ids = [product.id for product in products]

    savepoint = transaction.savepoint()
    with CaptureQueriesContext(connection) as two:
        refresh_product_summaries(product_ids=ids[-2:])
    transaction.savepoint_rollback(savepoint)
    with CaptureQueriesContext(connection) as six:
        refresh_product_summaries(product_ids=ids)

    assert len(six.captured_queries) == len(two.captured_queries)


def test_a_missing_product_fails_the_batch_before_anything_is_written(
    products, published, django_capture_on_commit_callbacks
):
    before = summaries()
    missing = max(product.id for product in products) + 1

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Product.DoesNotExist):
        refresh_product_summaries(product_ids=[products[0].id, missing])

    assert summaries() == before
    assert published == []


def test_no_products_is_no_work(db, published, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert refresh_product_summaries(product_ids=[]) == 0
