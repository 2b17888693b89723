"""A rebuild in several processes (`caravan search-rebuild --workers N`, ADR 0024) writes
the same read model as one process, on PostgreSQL (`make test-postgres`)."""

import pytest
from django.db import connection

from caravan.offers.models import ProductOfferSummary
from caravan.search.models import (
    SearchDocument,
    SearchPhrase,
    SearchPhraseProduct,
    SearchPhraseTerm,
    SearchTerm,
)
from caravan.search.selectors import ProductQuery, list_products
from caravan.search.services import rebuild_index
from tests.factories import make_category, make_offer, make_product, make_seller

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _catalog() -> None:
    """Twelve products in two categories whose names share words, so the batches the
    workers take share phrases, terms and facet keys."""
    seller = make_seller()
    kettles, lamps = make_category(slug="kettles"), make_category(slug="lamps")
    for number in range(6):
        for category, name in ((kettles, "Steel kettle"), (lamps, "Steel desk lamp")):
            product = make_product(category=category, name_en=f"{name} {number}")
            make_offer(seller=seller, variant=product.variants.get())


def _read_model() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT product_id, boost FROM search_match ORDER BY product_id")
        matches = cursor.fetchall()
    return {
        "listing rows": sorted(
            ProductOfferSummary.objects.values_list(
                "product_id", "card_signature", "detail_signature", "facet_keys"
            )
        ),
        "documents": sorted(
            SearchDocument.objects.values_list(
                "product_id", "name_terms", "category_terms", "boost"
            )
        ),
        "match rows": matches,
        "terms": sorted(SearchTerm.objects.values_list("term", flat=True)),
        "phrases": sorted(SearchPhrase.objects.values_list("kind", "key", "product_count")),
        "phrase terms": sorted(
            SearchPhraseTerm.objects.values_list("term", "phrase__key", "product_count")
        ),
        "phrase products": sorted(
            SearchPhraseProduct.objects.values_list("phrase__key", "product_id")
        ),
    }


def _empty_search_tables() -> None:
    for model in (SearchPhraseProduct, SearchPhraseTerm, SearchPhrase, SearchDocument):
        model.objects.all().delete()
    SearchTerm.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_match")


def test_two_workers_index_an_empty_index_as_one_process_does():
    # given a catalog indexed by one process
    _catalog()
    rebuild_index(batch_size=2)
    expected = _read_model()

    # when the search tables are emptied and two workers index it again, two products a batch
    _empty_search_tables()
    total = rebuild_index(batch_size=2, workers=2)

    # then every table holds what one process wrote, and search finds the same products
    assert total == 12
    assert _read_model() == expected
    assert list_products(query=ProductQuery(text="steel")).total == 12
    assert list_products(query=ProductQuery(text="lamp")).total == 6


def test_two_workers_rebuild_a_full_index_to_the_same_rows():
    # given a catalog indexed by one process
    _catalog()
    rebuild_index(batch_size=3)
    expected = _read_model()

    # when two workers rebuild it over the rows already there
    rebuild_index(batch_size=3, workers=2)

    # then nothing differs
    assert _read_model() == expected
