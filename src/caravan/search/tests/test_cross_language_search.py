"""Chinese and German queries against products named in Russian and English, through the
operator's synonym table: a Chinese word of the table finds what its Russian or English
synonym finds, a longer Chinese word splits the query where it occurs, and what the table
does not know finds nothing. On whichever engine the test database runs (SQLite here,
PostgreSQL in tests/search/test_cross_language_search_on_postgresql.py)."""

import pytest
from tests.factories import default_rates, make_category, make_offer, make_product, make_seller

from caravan.catalog.services import TranslationInput, set_product_translations
from caravan.kernel.errors import ValidationFailed
from caravan.search.analysis import query_words
from caravan.search.cjk import segment
from caravan.search.models import SearchSynonym
from caravan.search.selectors import ProductQuery, list_products
from caravan.search.services import rebuild_index
from caravan.search.synonyms import create_synonym, han_words

SAME = SearchSynonym.Relation.SAME
KIND_OF = SearchSynonym.Relation.KIND_OF

TABLE = (
    ("耳机", SAME, "наушники"),
    ("无线", SAME, "wireless"),
    ("鞋", SAME, "обувь"),
    ("кроссовки", KIND_OF, "обувь"),
    ("ботинки", KIND_OF, "обувь"),
    ("运动鞋", SAME, "кроссовки"),
    ("运动鞋", KIND_OF, "鞋"),
    ("笔记本电脑", SAME, "ноутбук"),
    ("黑色", SAME, "black"),
    ("Schuhe", SAME, "обувь"),
    ("kabellose", SAME, "wireless"),
)


@pytest.fixture
def shop(db):
    default_rates()
    seller = make_seller(name="Kazan Goods", country="RU", currency="RUB")
    audio = make_category(slug="audio")
    shoes = make_category(slug="shoes")
    computers = make_category(slug="computers")

    def item(name_en, name_ru, category, colour="Black", chinese=""):
        product = make_product(
            category=category, name_en=name_en, name_ru=name_ru, colours=(colour,)
        )
        if chinese:
            set_product_translations(
                product=product, translations={"zh-hans": TranslationInput(chinese)}
            )
        make_offer(seller=seller, variant=product.variants.get(), price="2500", stock=4)

    item("Klang Wireless Headphones", "Беспроводные наушники Klang", audio)
    item("Sonora Wired Headphones", "Проводные наушники Sonora", audio, colour="White")
    item("Trail Sneakers", "Кроссовки Trail", shoes)
    item("Court Sneakers", "Кроссовки Court", shoes, colour="White")
    item("Winter Boots", "Зимние ботинки", shoes)
    item("Northbook Laptop", "Ноутбук Northbook", computers, chinese="Northbook 笔记本电脑")
    item("Packwell Laptop Backpack", "Рюкзак Packwell для ноутбука", computers)
    for word, relation, other in TABLE:
        create_synonym(word=word, relation=relation, other=other)
    rebuild_index()


def names(text):
    listing = list_products(query=ProductQuery(text=text))
    return [summary.product.name_en for summary in listing.page.object_list]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("耳机", ["Klang Wireless Headphones", "Sonora Wired Headphones"]),
        ("无线耳机", ["Klang Wireless Headphones"]),
        ("耳机 黑色", ["Klang Wireless Headphones"]),
        ("运动鞋", ["Court Sneakers", "Trail Sneakers"]),
        ("黑色运动鞋", ["Trail Sneakers"]),
        # 鞋 (shoes) is the broad word: its kinds, in any language, come along.
        ("鞋", ["Court Sneakers", "Trail Sneakers", "Winter Boots"]),
        ("Schuhe", ["Court Sneakers", "Trail Sneakers", "Winter Boots"]),
        ("kabellose Kopfhörer", ["Klang Wireless Headphones"]),
        ("Kopfhörer weiß", ["Sonora Wired Headphones"]),
    ],
)
def test_a_query_in_another_language_finds_exactly_the_products_its_words_stand_for(
    shop, text, found
):
    assert sorted(names(text)) == found


def test_a_chinese_word_finds_the_product_named_so_first_and_its_synonyms_after(shop):
    # The laptop holds 笔记本电脑 in its Chinese name and ноутбук in its own; the backpack
    # is "for a laptop" (для ноутбука) and comes after it.
    assert names("笔记本电脑") == ["Northbook Laptop", "Packwell Laptop Backpack"]


@pytest.mark.parametrize(
    "text",
    [
        "拖拉机",  # tractor: nobody sells one, the table does not know it
        "手机壳",  # phone case
        "iPhone 耳机",  # headphones, but no iPhone
        "耳机套",  # earphone covers: 套 is in no name
        "运动",  # sport: a bigram of 运动鞋, not a word of the table
        "Staubsauger",
        "Schuhe Staubsauger",
    ],
)
def test_what_the_catalog_does_not_carry_finds_nothing(shop, text):
    assert names(text) == []


def test_a_query_run_is_split_at_the_longest_chinese_words_of_the_table():
    words = {"黑色", "运动鞋", "无线", "真无线", "耳机"}

    assert segment("黑色运动鞋", words) == [("黑色", True), ("运动鞋", True)]
    assert segment("真无线耳机", words) == [("真无线", True), ("耳机", True)]
    assert segment("红色耳机套", words) == [("红色", False), ("耳机", True), ("套", False)]
    assert segment("自行车", words) == [("自行车", False)]
    assert segment("鞋", words) == [("鞋", False)]


def test_each_bigram_of_a_longer_chinese_word_carries_the_word():
    words = query_words("黑色运动鞋", han_words={"黑色", "运动鞋"})

    assert [(word.text, word.phrase) for word in words] == [
        ("黑色", ""),
        ("运动", "运动鞋"),
        ("动鞋", "运动鞋"),
    ]


def test_the_table_splits_queries_only_at_chinese_words_that_expand(db):
    create_synonym(word="运动鞋", relation=SAME, other="кроссовки")
    create_synonym(word="跑鞋", relation=KIND_OF, other="运动鞋")
    create_synonym(word="鞋", relation=SAME, other="обувь")

    # 跑鞋 expands to nothing of its own and 鞋 is one character: neither cuts a query.
    assert han_words() == {"运动鞋"}


def test_a_chinese_word_of_up_to_eight_characters_is_one_row(db):
    synonym = create_synonym(word="笔记本电脑", relation=SAME, other="ноутбук")

    assert (synonym.word_lexeme, synonym.other_lexeme) == ("笔记本电脑", "ноутбук")
    with pytest.raises(ValidationFailed) as refused:
        create_synonym(word="超长的中文同义词不能", relation=SAME, other="ноутбук")
    assert refused.value.code == "synonym_han_too_long"
    assert SearchSynonym.objects.count() == 1
