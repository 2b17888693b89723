import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import (
    default_rates,
    make_category,
    make_offer,
    make_product,
    make_seller,
    project,
)

from caravan.catalog.services import (
    AttributeInput,
    ProductInput,
    VariantInput,
    create_product,
    ensure_attribute,
    update_product_details,
)
from caravan.kernel.money import Money
from caravan.offers.models import ProductOfferSummary
from caravan.offers.services import announce_product_changes, create_offer, update_offer
from caravan.search import services
from caravan.search.backends import PostgresBackend, SqliteBackend, get_backend
from caravan.search.models import SearchDocument, SearchTerm, SearchTermDelete
from caravan.search.selectors import ProductQuery, find_products_to_offer, list_products
from caravan.search.services import rebuild_index


def names(text, **fields):
    listing = list_products(query=ProductQuery(text=text, **fields))
    return [summary.product.name_en for summary in listing.page.object_list]


def fts_rows():
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, name FROM search_fts ORDER BY rowid")
        return cursor.fetchall()


def make_phone(*, name_en="Applewood iPhone 15", name_ru="Смартфон Applewood iPhone 15"):
    ensure_attribute(code="memory", name_ru="Память", name_en="Memory")
    ensure_attribute(code="shoe-size", name_ru="Размер", name_en="Size")
    return create_product(
        data=ProductInput(
            category=make_category(parent=make_category()),
            name_ru=name_ru,
            name_en=name_en,
            brand="Applewood",
            description_ru="",
            description_en="",
            specs=[],
            variants=[
                VariantInput(
                    options=[AttributeInput("memory", "128 ГБ", "128 GB")], gtin="4006381333931"
                ),
                VariantInput(options=[AttributeInput("memory", "256 ГБ", "256 GB")]),
            ],
        )
    )


@pytest.fixture
def seller(db):
    default_rates()
    return make_seller(name="Index Seller")


def test_a_new_offer_indexes_its_product_after_commit(seller, django_capture_on_commit_callbacks):
    phone = make_phone()
    assert names("iphone") == []

    with django_capture_on_commit_callbacks(execute=True):
        make_offer(seller=seller, variant=phone.variants.first(), price="50000", stock=3)

    assert names("iphone") == ["Applewood iPhone 15"]
    assert names("айфон 15") == ["Applewood iPhone 15"]
    assert names("iphon") == ["Applewood iPhone 15"]
    assert names("aplewood") == ["Applewood iPhone 15"]
    assert names("128gb") == ["Applewood iPhone 15"]
    assert names("128 ГБ") == ["Applewood iPhone 15"]
    assert names("256 gb") == ["Applewood iPhone 15"]
    assert names("4006381333931") == ["Applewood iPhone 15"]
    assert names("512gb") == []


def test_a_price_or_stock_change_reindexes_the_product(seller, django_capture_on_commit_callbacks):
    phone = make_phone()
    with django_capture_on_commit_callbacks(execute=True):
        offer = make_offer(seller=seller, variant=phone.variants.first(), price="50000", stock=3)
    stocked_boost = SearchDocument.objects.get(product=phone).boost

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=seller, offer_public_id=offer.public_id, stock_quantity=200)

    assert SearchDocument.objects.get(product=phone).boost > stocked_boost
    assert names("iphone", price_max=Decimal("40000")) == []

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=seller, offer_public_id=offer.public_id, price=Money("30000", "RUB"))

    assert names("iphone", price_max=Decimal("40000")) == ["Applewood iPhone 15"]

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=seller, offer_public_id=offer.public_id, stock_quantity=0)

    assert names("iphone") == []
    assert SearchDocument.objects.get(product=phone).boost < stocked_boost


