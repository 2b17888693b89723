"""A kept listing's rows read again by one statement compiled once per process
(search.results.kept_light_rows, docs/decisions/0027-compiled-rereads.md): the statement is
reused, the rows never are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import default_rates, make_category, make_offer, make_product, make_seller

from caravan.kernel.money import Money
from caravan.offers.models import ProductOfferSummary
from caravan.offers.services import update_offer
from caravan.search import results
from caravan.search.results import LIGHT_FIELDS, kept_light_rows, light_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_statements():
    results.forget_statements()
    yield
    results.forget_statements()


@pytest.fixture
def listed():
    """Three buyable products in one category, priced 100, 200 and 300 roubles."""
    default_rates()
    seller = make_seller(country="RU", currency="RUB")
    category = make_category(slug="audio")
    offers = []
    for price in ("100", "200", "300"):
        product = make_product(category=category)
        offers.append(make_offer(seller=seller, variant=product.variants.get(), price=price))
    return seller, category, offers


def cheaper_than(roubles):
    def within():
        return ProductOfferSummary.objects.filter(
            is_buyable=True, min_reference_price_amount__lte=roubles
        )

    return within


def test_the_rows_are_those_light_rows_reads_in_the_order_asked(listed):
    _seller, _category, offers = listed
    ids = tuple(offer.product_id for offer in reversed(offers))

    kept = kept_light_rows(ids, within=cheaper_than(250), key=("cheaper", 250))

    expected = light_rows(list(ids), within=cheaper_than(250)())
    assert [row.product_id for row in kept] == [ids[1], ids[2]]
    assert [tuple(getattr(row, field) for field in LIGHT_FIELDS) for row in kept] == [
        tuple(getattr(row, field) for field in LIGHT_FIELDS) for row in expected
    ]
    assert kept[0].get_deferred_fields() == expected[0].get_deferred_fields()


def test_a_second_read_reuses_the_statement_and_sees_a_price_now_outside_the_filter(
    listed, django_capture_on_commit_callbacks
):
    seller, _category, offers = listed
    ids = tuple(offer.product_id for offer in offers)
    kept_light_rows(ids, within=cheaper_than(250), key=("cheaper", 250))
    built = []

    def within():
        built.append(1)
        return cheaper_than(250)()

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=seller, offer_public_id=offers[0].public_id, price=Money("400", "RUB"))
    with CaptureQueriesContext(connection) as queries:
        again = kept_light_rows(ids, within=within, key=("cheaper", 250))

    assert built == []
    assert len(queries.captured_queries) == 1
    assert [row.product_id for row in again] == [ids[1]]


def test_a_changed_row_is_read_with_its_new_version(listed, django_capture_on_commit_callbacks):
    seller, _category, offers = listed
    ids = tuple(offer.product_id for offer in offers)
    first = kept_light_rows(ids, within=cheaper_than(1000), key=("cheaper", 1000))

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=seller, offer_public_id=offers[1].public_id, price=Money("250", "RUB"))
    again = kept_light_rows(ids, within=cheaper_than(1000), key=("cheaper", 1000))

    assert again[1].version > first[1].version
    assert [row.version for row in (again[0], again[2])] == [first[0].version, first[2].version]


def test_other_keys_and_other_pages_compile_their_own_statements(listed):
    _seller, _category, offers = listed
    ids = tuple(offer.product_id for offer in offers)

    wide = kept_light_rows(ids, within=cheaper_than(1000), key=("cheaper", 1000))
    narrow = kept_light_rows(ids, within=cheaper_than(150), key=("cheaper", 150))
    first_two = kept_light_rows(ids[:2], within=cheaper_than(1000), key=("cheaper", 1000))

    assert [len(wide), len(narrow), len(first_two)] == [3, 1, 2]
    assert len(results._kept_reads) == 3


def test_past_the_limit_the_compiled_statements_are_dropped_and_compiled_again(listed, monkeypatch):
    _seller, _category, offers = listed
    ids = tuple(offer.product_id for offer in offers)
    monkeypatch.setattr(results._kept_reads, "limit", 2)

    for roubles in (150, 250, 1000):
        kept_light_rows(ids, within=cheaper_than(roubles), key=("cheaper", roubles))

    assert results._kept_reads.keys() == [(("cheaper", 1000), ids)]
