"""The search app's index, update and malformed-query tests again, on PostgreSQL
(`make test-postgres`): the same assertions must hold on both backends."""

import pytest
from django.db import connection

from caravan.search.selectors import ProductQuery, list_products
from caravan.search.services import rebuild_index
from caravan.search.tests.test_index import *  # noqa: F403
from tests.factories import make_category, make_offer, make_product

pytestmark = pytest.mark.postgres


def test_a_rebuild_lays_the_match_table_out_by_category(seller):
    # given lanterns and torches created in turns, so their rows interleave
    lamps, torches = make_category(slug="lanterns"), make_category(slug="torches")
    for number in range(3):
        for category, name in ((torches, "Torch"), (lamps, "Lantern")):
            product = make_product(category=category, name_en=f"{name} light {number}")
            make_offer(seller=seller, variant=product.variants.get())

    # when the index is rebuilt
    rebuild_index(batch_size=2)

    # then the match table holds each category's rows side by side, under its own names
    with connection.cursor() as cursor:
        cursor.execute("SELECT category_id FROM search_match ORDER BY ctid")
        stored = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_match'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert stored == sorted(stored) and len(stored) == 6
    assert indexes == {"search_match_pkey", "search_match_gin", "search_match_category"}
    listing = list_products(query=ProductQuery(text="light"), facets=True)
    assert (listing.total, listing.facets.total if listing.facets else None) == (6, 6)