def test_a_sold_out_product_leaves_faceted_results_when_its_change_commits(
    seller, django_capture_on_commit_callbacks
):
    # given a phone found with its facets
    phone = make_phone()
    with django_capture_on_commit_callbacks(execute=True):
        offer = make_offer(seller=seller, variant=phone.variants.first(), price="50000", stock=3)
    query = ProductQuery(text="iphone")
    assert list_products(query=query, facets=True).total == 1

    # when its last unit sells out
    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=seller, offer_public_id=offer.public_id, stock_quantity=0)

    # then the listing and its facet counts drop it
    listing = list_products(query=query, facets=True)
    assert (listing.total, list(listing.page.object_list)) == (0, [])
    assert listing.facets is not None
    assert (listing.facets.total, listing.facets.ships_from) == (0, {})


def test_a_renamed_product_is_found_by_its_new_name_only(
    seller, django_capture_on_commit_callbacks
):
    phone = make_phone()
    with django_capture_on_commit_callbacks(execute=True):
        make_offer(seller=seller, variant=phone.variants.first())

    with django_capture_on_commit_callbacks(execute=True):
        update_product_details(
            product=phone,
            name_ru="Смартфон Applewood Galaxy",
            name_en="Applewood Galaxy",
            brand="Applewood",
            description_ru="",
            description_en="",
        )
        announce_product_changes(product_ids=[phone.id])

    assert names("galaxy") == ["Applewood Galaxy"]
    assert names("iphone") == []


def test_indexing_twice_changes_nothing(seller):
    phone = make_phone()
    create_offer(
        seller=seller,
        variant=phone.variants.first(),
        price=Money("1000", "RUB"),
        stock_quantity=1,
        handling_days=1,
    )
    project(phone)
    before = (
        list(SearchDocument.objects.values_list("product_id", "name_terms", "boost")),
        SearchTerm.objects.count(),
        SearchTermDelete.objects.count(),
        fts_rows(),
    )

    project(phone)

    assert (
        list(SearchDocument.objects.values_list("product_id", "name_terms", "boost")),
        SearchTerm.objects.count(),
        SearchTermDelete.objects.count(),
        fts_rows(),
    ) == before
    assert names("iphone") == ["Applewood iPhone 15"]


def test_a_deleted_product_leaves_the_index(seller):
    phone = make_phone()
    project(phone)
    product_id = phone.id
    phone.variants.all().delete()
    phone.delete()

    project(product_id)

    assert not SearchDocument.objects.filter(product_id=product_id).exists()
    assert fts_rows() in (None, [])


