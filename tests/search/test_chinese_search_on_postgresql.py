"""The Chinese search tests again on PostgreSQL (`make test-postgres`): the same bigrams
are stored in the `simple` tsvector and matched by to_tsquery('simple', ...)."""

import pytest
from django.db import connection

from caravan.search.tests.test_chinese_search import (  # noqa: F401
    shop,
    test_a_chinese_name_changed_is_searched_after_the_next_projection,
    test_a_chinese_query_finds_the_product_by_its_chinese_name,
    test_an_operators_synonym_finds_a_product_without_a_chinese_name,
    test_chinese_words_no_product_holds_together_find_nothing,
    test_one_chinese_character_finds_the_names_that_hold_it,
    test_russian_and_english_queries_are_unchanged_by_chinese_names,
)

pytestmark = pytest.mark.postgres


def test_the_simple_configuration_keeps_a_han_bigram_one_lexeme(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('simple', %s)::text", ["无 无线 线耳 耳机 tws"])
        vector = cursor.fetchone()[0]
        cursor.execute(
            "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s), "
            "to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
            ["无线 线耳 耳机", "无线 & 耳机", "无线 线耳 耳机", "机耳"],
        )
        matched, unmatched = cursor.fetchone()

    assert vector == "'tws':5 '无':1 '无线':2 '线耳':3 '耳机':4"
    assert (matched, unmatched) == (True, False)
