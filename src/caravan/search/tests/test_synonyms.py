"""The operator's synonym and hypernym table: its rules, and what it does to searches."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import (
    default_rates,
    make_category,
    make_offer,
    make_product,
    make_seller,
    make_user,
)

from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.search.models import SearchSynonym
from caravan.search.selectors import ProductQuery, list_products
from caravan.search.services import rebuild_index
from caravan.search.synonyms import (
    create_synonym,
    delete_synonym,
    expansions,
    list_synonyms,
    update_synonym,
)

SAME = SearchSynonym.Relation.SAME
KIND_OF = SearchSynonym.Relation.KIND_OF


@pytest.fixture
def audio(db):
    default_rates()
    seller = make_seller(name="Moscow Goods", country="RU", currency="RUB")
    category = make_category(slug="audio")
    for name_en, name_ru in (
        ("Sonora TWS Earbuds", "TWS-наушники Sonora"),
        ("Klang Wireless Headphones", "Беспроводные наушники Klang"),
        ("Bassline Earbuds", "Наушники-вкладыши Bassline"),
    ):
        product = make_product(category=category, name_en=name_en, name_ru=name_ru)
        make_offer(seller=seller, variant=product.variants.get(), price="2000", stock=5)
    rebuild_index()


def names(text):
    listing = list_products(query=ProductQuery(text=text))
    return sorted(summary.product.name_en for summary in listing.page.object_list)


def test_a_kind_of_a_word_is_found_by_the_word_and_not_the_other_way(audio):
    create_synonym(word="TWS", relation=KIND_OF, other="earbuds")

    assert names("earbuds") == ["Bassline Earbuds", "Sonora TWS Earbuds"]
    assert names("tws") == ["Sonora TWS Earbuds"]


def test_kinds_are_followed_down_a_chain(audio):
    create_synonym(word="TWS", relation=KIND_OF, other="wireless")
    create_synonym(word="earbuds", relation=KIND_OF, other="headphones")

    assert names("wireless headphones") == ["Klang Wireless Headphones", "Sonora TWS Earbuds"]
    assert names("headphones") == [
        "Bassline Earbuds",
        "Klang Wireless Headphones",
        "Sonora TWS Earbuds",
    ]


def test_words_that_mean_the_same_find_each_other(audio):
    create_synonym(word="затычки", relation=SAME, other="вкладыши")

    assert names("затычки") == ["Bassline Earbuds"]


def test_a_deleted_row_stops_expanding_at_once(audio):
    synonym = create_synonym(word="earbuds", relation=KIND_OF, other="headphones")
    assert names("headphones") == [
        "Bassline Earbuds",
        "Klang Wireless Headphones",
        "Sonora TWS Earbuds",
    ]

    delete_synonym(synonym_id=synonym.id)

    assert names("headphones") == ["Klang Wireless Headphones"]
    assert SearchSynonym.objects.count() == 0


def test_an_edited_row_expands_the_new_way(audio):
    synonym = create_synonym(word="earbuds", relation=KIND_OF, other="headphones")

    update_synonym(synonym_id=synonym.id, word="earbuds", relation=KIND_OF, other="audio")

    assert names("headphones") == ["Klang Wireless Headphones"]
    assert names("audio") == ["Bassline Earbuds", "Sonora TWS Earbuds"]


def test_a_row_stores_the_lexemes_its_words_are_matched_by(db):
    synonym = create_synonym(word="  Наушники ", relation=KIND_OF, other="Электроника")

    assert (synonym.word, synonym.word_lexeme, synonym.other, synonym.other_lexeme) == (
        "Наушники",
        "наушник",
        "Электроника",
        "электроник",
    )


@pytest.mark.parametrize(
    ("word", "relation", "other", "code"),
    [
        ("true wireless", KIND_OF, "earbuds", "synonym_one_word"),
        ("tws", SAME, "!!", "synonym_one_word"),
        ("наушники", SAME, "Наушник", "synonym_same_word"),
        ("tws", "broader", "earbuds", "synonym_relation"),
        ("超长的中文同义词不能用", SAME, "велосипед", "synonym_han_too_long"),
    ],
)
def test_a_row_that_cannot_work_is_refused_and_nothing_is_saved(db, word, relation, other, code):
    with pytest.raises(ValidationFailed) as refused:
        create_synonym(word=word, relation=relation, other=other)

    assert refused.value.code == code
    assert SearchSynonym.objects.count() == 0


def test_the_same_pair_twice_is_refused(db):
    create_synonym(word="tws", relation=KIND_OF, other="earbuds")

    with pytest.raises(ValidationFailed) as refused:
        create_synonym(word="TWS", relation=KIND_OF, other="Earbuds")

    assert refused.value.code == "synonym_duplicate"
    assert SearchSynonym.objects.count() == 1


def test_an_edit_into_a_duplicate_is_refused_and_changes_nothing(db):
    create_synonym(word="tws", relation=KIND_OF, other="earbuds")
    other = create_synonym(word="tws", relation=KIND_OF, other="wireless")

    with pytest.raises(ValidationFailed):
        update_synonym(synonym_id=other.id, word="tws", relation=KIND_OF, other="earbuds")

    other.refresh_from_db()
    assert other.other == "wireless"


def test_a_missing_row_is_not_found(db):
    with pytest.raises(NotFound):
        delete_synonym(synonym_id=404)


def test_the_list_is_in_word_order_and_filters_by_either_word(db):
    create_synonym(word="tws", relation=KIND_OF, other="earbuds")
    create_synonym(word="кеды", relation=KIND_OF, other="обувь")
    create_synonym(word="earbuds", relation=KIND_OF, other="headphones")

    assert [str(row) for row in list_synonyms()] == [
        "earbuds is a kind of headphones",
        "tws is a kind of earbuds",
        "кеды is a kind of обувь",
    ]
    assert [row.word for row in list_synonyms(text="EARBUDS")] == ["earbuds", "tws"]


def test_expansions_go_both_ways_for_synonyms_and_down_for_kinds():
    rows = [
        ("tws", KIND_OF, "earbud"),
        ("earbud", KIND_OF, "headphon"),
        ("вкладыш", SAME, "earbud"),
        ("headphon", KIND_OF, "audio"),
        ("audio", KIND_OF, "electron"),
        ("electron", KIND_OF, "good"),
    ]

    found = expansions(rows)

    assert found["earbud"] == ("вкладыш", "tws")
    assert found["вкладыш"] == ("earbud", "tws")
    assert found["headphon"] == ("earbud", "вкладыш", "tws")
    assert "tws" not in found
    # Three steps of "a kind of" at most: electronics reach earbuds, not TWS.
    assert found["electron"] == ("audio", "headphon", "earbud", "вкладыш")


@pytest.fixture
def operator_client(client, db):
    operator = make_user(email="operator@example.com")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client.force_login(operator)
    return client


def test_the_admin_adds_a_row_through_the_service(operator_client):
    response = operator_client.post(
        reverse("admin:search_searchsynonym_add"),
        {"word": "Кеды", "relation": KIND_OF, "other": "обувь"},
    )

    assert response.status_code == 302
    assert list(SearchSynonym.objects.values_list("word", "word_lexeme", "other_lexeme")) == [
        ("Кеды", "кед", "обув")
    ]


def test_the_admin_refuses_two_words_and_saves_nothing(operator_client):
    response = operator_client.post(
        reverse("admin:search_searchsynonym_add"),
        {"word": "true wireless", "relation": KIND_OF, "other": "earbuds"},
    )

    assert response.status_code == 200
    assert "Enter one word" in response.content.decode()
    assert SearchSynonym.objects.count() == 0


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "plan-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


def test_an_edit_to_the_table_is_searched_with_at_once_though_plans_are_reused(audio, shared_cache):
    assert names("headphones") == ["Klang Wireless Headphones"]

    create_synonym(word="earbuds", relation=KIND_OF, other="headphones")

    assert names("headphones") == [
        "Bassline Earbuds",
        "Klang Wireless Headphones",
        "Sonora TWS Earbuds",
    ]


def test_a_query_planned_a_moment_ago_reads_no_vocabulary(audio, shared_cache):
    names("earbuds")

    with CaptureQueriesContext(connection) as queries:
        names("earbuds")

    assert [q["sql"] for q in queries.captured_queries if "search_searchterm" in q["sql"]] == []
