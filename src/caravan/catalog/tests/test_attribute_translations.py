"""Attribute names (the operator's) and attribute values (the seller's) per language, the
variant labels built from them, and the facet labels found by a value's normalised form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from tests.factories import make_category

from caravan.catalog.events import CatalogTextChanged
from caravan.catalog.models import (
    AttributeValue,
    AttributeValueTranslation,
    Product,
    VariantTranslation,
)
from caravan.catalog.selectors import (
    attach_variant_labels,
    attribute_value_labels,
    get_product,
    list_attribute_value_groups,
)
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
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.events import subscribe

pytestmark = pytest.mark.django_db


def make_kettle(*, name_en: str = "Kettle") -> Product:
    """A steel kettle in black and white, one size: a spec and two options per variant."""
    ensure_attribute(code="material", name_ru="Материал", name_en="Material")
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    ensure_attribute(code="size", name_ru="Размер", name_en="Size")
    return create_product(
        data=ProductInput(
            category=make_category(parent=make_category()),
            name_ru="Чайник",
            name_en=name_en,
            specs=[AttributeInput("material", "Сталь", "Steel")],
            variants=[
                VariantInput(
                    options=[
                        AttributeInput("colour", "Чёрный", "Black"),
                        AttributeInput("size", "42", "42"),
                    ]
                ),
                VariantInput(
                    options=[
                        AttributeInput("colour", "Белый", "White"),
                        AttributeInput("size", "42", "42"),
                    ]
                ),
            ],
        )
    )


def value_ids(product: Product) -> dict[str, list[int]]:
    """The product's attribute value ids by English value."""
    found: dict[str, list[int]] = {}
    for value in AttributeValue.objects.filter(product=product).order_by("id"):
        found.setdefault(value.value_en, []).append(value.id)
    return found


def translate_values(product: Product, language: str, words: dict[str, str]) -> None:
    ids = value_ids(product)
    set_attribute_value_translations(
        product=product,
        translations={
            language: {value_id: text for value, text in words.items() for value_id in ids[value]}
        },
    )


def test_value_translations_are_written_with_their_facet_key_and_build_whole_labels():
    kettle = make_kettle()

    translate_values(kettle, "de", {"Steel": " Stahl ", "Black": "Schwarz", "42": "42"})

    assert sorted(
        AttributeValueTranslation.objects.filter(language="de").values_list("value", "value_key")
    ) == [("42", "42"), ("42", "42"), ("Schwarz", "black"), ("Stahl", "steel")]
    # Only the black variant has every option in German; the white one has no German label.
    assert list(
        VariantTranslation.objects.values_list("variant__label_en", "language", "label")
    ) == [("Black / 42", "de", "Schwarz / 42")]


def test_an_empty_text_removes_a_translation_and_its_variant_label():
    kettle = make_kettle()
    translate_values(kettle, "de", {"Black": "Schwarz", "42": "42"})

    translate_values(kettle, "de", {"Black": ""})

    assert sorted(AttributeValueTranslation.objects.values_list("value", flat=True)) == ["42", "42"]
    assert VariantTranslation.objects.count() == 0


def test_a_value_of_another_product_is_refused_and_nothing_is_written():
    kettle, other = make_kettle(), make_kettle(name_en="Other kettle")
    foreign = value_ids(other)["Steel"][0]

    with pytest.raises(ValidationFailed) as error:
        set_attribute_value_translations(
            product=kettle,
            translations={"de": {value_ids(kettle)["Steel"][0]: "Stahl", foreign: "Blech"}},
        )

    assert error.value.code == "attribute_value_unknown"
    assert AttributeValueTranslation.objects.count() == 0


