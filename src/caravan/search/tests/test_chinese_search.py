"""Chinese queries find products by their Chinese (zh-hans) names, indexed as character
bigrams (search.cjk); on whichever engine the test database runs (SQLite here, PostgreSQL
in tests/search/test_chinese_search_on_postgresql.py)."""

import pytest
from django.db import connection
from tests.factories import default_rates, make_category, make_offer, make_product, make_seller

from caravan.catalog.services import TranslationInput, set_product_translations
from caravan.search.models import SearchSynonym
from caravan.search.selectors import ProductQuery, list_products
from caravan.search.services import rebuild_index
from caravan.search.synonyms import create_synonym


@pytest.fixture
def shop(db):
    default_rates()
    seller = make_seller(name="Shenzhen Sound", country="CN", currency="CNY")
    audio = make_category(slug="audio")
    sport = make_category(slug="sport")

    def item(name_en, name_ru, category, chinese=""):
        product = make_product(category=category, name_en=name_en, name_ru=name_ru)
        if chinese:
            set_product_translations(
                product=product, translations={"zh-hans": TranslationInput(chinese)}
            )
        make_offer(seller=seller, variant=product.variants.get(), price="1500", stock=3)

    item("Pulse TWS Earbuds", "Наушники Pulse TWS", audio, "Pulse TWS 无线耳机（带麦克风）")
    item("Boom Speaker", "Колонка Boom", audio, "Boom 蓝牙音箱")
    item("Trail Running Shoes", "Кроссовки Trail", sport, "Trail 跑步鞋")
    item("City Bike", "Городской велосипед", sport)
    rebuild_index()


def names(text):
    listing = list_products(query=ProductQuery(text=text))
    return sorted(summary.product.name_en for summary in listing.page.object_list)


@pytest.mark.parametrize(
    "text", ["耳机", "无线耳机", "耳机 TWS", "TWS耳机", "无线，耳机", "Pulse 耳机"]
)
def test_a_chinese_query_finds_the_product_by_its_chinese_name(shop, text):
    assert names(text) == ["Pulse TWS Earbuds"]


def test_one_chinese_character_finds_the_names_that_hold_it(shop):
    assert names("鞋") == ["Trail Running Shoes"]
    assert names("机") == ["Pulse TWS Earbuds"]


@pytest.mark.parametrize("text", ["自行车", "耳机 Boom", "无线音箱", "机耳", "耳机 велосипед"])
def test_chinese_words_no_product_holds_together_find_nothing(shop, text):
    assert names(text) == []


def test_russian_and_english_queries_are_unchanged_by_chinese_names(shop):
    assert names("наушники") == ["Pulse TWS Earbuds"]
    assert names("велосипед") == ["City Bike"]
    assert names("speaker") == ["Boom Speaker"]
    assert names("tws") == ["Pulse TWS Earbuds"]


def test_an_operators_synonym_finds_a_product_without_a_chinese_name(shop):
    assert names("单车") == []

    create_synonym(word="单车", relation=SearchSynonym.Relation.SAME, other="велосипед")

    assert names("单车") == ["City Bike"]


def test_a_chinese_name_changed_is_searched_after_the_next_projection(shop):
    # The caller announces a translation change (ADR 0007); a rebuild stands in for it here.
    earbuds = list_products(query=ProductQuery(text="耳机")).page.object_list[0].product
    set_product_translations(
        product=earbuds, translations={"zh-hans": TranslationInput("Pulse 运动耳塞")}
    )
    rebuild_index()

    assert names("耳机") == []
    assert names("耳塞") == ["Pulse TWS Earbuds"]


def test_fts5_keeps_a_han_bigram_one_token(db):
    if connection.vendor != "sqlite":
        pytest.fail("the FTS5 tokenizer is SQLite's")
    with connection.cursor() as cursor:
        # The search table's own tokenizer settings (search migration 0002).
        cursor.execute(
            "CREATE VIRTUAL TABLE temp.cjk_probe USING fts5("
            "name, tokenize = 'unicode61 remove_diacritics 0')"
        )
        cursor.execute("CREATE VIRTUAL TABLE temp.cjk_terms USING fts5vocab(temp, cjk_probe, row)")
        cursor.execute("INSERT INTO temp.cjk_probe (name) VALUES ('无 线 无线 线耳 耳机 tws')")
        cursor.execute("SELECT term FROM temp.cjk_terms ORDER BY term")
        terms = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM temp.cjk_probe WHERE cjk_probe MATCH '\"机耳\"'")
        unmatched = cursor.fetchone()[0]
        cursor.execute("DROP TABLE temp.cjk_terms")
        cursor.execute("DROP TABLE temp.cjk_probe")

    assert terms == sorted(["无", "线", "无线", "线耳", "耳机", "tws"])
    assert unmatched == 0
