"""Catalog text in the buyer's language on the product page, the cards and the cart; the
seller's original with a note where there is no translation; search by a translated name."""

import pytest
from tests.factories import project

from caravan.catalog.services import TranslationInput, set_original_language
from caravan.offers.translations import translate_seller_product

pytestmark = pytest.mark.django_db


def in_language(client, language):
    client.cookies["django_language"] = language
    return client


def translate(market, **texts):
    """The Chinese seller translates the market's product (they did not propose it, so the
    scoped service would refuse them: this writes through the catalog as the operator)."""
    from caravan.catalog.services import set_product_translations

    set_product_translations(
        product=market.product,
        translations={language.replace("_", "-"): text for language, text in texts.items()},
    )
    project(market.product)


def test_the_product_page_in_german_shows_the_german_name_and_description(client, market):
    translate(market, de=TranslationInput("Kabellose Kopfhörer", "Mit Geräuschunterdrückung"))

    response = in_language(client, "de").get(f"/p/{market.product.public_id}/")

    body = response.content.decode()
    assert "<h1>Kabellose Kopfhörer</h1>" in body
    assert "Mit Geräuschunterdrückung" in body
    # Two notes: under the specifications and the options, whose values nobody translated
    # here; none under the title.
    assert body.count('data-testid="translation-note"') == 2


def test_the_product_page_without_a_translation_shows_the_english_with_a_note(client, market):
    set_original_language(product=market.product, language="ru")

    response = in_language(client, "zh-hans").get(f"/p/{market.product.public_id}/")

    body = response.content.decode()
    assert '<h1><span lang="en">Wireless Headphones</span></h1>' in body
    assert 'data-testid="translation-note">尚未翻译成您的语言<' in body


def test_a_description_only_in_the_original_is_shown_in_it_with_the_sellers_note(client, market):
    from caravan.catalog.models import Product

    Product.objects.filter(id=market.product.id).update(description_en="")

    body = in_language(client, "de").get(f"/p/{market.product.public_id}/").content.decode()

    assert '<div class="prose" lang="ru"><p>Описание товара</p></div>' in body


def test_a_listing_in_german_shows_translated_cards_and_notes_the_rest(client, market):
    translate(market, de=TranslationInput("Kabellose Kopfhörer"))
    url = f"/c/{market.product.category.slug}/"

    german = in_language(client, "de").get(url).content.decode()
    chinese = in_language(client, "zh-hans").get(url).content.decode()

    assert 'class="product-card-name" href="/p/' in german
    assert ">Kabellose Kopfhörer</a>" in german
    assert german.count('data-testid="translation-note"') == 0
    assert '<span lang="en">Wireless Headphones</span>' in chinese
    assert chinese.count('data-testid="translation-note"') == 1


def test_the_cart_line_shows_the_translated_name(client, market, signed_in):
    from caravan.cart.services import add_to_cart, get_or_create_cart

    translate(market, de=TranslationInput("Kabellose Kopfhörer"))
    add_to_cart(
        cart=get_or_create_cart(token=None, user=market.buyer),
        offer_public_id=market.offer_ru.public_id,
    )
    browser = in_language(signed_in(market.buyer), "de")

    body = browser.get("/cart/").content.decode()

    assert 'class="cart-line-name">Kabellose Kopfhörer</a>' in body


def test_a_german_query_finds_the_product_by_its_german_name(client, market):
    # A word only the German name has (not a synonym of anything, unlike "Kopfhörer").
    translate(market, de=TranslationInput("Klangwunder Funkhörer"))

    response = in_language(client, "de").get("/search/", {"q": "klangwunder"})

    assert [card.product.id for card in response.context["cards"]] == [market.product.id]


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "catalog-language-tests",
        },
    }
    from django.core.cache import cache

    cache.clear()


def test_a_sellers_translation_refreshes_the_cached_cards_and_page(
    client, market, real_cache, django_capture_on_commit_callbacks
):
    from caravan.offers.models import ProductProposal

    ProductProposal.objects.create(seller=market.seller_cn, product=market.product)
    url = f"/c/{market.product.category.slug}/"
    page = f"/p/{market.product.public_id}/"
    german = in_language(client, "de")
    assert "Kabellose" not in german.get(url).content.decode()
    assert "Kabellose" not in german.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        translate_seller_product(
            seller=market.seller_cn,
            public_id=market.product.public_id,
            translations={"de": TranslationInput("Kabellose Kopfhörer")},
        )

    assert ">Kabellose Kopfhörer</a>" in german.get(url).content.decode()
    assert "<h1>Kabellose Kopfhörer</h1>" in german.get(page).content.decode()


def test_a_fallback_to_english_says_it_is_not_translated_rather_than_the_sellers_language(
    client, market
):
    # Written in Chinese, but the seller gave no Chinese text: English is what there is.
    set_original_language(product=market.product, language="zh-hans")

    body = in_language(client, "de").get(f"/p/{market.product.public_id}/").content.decode()

    assert '<h1><span lang="en">Wireless Headphones</span></h1>' in body
    assert "Noch nicht in Ihre Sprache übersetzt" in body
    assert "In der Sprache des Verkäufers angezeigt" not in body
