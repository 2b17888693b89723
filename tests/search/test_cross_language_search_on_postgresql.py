"""The cross-language search tests again on PostgreSQL (`make test-postgres`): Chinese
bigrams in the `simple` tsvector, the operator's synonyms in the same to_tsquery."""

import pytest

from caravan.search.tests.test_cross_language_search import (  # noqa: F401
    shop,
    test_a_chinese_word_finds_the_product_named_so_first_and_its_synonyms_after,
    test_a_query_in_another_language_finds_exactly_the_products_its_words_stand_for,
    test_what_the_catalog_does_not_carry_finds_nothing,
)

pytestmark = pytest.mark.postgres