@pytest.mark.parametrize("language", ["ru", "en"])
def test_russian_and_english_values_are_the_columns_not_rows(language):
    kettle = make_kettle()

    with pytest.raises(ValidationFailed) as error:
        translate_values(kettle, language, {"Steel": "Железо"})

    assert error.value.code == "translation_language_is_a_column"
    assert AttributeValueTranslation.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "specs", "labels"),
    [
        ("ru", [("Материал", "Сталь", False)], [("Чёрный / 42", False), ("Белый / 42", False)]),
        ("en", [("Material", "Steel", False)], [("Black / 42", False), ("White / 42", False)]),
        ("de", [("Werkstoff", "Stahl", False)], [("Schwarz / 42", False), ("White / 42", True)]),
        ("zh-hans", [("Material", "Steel", True)], [("Black / 42", True), ("White / 42", True)]),
    ],
)
def test_specifications_and_labels_read_the_buyers_language_else_english_flagged(
    language, specs, labels
):
    kettle = make_kettle()
    translate_values(kettle, "de", {"Steel": "Stahl", "Black": "Schwarz", "42": "42"})
    set_attribute_translation(
        attribute=AttributeValue.objects.get(value_en="Steel").attribute,
        language="de",
        name="Werkstoff",
    )

    with translation.override(language):
        product = get_product(public_id=kettle.public_id)
        shown_specs = [
            (value.attribute.name, value.value, value.shown_value.is_original_fallback)
            for value in product.attribute_values.all()
            if value.variant_id is None
        ]
        variants = list(product.variants.order_by("position"))
        attach_variant_labels(variants)
        shown_labels = [
            (variant.label, variant.shown_label.is_original_fallback) for variant in variants
        ]

    assert (shown_specs, shown_labels) == (specs, labels)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_russian_or_english_product_read_touches_no_translation_row(language):
    kettle = make_kettle()
    translate_values(kettle, "de", {"Steel": "Stahl"})

    with translation.override(language), CaptureQueriesContext(connection) as queries:
        product = get_product(public_id=kettle.public_id)
        variants = list(product.variants.all())
        attach_variant_labels(variants)
        shown = [v.value for v in product.attribute_values.all()] + [v.label for v in variants]
        names = [value.attribute.name for value in product.attribute_values.all()]

    assert len(shown) == 7 and len(names) == 5
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    # get_product reads the product's and its categories' name rows, as before; no
    # attribute, value or variant translation table is read.
    assert [
        table
        for table in (
            "catalog_attributetranslation",
            "catalog_attributevaluetranslation",
            "catalog_varianttranslation",
        )
        if table in sql
    ] == []


def test_a_facet_label_is_the_translation_most_sellers_gave_the_value():
    kettles = [make_kettle(name_en=f"Kettle {n}") for n in range(3)]
    translate_values(kettles[0], "de", {"Black": "Schwarz"})
    translate_values(kettles[1], "de", {"Black": "Schwarz"})
    translate_values(kettles[2], "de", {"Black": "Tiefschwarz", "White": "Weiß"})

    with translation.override("de"):
        german = attribute_value_labels(
            keys=[("colour", "black"), ("colour", "white"), ("colour", "red")]
        )
    with translation.override("en"):
        english = attribute_value_labels(keys=[("colour", "black")])

    assert german == {("colour", "black"): "Schwarz", ("colour", "white"): "Weiß"}
    assert english == {}


def test_the_translations_form_groups_a_value_shared_by_variants():
    kettle = make_kettle()
    translate_values(kettle, "zh-hans", {"42": "42码"})

    groups = list_attribute_value_groups(product=kettle)

    assert [(g.attribute.code, g.value_en, len(g.value_ids), g.translations) for g in groups] == [
        ("material", "Steel", 1, {}),
        ("colour", "Black", 1, {}),
        ("size", "42", 2, {"zh-hans": "42码"}),
        ("colour", "White", 1, {}),
    ]


def test_an_operator_rename_announces_catalog_text_after_the_commit(
    django_capture_on_commit_callbacks,
):
    heard: list[CatalogTextChanged] = []
    subscribe(CatalogTextChanged, heard.append)
    category = make_category()
    attribute = ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        set_category_translation(category=category, language="zh-hans", name="家居")
        set_attribute_translation(attribute=attribute, language="de", name="Farbe")
        announced_before_commit = len(heard)
    for callback in callbacks:
        callback()

    assert (announced_before_commit, heard) == (0, [CatalogTextChanged(), CatalogTextChanged()])
