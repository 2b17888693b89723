"""The seller portal's offer search goes through the buyers' search, scoped to the seller."""

import pytest
from tests.factories import build_market, make_offer, make_product

from caravan.search.selectors import find_products_to_offer, search_seller_offers

pytestmark = pytest.mark.django_db


def test_a_seller_finds_own_offers_by_transliteration_and_typo_and_never_another_sellers():
    # Given both sellers offer the headphones, and the Russian seller also a kettle
    market = build_market()
    kettle = make_product(name_en="Electric Kettle", name_ru="Электрический чайник")
    own_kettle = make_offer(seller=market.seller_ru, variant=kettle.variants.get())

    # When the Russian seller searches in Latin letters, with a typo, and by product words
    by_translit = search_seller_offers(seller=market.seller_ru, text="chainik")
    by_typo = search_seller_offers(seller=market.seller_ru, text="headphnes")
    by_cn = search_seller_offers(seller=market.seller_cn, text="чайник")

    # Then each finds only that seller's own offers
    assert list(by_translit) == [own_kettle]
    assert list(by_typo) == [market.offer_ru]
    assert list(by_cn) == []


def test_a_seller_finds_an_offer_by_its_sku():
    market = build_market()
    market.offer_cn.seller_sku = "SZ-HP-0042"
    market.offer_cn.save(update_fields=["seller_sku"])

    assert list(search_seller_offers(seller=market.seller_cn, text="hp-0042")) == [market.offer_cn]
    assert list(search_seller_offers(seller=market.seller_ru, text="hp-0042")) == []


def test_products_to_offer_are_found_by_russian_word_forms():
    market = build_market()

    found = find_products_to_offer(text="наушник")

    assert [summary.product for summary in found] == [market.product]
