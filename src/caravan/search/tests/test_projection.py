from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from tests.factories import default_rates, make_offer, make_product, make_seller, project

from caravan.catalog.models import Product
from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.services import update_offer
from caravan.search import projection
from caravan.search.events import ListingChanged
from caravan.search.models import SearchDocument, SearchPhraseProduct, SearchTerm
from caravan.search.phrases import index_phrases
from caravan.search.projection import project_listings
from caravan.search.selectors import ProductQuery, list_products
from caravan.sellers.models import Seller
from caravan.shipping.models import ProfileMethod


@pytest.fixture
def announced(monkeypatch):
    """The ListingChanged events the projection publishes after its commits, in order."""
    events: list[ListingChanged] = []
    monkeypatch.setattr(projection, "publish", events.append)
    return events


@pytest.fixture
def products(db):
    """Products with competing offers in three currencies, then changes made behind the
    services' back, so that every stored listing row but one is stale."""
    default_rates()
    rub = make_seller(name="Moscow Goods", currency="RUB", delivery_price="300")
    cny = make_seller(name="Shenzhen Tech", country="CN", currency="CNY", delivery_price="25")
    tr = make_seller(name="Istanbul Bazaar", country="TR", currency="TRY", delivery_price="100")
    no_delivery = make_seller(name="Nowhere Post")
    suspended = make_seller(name="Suspended Shop")
    contested, tied, unbuyable, unapproved, untouched, row_lost = (
        make_product(name_en=f"Teapot {number}") for number in range(6)
    )
    for seller, price in ((rub, "2500"), (cny, "150"), (tr, "800"), (no_delivery, "10")):
        make_offer(seller=seller, variant=contested.variants.get(), price=price)
    make_offer(seller=rub, variant=tied.variants.get(), price="1000", stock=3)
    make_offer(seller=suspended, variant=tied.variants.get(), price="1000", stock=30)
    make_offer(seller=rub, variant=unbuyable.variants.get(), price="500", stock=0)
    make_offer(seller=cny, variant=unapproved.variants.get(), price="40")
    make_offer(seller=tr, variant=untouched.variants.get(), price="900")
    make_offer(seller=rub, variant=row_lost.variants.get(), price="700")
    # Behind the services' back: the cheapest offer of `contested` runs out and another gets
    # cheaper, a seller loses its delivery option or is suspended, a product is unapproved.
    Offer.objects.filter(product=contested, seller=cny).update(stock_quantity=0)
    Offer.objects.filter(product=contested, seller=rub).update(
        price_amount=Decimal("1500"), reference_price_amount=Decimal("1500")
    )
    ProfileMethod.objects.filter(profile__seller=no_delivery).update(is_active=False)
    Seller.objects.filter(id=suspended.id).update(status="suspended")
    Offer.objects.filter(product=unbuyable).update(stock_quantity=5)
    Product.objects.filter(id=unapproved.id).update(is_approved=False)
    ProductOfferSummary.objects.filter(product=row_lost).delete()
    return [contested, tied, unbuyable, unapproved, untouched, row_lost]


def rows():
    return list(ProductOfferSummary.objects.order_by("product_id").values())


def versions():
    return dict(ProductOfferSummary.objects.values_list("product_id", "version"))


def teapots():
    listing = list_products(query=ProductQuery(text="teapot"))
    return sorted(summary.product.name_en for summary in listing.page.object_list)


def test_the_projection_picks_the_winners_the_current_offers_make(products, announced):
    contested, tied, unbuyable, unapproved, _untouched, row_lost = products

    project_listings(product_ids=[product.id for product in products])

    found = {row["product_id"]: row for row in rows()}
    # 1,500 + 300 RUB landed beats 800 + 100 TRY (2,250 RUB); the CNY offer ran out.
    rub_offer = Offer.objects.get(product=contested, seller__name="Moscow Goods")
    assert found[contested.id]["best_offer_id"] == rub_offer.id
    assert found[contested.id]["offer_count"] == 2
    assert found[contested.id]["seller_count"] == 2
    # The suspended seller's offer, with more stock, is not live.
    assert found[tied.id]["best_offer_id"] == (
        Offer.objects.get(product=tied, seller=rub_offer.seller).id
    )
    assert found[unbuyable.id]["is_buyable"] is True
    assert found[unapproved.id]["is_buyable"] is False
    assert found[row_lost.id]["min_reference_price_amount"] == Decimal("700.00")


def test_a_second_projection_changes_nothing_and_announces_nothing(
    products, announced, django_capture_on_commit_callbacks
):
    ids = [product.id for product in products]
    before = versions()

    with django_capture_on_commit_callbacks(execute=True):
        first = project_listings(product_ids=[*reversed(ids), ids[0]])
    after_first = rows()
    with django_capture_on_commit_callbacks(execute=True):
        second = project_listings(product_ids=ids)

    # every row was stale but `untouched` (the lost row is made again, at version 1)
    assert [event.product_id for event in first] == [ids[0], ids[1], ids[2], ids[3], ids[5]]
    assert [event.listing_changed for event in first] == [True, True, True, True, True]
    assert [event.version for event in first] == [
        before[ids[0]] + 1,
        before[ids[1]] + 1,
        before[ids[2]] + 1,
        before[ids[3]] + 1,
        1,
    ]
    assert announced == first
    assert second == []
    assert rows() == after_first


def test_a_stock_move_bumps_the_version_for_the_product_page_only(
    products, announced, django_capture_on_commit_callbacks
):
    untouched = products[4]
    offer = Offer.objects.get(product=untouched)
    version = ProductOfferSummary.objects.get(product=untouched).version

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=offer.seller, offer_public_id=offer.public_id, stock_quantity=4)

    assert announced == [
        ListingChanged(
            product_id=untouched.id,
            product_public_id=untouched.public_id,
            category_id=untouched.category_id,
            version=version + 1,
            listing_changed=False,
            is_listed=True,
            parent_category_id=untouched.category.parent_id,
        )
    ]
    assert ProductOfferSummary.objects.get(product=untouched).version == version + 1


