"""Catalog text per language: the services that write translations and the fallback to the
seller's original (catalog.translations)."""

import pytest
from django.utils import translation
from tests.factories import make_category, make_product

from caravan.catalog.models import Product, ProductTranslation
from caravan.catalog.selectors import attach_product_names, attach_product_translations, get_product
from caravan.catalog.services import (
    TranslationInput,
    set_category_translation,
    set_original_language,
    set_product_translations,
)
from caravan.kernel.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_translations_are_written_replaced_and_removed_per_language():
    product = make_product(name_en="Kettle", name_ru="Чайник")
    set_product_translations(
        product=product,
        translations={
            "de": TranslationInput("Wasserkocher", "Aus Edelstahl"),
            "zh-hans": TranslationInput("电水壶"),
        },
    )

    set_product_translations(
        product=product,
        translations={"de": TranslationInput(" Teekessel ", ""), "zh-hans": TranslationInput("")},
    )

    rows = list(
        ProductTranslation.objects.filter(product=product).values_list(
            "language", "name", "description"
        )
    )
    assert rows == [("de", "Teekessel", "")]


def test_a_language_not_given_is_left_alone():
    product = make_product()
    set_product_translations(product=product, translations={"de": TranslationInput("Kessel")})

    set_product_translations(product=product, translations={"zh-hans": TranslationInput("水壶")})

    assert sorted(
        ProductTranslation.objects.filter(product=product).values_list("language", "name")
    ) == [("de", "Kessel"), ("zh-hans", "水壶")]


def test_a_description_without_a_name_is_refused_and_nothing_is_written():
    product = make_product()

    with pytest.raises(ValidationFailed) as error:
        set_product_translations(
            product=product,
            translations={
                "de": TranslationInput("Kessel"),
                "zh-hans": TranslationInput("", "不锈钢"),
            },
        )

    assert error.value.code == "translation_name_required"
    assert not ProductTranslation.objects.filter(product=product).exists()


def test_a_language_caravan_does_not_ship_is_refused():
    product = make_product()

    with pytest.raises(ValidationFailed) as error:
        set_product_translations(
            product=product, translations={"fr": TranslationInput("Bouilloire")}
        )

    assert error.value.code == "language_unsupported"


def test_a_german_buyer_reads_the_german_name_and_description():
    product = make_product(name_en="Kettle", name_ru="Чайник")
    set_product_translations(
        product=product, translations={"de": TranslationInput("Wasserkocher", "Aus Edelstahl")}
    )

    with translation.override("de"):
        shown = get_product(public_id=product.public_id)
        name, description = shown.shown_name, shown.shown_description

    assert (name.text, name.language, name.is_original_fallback) == ("Wasserkocher", "de", False)
    assert (description.text, description.is_original_fallback) == ("Aus Edelstahl", False)


def test_without_a_translation_the_buyer_reads_the_sellers_english_flagged():
    product = make_product(name_en="Kettle", name_ru="Чайник")
    set_original_language(product=product, language="ru")

    with translation.override("zh-hans"):
        shown = get_product(public_id=product.public_id).shown_name

    assert (shown.text, shown.language, shown.is_original_fallback, shown.in_original_language) == (
        "Kettle",
        "en",
        True,
        False,
    )


def test_a_text_the_seller_wrote_only_in_the_original_is_read_in_it_flagged():
    product = make_product(name_en="Kettle", name_ru="Чайник")
    Product.objects.filter(id=product.id).update(description_en="", description_ru="Из стали")

    with translation.override("de"):
        shown = get_product(public_id=product.public_id).shown_description

    assert (shown.text, shown.language, shown.is_original_fallback, shown.in_original_language) == (
        "Из стали",
        "ru",
        True,
        True,
    )


def test_a_chinese_sellers_chinese_name_is_read_in_chinese_and_english_elsewhere():
    product = make_product(name_en="Kettle", name_ru="Чайник")
    set_original_language(product=product, language="zh-hans")
    set_product_translations(product=product, translations={"zh-hans": TranslationInput("电水壶")})

    with translation.override("zh-hans"):
        chinese = get_product(public_id=product.public_id).shown_name
    with translation.override("de"):
        german = get_product(public_id=product.public_id).shown_name
    with translation.override("ru"):
        russian = get_product(public_id=product.public_id).shown_name

    assert (chinese.text, chinese.is_original_fallback) == ("电水壶", False)
    assert (german.text, german.language, german.is_original_fallback) == ("Kettle", "en", True)
    assert (russian.text, russian.is_original_fallback) == ("Чайник", False)


def test_an_original_language_without_text_falls_back_to_english():
    product = make_product(name_en="Kettle", name_ru="Чайник")
    set_original_language(product=product, language="zh-hans")

    with translation.override("de"):
        shown = get_product(public_id=product.public_id).shown_name

    assert (shown.text, shown.language, shown.is_original_fallback) == ("Kettle", "en", True)


def test_russian_and_english_are_columns_not_translation_rows():
    product = make_product(name_en="Kettle", name_ru="Чайник")

    with pytest.raises(ValidationFailed) as error:
        set_product_translations(product=product, translations={"ru": TranslationInput("Котёл")})

    assert error.value.code == "translation_language_is_a_column"
    assert ProductTranslation.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "queries", "name"), [("ru", 0, "Чайник"), ("de", 1, "Kessel")]
)
def test_product_names_read_rows_only_in_a_language_without_columns(
    django_assert_num_queries, language, queries, name
):
    product = make_product(name_en="Kettle", name_ru="Чайник")
    set_product_translations(product=product, translations={"de": TranslationInput("Kessel")})
    listed = list(Product.objects.filter(id=product.id))

    with translation.override(language), django_assert_num_queries(queries):
        attach_product_names(listed)
        names = [row.name for row in listed]

    assert names == [name]


def test_a_page_of_products_gets_its_translations_in_one_query(django_assert_num_queries):
    category = make_category(parent=make_category())
    products = [
        make_product(category=category, name_en=f"Kettle {n}", name_ru=f"Чайник {n}")
        for n in range(4)
    ]
    for product in products[:2]:
        set_product_translations(
            product=product, translations={"de": TranslationInput(f"Kessel {product.id}")}
        )
    listed = list(Product.objects.filter(id__in=[p.id for p in products]).order_by("id"))

    with translation.override("de"), django_assert_num_queries(1):
        attach_product_translations(listed)
        names = [product.name for product in listed]

    assert names == [
        f"Kessel {products[0].id}",
        f"Kessel {products[1].id}",
        "Kettle 2",  # not translated: the seller's English, before the Russian original
        "Kettle 3",
    ]


def test_a_category_name_follows_the_buyer_language_with_english_as_fallback():
    category = make_category()
    set_category_translation(category=category, language="de", name="Haushalt")

    with translation.override("de"):
        german = type(category).objects.get(id=category.id).name
    with translation.override("zh-hans"):
        chinese = type(category).objects.get(id=category.id).name

    assert (german, chinese) == ("Haushalt", category.name_en)


def test_an_empty_category_translation_removes_it():
    category = make_category()
    set_category_translation(category=category, language="de", name="Haushalt")

    set_category_translation(category=category, language="de", name="  ")

    assert not category.translations.exists()