def test_rebuild_prints_progress_and_forgets_stale_terms(seller):
    for number in range(3):
        make_offer(seller=seller, variant=make_product(name_en=f"Lantern {number}").variants.get())
    SearchTerm.objects.create(term="zzzstale")
    out = io.StringIO()

    call_command("search_rebuild", batch_size=2, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[") and lines[0].endswith("0/3 products   0%    0.0s")
    assert "2/3 products" in lines[1]
    assert "3/3 products 100%" in lines[2]
    assert lines[3].startswith(f"Indexed 3 products with the {get_backend().name} backend")
    assert SearchDocument.objects.count() == 3
    assert not SearchTerm.objects.filter(term="zzzstale").exists()
    assert names("lantern") == ["Lantern 0", "Lantern 1", "Lantern 2"]


def test_a_rebuild_refreshes_the_statistics_as_its_tables_grow(seller, monkeypatch):
    for number in range(9):
        make_offer(seller=seller, variant=make_product(name_en=f"Lamp {number}").variants.get())
    monkeypatch.setattr(services, "FIRST_STATISTICS_AT", 2)

    with CaptureQueriesContext(connection) as executed:
        rebuild_index(batch_size=1)

    analyzed = [
        query["sql"].split()[1].strip('"`')
        for query in executed.captured_queries
        if query["sql"].startswith("ANALYZE ")
    ]
    # After the 2nd and the 8th product; six tables each time (then the engine's own).
    assert analyzed[:12] == 2 * [
        "offers_productoffersummary",
        "search_searchdocument",
        "search_searchterm",
        "search_searchphrase",
        "search_searchphraseterm",
        "search_searchphraseproduct",
    ]
    assert names("lamp") == [f"Lamp {number}" for number in range(9)]


def test_rebuild_refuses_a_batch_size_below_one(db):
    with pytest.raises(Exception, match="at least 1"):
        call_command("search_rebuild", batch_size=0, stdout=io.StringIO())
    assert SearchDocument.objects.count() == 0


def test_rebuild_refuses_fewer_than_one_worker(db):
    with pytest.raises(Exception, match="at least 1"):
        call_command("search_rebuild", workers=0, stdout=io.StringIO())
    assert SearchDocument.objects.count() == 0


def test_sqlite_rebuilds_in_its_one_process_whatever_the_workers_asked(seller):
    # PostgreSQL forks workers, which a test inside a transaction cannot (see
    # tests/search/test_parallel_rebuild_on_postgresql.py).
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own behaviour")
    for number in range(3):
        make_offer(seller=seller, variant=make_product(name_en=f"Torch {number}").variants.get())
    out = io.StringIO()

    call_command("search_rebuild", batch_size=1, workers=2, stdout=out)

    assert out.getvalue().splitlines()[-1].startswith("Indexed 3 products")
    assert names("torch") == ["Torch 0", "Torch 1", "Torch 2"]


def test_sellers_find_products_nobody_stocks(seller):
    phone = make_phone()
    create_offer(
        seller=seller,
        variant=phone.variants.first(),
        price=Money("1000", "RUB"),
        stock_quantity=0,
        handling_days=1,
    )
    rebuild_index()

    assert names("iphone") == []
    assert [summary.product for summary in find_products_to_offer(text="айфон")] == [phone]
    assert find_products_to_offer(text="!!!") == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"iphone',
        "*",
        "iphone*",
        "NEAR",
        "NEAR(iphone 15)",
        "iphone NEAR 15",
        ":",
        "name:iphone",
        "&",
        "iphone & 15",
        "|",
        "iphone | galaxy",
        "!",
        "!iphone",
        "\x00",
        "iphone\x00",
        "' OR 1=1 --",
        "'); DROP TABLE search_fts; --",
        "iphone AND OR NOT",
        "^iphone",
        "{name}: iphone",
        "x" * 10_000,
        "iphone " * 2_000,
    ],
)
def test_malformed_queries_answer_and_change_nothing(seller, text):
    phone = make_phone()
    make_offer(seller=seller, variant=phone.variants.first())
    rebuild_index()
    before = (SearchDocument.objects.count(), SearchTerm.objects.count(), fts_rows())

    listing = list_products(query=ProductQuery(text=text))
    offered = find_products_to_offer(text=text)

    assert listing.total in (0, 1)
    assert len(offered) in (0, 1)
    assert (SearchDocument.objects.count(), SearchTerm.objects.count(), fts_rows()) == before
    assert names("iphone") == ["Applewood iPhone 15"]


def test_the_backend_follows_the_setting_or_the_database(settings):
    settings.SEARCH_BACKEND = "postgresql"
    assert isinstance(get_backend(), PostgresBackend)
    settings.SEARCH_BACKEND = "sqlite"
    assert isinstance(get_backend(), SqliteBackend)
    settings.SEARCH_BACKEND = ""
    assert get_backend().name == connection.vendor
    settings.SEARCH_BACKEND = "elastic"
    with pytest.raises(ValueError, match="no search backend for 'elastic'"):
        get_backend()


def test_rebuild_with_listings_fills_the_facet_keys_an_upgrade_left_empty(seller):
    # Given listing rows written before facet keys existed (as after the migration)
    for number in range(2):
        make_offer(seller=seller, variant=make_product(name_en=f"Lantern {number}").variants.get())
    ProductOfferSummary.objects.update(facet_keys="", fastest_delivery_days=None)

    # When the index is rebuilt (--listings is still accepted)
    out = io.StringIO()
    call_command("search_rebuild", batch_size=5, listings=True, stdout=out)

    # Then every listing row has its keys and delivery promise again
    assert "Indexed 2 products" in out.getvalue()
    assert ProductOfferSummary.objects.filter(facet_keys="").count() == 0
    assert set(ProductOfferSummary.objects.values_list("fastest_delivery_days", flat=True)) == {8}
    assert f"\nf:{seller.country.lower()}\n" in ProductOfferSummary.objects.first().facet_keys