def test_a_price_change_reaches_the_listing_after_commit_and_moves_the_card(
    products, announced, django_capture_on_commit_callbacks
):
    untouched = products[4]
    offer = Offer.objects.get(product=untouched)
    version = ProductOfferSummary.objects.get(product=untouched).version

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update_offer(
            seller=offer.seller,
            offer_public_id=offer.public_id,
            price=Money("850", offer.currency),
        )
        # nothing is projected before the commit
        assert ProductOfferSummary.objects.get(product=untouched).version == version

    summary = ProductOfferSummary.objects.get(product=untouched)
    assert len(callbacks) == 2  # the dispatcher's, then the projection's announcement
    assert summary.version == version + 1
    assert summary.min_reference_price_amount == Decimal("2125.00")
    assert [(event.version, event.listing_changed) for event in announced] == [(version + 1, True)]


def test_a_new_product_is_found_once_its_projection_ran(db):
    default_rates()
    seller = make_seller(name="Teapot Seller")
    teapot = make_product(name_en="Copper Teapot")

    assert teapots() == []

    make_offer(seller=seller, variant=teapot.variants.get())

    assert teapots() == ["Copper Teapot"]
    assert SearchDocument.objects.get(product=teapot).name_terms != ""


def test_projecting_in_batches_costs_the_same_queries_for_two_products_as_for_six(
    products, monkeypatch
):
    ids = [product.id for product in products]
    project(*ids)
    # A stock move changes every row's boost and product page, not its vocabulary.
    Offer.objects.update(stock_quantity=7)

    savepoint = transaction.savepoint()
    with CaptureQueriesContext(connection) as two:
        project_listings(product_ids=ids[-2:])
    transaction.savepoint_rollback(savepoint)
    with CaptureQueriesContext(connection) as six:
        project_listings(product_ids=ids)

    assert len(six.captured_queries) == len(two.captured_queries)


def test_batches_split_a_long_list_and_twice_changes_nothing(products, monkeypatch):
    monkeypatch.setattr(projection, "PROJECTION_BATCH_SIZE", 4)
    ids = [product.id for product in products]

    project_listings(product_ids=ids)
    first = rows()
    project_listings(product_ids=ids)

    assert [row["product_id"] for row in first] == ids
    assert rows() == first
    assert teapots() == ["Teapot 0", "Teapot 1", "Teapot 2", "Teapot 4", "Teapot 5"]


def test_a_deleted_product_is_no_work_and_no_products_no_queries(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert project_listings(product_ids=[]) == []
    assert project_listings(product_ids=[10_000]) == []


def documents():
    return list(
        SearchDocument.objects.order_by("product_id").values_list(
            "product_id",
            "name_terms",
            "brand_terms",
            "category_terms",
            "attribute_terms",
            "code_terms",
            "text_ru",
            "text_en",
            "boost",
        )
    )


def carried_phrases(product):
    return sorted(
        SearchPhraseProduct.objects.filter(product=product).values_list(
            "phrase__kind", "phrase__key"
        )
    )


def test_a_price_change_projects_what_a_rebuild_makes_without_rewriting_text_or_phrases(
    products, django_capture_on_commit_callbacks
):
    ids = [product.id for product in products]
    project(*ids)
    untouched = products[4]
    offer = Offer.objects.get(product=untouched)
    phrases = carried_phrases(untouched)
    terms = SearchTerm.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=offer.seller, offer_public_id=offer.public_id, price=Money("850", offer.currency)
        )
    projected = (rows(), documents())
    rebuilt = project_listings(product_ids=ids, force=True)

    # the listing row moved with the price; the vocabulary and the phrases did not
    assert ProductOfferSummary.objects.get(product=untouched).min_reference_price_amount == (
        Decimal("2125.00")
    )
    assert carried_phrases(untouched) == phrases
    assert phrases != []
    assert SearchTerm.objects.count() == terms
    # and a forced projection of every product (what a rebuild writes) finds nothing to move
    assert rebuilt == []
    assert (rows(), documents()) == projected
    assert teapots() == ["Teapot 0", "Teapot 1", "Teapot 2", "Teapot 4", "Teapot 5"]


def test_a_price_change_leaves_the_stored_document_as_it_was(
    products, django_capture_on_commit_callbacks
):
    untouched = products[4]
    project(untouched)
    offer = Offer.objects.get(product=untouched)
    indexed_at = SearchDocument.objects.get(product=untouched).indexed_at

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=offer.seller, offer_public_id=offer.public_id, price=Money("850", offer.currency)
        )

    assert SearchDocument.objects.get(product=untouched).indexed_at == indexed_at


def test_a_rename_rewrites_the_document_the_vocabulary_and_the_phrases(products):
    untouched = products[4]
    project(untouched)
    before = carried_phrases(untouched)
    Product.objects.filter(id=untouched.id).update(name_en="Copper Samovar", brand="Tulaware")

    project(untouched)

    document = SearchDocument.objects.get(product=untouched)
    assert "samovar" in document.name_terms.split()
    assert "tulawar" in document.brand_terms.split() or "tulaware" in document.brand_terms.split()
    assert SearchTerm.objects.filter(term__in=document.brand_terms.split()).count() == len(
        set(document.brand_terms.split())
    )
    after = carried_phrases(untouched)
    assert after != before
    # the phrases are what the full phrase indexer gives the product now
    index_phrases(product_ids=[untouched.id])
    assert carried_phrases(untouched) == after
