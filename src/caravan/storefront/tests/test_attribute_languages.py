"""Attribute names and values, variant labels, facets, cart and order lines in the buyer's
language (de, zh-hans, en, ru), English with a note where the seller gave no translation,
and category names in Chinese wherever a category shows (ADR 0016)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from tests.factories import (
    default_rates,
    fill_cart,
    make_address,
    make_category,
    make_offer,
    make_seller,
    make_user,
    project,
)

from caravan.catalog.models import AttributeValue
from caravan.catalog.services import (
    AttributeInput,
    ProductInput,
    VariantInput,
    create_product,
    ensure_attribute,
    set_attribute_translation,
    set_attribute_value_translations,
    set_category_translation,
)
from caravan.orders.models import OrderLine

pytestmark = pytest.mark.django_db

ATTRIBUTE_TABLES = (
    "catalog_attributetranslation",
    "catalog_attributevaluetranslation",
    "catalog_varianttranslation",
)
GERMAN_NOTE = "Noch nicht in Ihre Sprache übersetzt"
CHINESE_NOTE = "尚未翻译成您的语言"


class Shop:
    def __init__(self) -> None:
        default_rates()
        self.seller = make_seller(name="Kazan Home", country="RU", currency="RUB")
        for code, ru, en in (
            ("material", "Материал", "Material"),
            ("colour", "Цвет", "Colour"),
            ("size", "Размер", "Size"),
        ):
            ensure_attribute(code=code, name_ru=ru, name_en=en)
        self.category = make_category(parent=make_category())
        self.product = create_product(
            data=ProductInput(
                category=self.category,
                name_ru="Чайник",
                name_en="Kettle",
                specs=[AttributeInput("material", "Сталь", "Steel")],
                variants=[
                    VariantInput(
                        options=[
                            AttributeInput("colour", colour_ru, colour_en),
                            AttributeInput("size", "42", "42"),
                        ],
                        net_weight_grams=900,
                    )
                    for colour_ru, colour_en in (("Чёрный", "Black"), ("Белый", "White"))
                ],
                hs_code="851610",
                origin_country="RU",
            )
        )
        black, white = self.product.variants.order_by("position")
        self.black = make_offer(seller=self.seller, variant=black, price="3000")
        self.white = make_offer(seller=self.seller, variant=white, price="3100")
        ids: dict[str, list[int]] = {}
        for value in AttributeValue.objects.filter(product=self.product):
            ids.setdefault(value.value_en, []).append(value.id)
        # German: all but white; Chinese: only black (the black variant's size is not).
        set_attribute_value_translations(
            product=self.product,
            translations={
                "de": {
                    **dict.fromkeys(ids["Steel"], "Edelstahlguss"),
                    **dict.fromkeys(ids["Black"], "Schwarz"),
                    **dict.fromkeys(ids["42"], "42"),
                },
                "zh-hans": {**dict.fromkeys(ids["Black"], "黑色")},
            },
        )
        for code, german in (("material", "Werkstoff"), ("colour", "Farbe"), ("size", "Größe")):
            attribute = AttributeValue.objects.filter(attribute__code=code).first().attribute
            set_attribute_translation(attribute=attribute, language="de", name=german)
        project(self.product)


@pytest.fixture
def shop(db) -> Shop:
    return Shop()


def in_language(client, language):
    client.cookies["django_language"] = language
    return client


def page(client, language: str, url: str, **params: str) -> str:
    return in_language(client, language).get(url, params).content.decode()


@pytest.mark.parametrize(
    ("language", "spec", "chips", "notes"),
    [
        (
            "ru",
            "<dt>Материал</dt><dd>Сталь</dd>",
            ['data-testid="variant">Чёрный / 42 <', 'data-testid="variant">Белый / 42 <'],
            0,
        ),
        (
            "en",
            "<dt>Material</dt><dd>Steel</dd>",
            ['data-testid="variant">Black / 42 <', 'data-testid="variant">White / 42 <'],
            0,
        ),
        (
            "de",
            "<dt>Werkstoff</dt><dd>Edelstahlguss</dd>",
            [
                'data-testid="variant">Schwarz / 42 <',
                'data-testid="variant"><span lang="en">White / 42</span> <',
            ],
            1,  # under the options (White); the specifications are all German
        ),
        (
            "zh-hans",
            '<dt><span lang="en">Material</span></dt><dd><span lang="en">Steel</span></dd>',
            [
                'data-testid="variant"><span lang="en">Black / 42</span> <',
                'data-testid="variant"><span lang="en">White / 42</span> <',
            ],
            2,  # under the options and under the specifications
        ),
    ],
)
def test_the_product_page_shows_specifications_and_options_per_language(
    client, shop, language, spec, chips, notes
):
    body = page(client, language, f"/p/{shop.product.public_id}/")

    assert spec in body
    assert [chip in body for chip in chips] == [True, True]
    # The product's name is in English for German and Chinese buyers: one more note there.
    name_note = 1 if language in {"de", "zh-hans"} else 0
    assert body.count('data-testid="translation-note"') == notes + name_note


def test_the_german_note_under_the_options_names_the_missing_translation(client, shop):
    body = page(client, "de", f"/p/{shop.product.public_id}/")

    assert f'data-testid="translation-note">{GERMAN_NOTE}</p>' in body


@pytest.mark.parametrize(
    ("language", "black", "white"),
    [("ru", "Чёрный", "Белый"), ("en", "Black", "White"), ("de", "Schwarz", "White")],
)
def test_colour_facets_are_labelled_in_the_buyers_language_and_filter_on_the_original(
    client, shop, language, black, white
):
    url = f"/c/{shop.category.slug}/"

    listing = page(client, language, url)
    filtered = in_language(client, language).get(url, {"attr": "colour:black"})

    assert f'value="colour:black"> {black} <span class="facet-count">1</span>' in listing
    assert f'value="colour:white"> {white} <span class="facet-count">1</span>' in listing
    assert [card.product.id for card in filtered.context["cards"]] == [shop.product.id]


def test_a_chinese_facet_uses_the_translation_there_is_and_english_otherwise(client, shop):
    listing = page(client, "zh-hans", f"/c/{shop.category.slug}/")

    assert 'value="colour:black"> 黑色 <span class="facet-count">1</span>' in listing
    assert 'value="colour:white"> White <span class="facet-count">1</span>' in listing


@pytest.mark.parametrize(
    ("language", "black", "white"),
    [
        ("ru", "Чёрный / 42", "Белый / 42"),
        ("en", "Black / 42", "White / 42"),
        (
            "de",
            "Schwarz / 42",
            '<span lang="en">White / 42</span> <span class="translation-note muted small"'
            f' data-testid="translation-note">{GERMAN_NOTE}</span>',
        ),
        (
            "zh-hans",
            '<span lang="en">Black / 42</span> <span class="translation-note muted small"'
            f' data-testid="translation-note">{CHINESE_NOTE}</span>',
            '<span lang="en">White / 42</span> <span class="translation-note muted small"'
            f' data-testid="translation-note">{CHINESE_NOTE}</span>',
        ),
    ],
)
def test_cart_lines_show_the_variant_in_the_buyers_language(
    client, shop, signed_in, language, black, white
):
    buyer = make_user(email=f"cart-{language}@example.com")
    fill_cart(user=buyer, lines=[(shop.black, 1), (shop.white, 1)])

    body = page(signed_in(buyer), language, "/cart/")

    assert f'<div class="muted small">{black}</div>' in body
    assert f'<div class="muted small">{white}</div>' in body


def place_in(language: str, shop: Shop) -> OrderLine:
    from caravan.cart.services import place_order

    buyer = make_user(email=f"order-{language}@example.com")
    cart = fill_cart(user=buyer, lines=[(shop.black, 1)])
    with translation.override(language):
        order = place_order(cart=cart, buyer=buyer, address=make_address(user=buyer))
    return OrderLine.objects.get(seller_order__order=order)


def test_an_order_line_keeps_what_the_german_buyer_read_and_the_seller_reads_the_original(shop):
    line = place_in("de", shop)

    assert (line.buyer_language, line.buyer_product_name, line.buyer_variant_label) == (
        "de",
        "Kettle",  # the product's name has no German translation: the English they read
        "Schwarz / 42",
    )
    shown = {}
    for language in ("de", "ru", "en", "zh-hans"):
        with translation.override(language):
            shown[language] = (line.product_name, line.variant_label)
    assert shown == {
        "de": ("Kettle", "Schwarz / 42"),
        "ru": ("Чайник", "Чёрный / 42"),
        "en": ("Kettle", "Black / 42"),
        "zh-hans": ("Kettle", "Black / 42"),
    }


def test_the_german_buyers_order_page_shows_the_german_variant(client, shop, signed_in):
    line = place_in("de", shop)
    order = line.seller_order.order

    german = page(signed_in(order.buyer), "de", f"/orders/{order.number}/")
    russian = page(signed_in(order.buyer), "ru", f"/orders/{order.number}/")

    assert '<span class="muted">· Schwarz / 42</span>' in german
    assert '<span class="muted">· Чёрный / 42</span>' in russian


@pytest.mark.parametrize("language", ["ru", "en"])
def test_russian_and_english_pages_read_no_attribute_translation(client, shop, signed_in, language):
    buyer = make_user(email=f"budget-{language}@example.com")
    fill_cart(user=buyer, lines=[(shop.black, 1), (shop.white, 1)])
    browser = in_language(signed_in(buyer), language)

    with CaptureQueriesContext(connection) as queries:
        for url in (f"/p/{shop.product.public_id}/", f"/c/{shop.category.slug}/", "/cart/"):
            assert browser.get(url).status_code == 200

    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert [table for table in ATTRIBUTE_TABLES if table in sql] == []


def test_a_translated_value_is_found_in_its_language(client, shop):
    response = in_language(client, "de").get("/search/", {"q": "edelstahlguss"})

    assert [card.product.id for card in response.context["cards"]] == [shop.product.id]


def test_a_chinese_value_is_found_by_its_characters(client, shop):
    response = in_language(client, "zh-hans").get("/search/", {"q": "黑色"})

    assert [card.product.id for card in response.context["cards"]] == [shop.product.id]


def test_the_chinese_no_results_page_names_categories_in_chinese(client, shop):
    set_category_translation(category=shop.category.parent, language="zh-hans", name="家居厨房")

    body = page(client, "zh-hans", "/search/", q="qqqzzzxx")

    assert 'data-testid="no-results-category">家居厨房 <span class="muted">1</span>' in body
    assert shop.category.parent.name_en not in body.split('data-testid="no-results"')[1]


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "attribute-language-tests",
        },
    }
    from django.core.cache import cache

    cache.clear()


def test_an_operator_rename_refreshes_cached_menus_and_pages_at_once(
    client, shop, real_cache, django_capture_on_commit_callbacks
):
    urls = ["/", f"/c/{shop.category.slug}/", f"/p/{shop.product.public_id}/"]
    before = [page(client, "zh-hans", url) for url in urls]
    assert all("家居厨房" not in body for body in before)

    with django_capture_on_commit_callbacks(execute=True):
        set_category_translation(category=shop.category.parent, language="zh-hans", name="家居厨房")

    after = [in_language(client, "zh-hans").get(url) for url in urls]
    assert [response["X-Page-Cache"] for response in after] == ["miss", "miss", "miss"]
    assert all("家居厨房" in response.content.decode() for response in after)


def test_a_subcategory_rename_reaches_the_home_pages_category_tiles_at_once(
    client, shop, real_cache, django_capture_on_commit_callbacks
):
    before = page(client, "zh-hans", "/")

    with django_capture_on_commit_callbacks(execute=True):
        set_category_translation(category=shop.category, language="zh-hans", name="小厨电")

    after = in_language(client, "zh-hans").get("/")
    tiles = after.content.decode().split('id="categories-title"')[1].split("</section>")[0]
    assert "小厨电" not in before
    assert (after["X-Page-Cache"], "小厨电" in tiles) == ("miss", True)


def test_an_attribute_rename_refreshes_the_cached_product_page(
    client, shop, real_cache, django_capture_on_commit_callbacks
):
    url = f"/p/{shop.product.public_id}/"
    assert "<dt>Werkstoff</dt>" in page(client, "de", url)
    assert in_language(client, "de").get(url)["X-Page-Cache"] == "hit"
    material = AttributeValue.objects.get(value_en="Steel").attribute

    with django_capture_on_commit_callbacks(execute=True):
        set_attribute_translation(attribute=material, language="de", name="Material (Gehäuse)")

    assert "<dt>Material (Gehäuse)</dt>" in page(client, "de", url)


def test_the_api_product_speaks_the_requests_language(client, shop):
    url = f"/api/v1/products/{shop.product.public_id}"

    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").json()
    russian = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()

    assert (german["specs"], [v["label"] for v in german["variants"]]) == (
        [{"attribute": "Werkstoff", "value": "Edelstahlguss"}],
        ["Schwarz / 42", "White / 42"],
    )
    assert (russian["specs"], [o["variant_label"] for o in russian["offers"]]) == (
        [{"attribute": "Материал", "value": "Сталь"}],
        ["Чёрный / 42", "Белый / 42"],
    )
