"""The seller's translations page: one form per language without a column of its own,
scoped to the product's author."""

import pytest
from django.urls import reverse

from caravan.catalog.models import ProductTranslation
from caravan.catalog.services import TranslationInput
from caravan.kernel.errors import NotFound
from caravan.offers.translations import translate_seller_product

from .portal_helpers import owner_of
from .test_product_customs import proposed_product


def translations_post(**fields: str) -> dict[str, str]:
    data = {
        "original_language": "ru",
        "de-name": "",
        "de-description": "",
        "zh-hans-name": "",
        "zh-hans-description": "",
    }
    data.update(fields)
    return data


def test_the_author_saves_german_and_chinese_and_the_original_language(client, market):
    product = proposed_product(market.seller_cn)
    client.force_login(owner_of(market.seller_cn))

    response = client.post(
        reverse("seller_portal:product_translations", args=[product.public_id]),
        translations_post(
            original_language="zh-hans",
            **{
                "de-name": "Thermobecher",
                "de-description": "Hält 6 Stunden warm",
                "zh-hans-name": "保温杯",
            },
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("seller_portal:product_edit", args=[product.public_id])
    product.refresh_from_db()
    assert product.original_language == "zh-hans"
    assert sorted(
        ProductTranslation.objects.filter(product=product).values_list(
            "language", "name", "description"
        )
    ) == [("de", "Thermobecher", "Hält 6 Stunden warm"), ("zh-hans", "保温杯", "")]


def test_the_page_shows_one_form_per_translated_language_with_the_saved_text(client, market):
    product = proposed_product(market.seller_ru)
    translate_seller_product(
        seller=market.seller_ru,
        public_id=product.public_id,
        translations={"de": TranslationInput("Thermobecher")},
    )
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:product_translations", args=[product.public_id]))

    body = response.content.decode()
    assert [form.language for form in response.context["forms"]] == ["de", "zh-hans"]
    assert 'value="Thermobecher"' in body
    assert 'lang="zh-hans"' in body
    edit = client.get(reverse("seller_portal:product_edit", args=[product.public_id]))
    assert "Translated into: German" in edit.content.decode()


def test_a_description_without_a_name_shows_the_error_and_saves_nothing(client, market):
    product = proposed_product(market.seller_ru)
    client.force_login(owner_of(market.seller_ru))

    response = client.post(
        reverse("seller_portal:product_translations", args=[product.public_id]),
        translations_post(**{"de-description": "Hält warm"}),
    )

    assert response.status_code == 200
    assert "A translated description needs a translated name too" in response.content.decode()
    assert not ProductTranslation.objects.filter(product=product).exists()


def test_another_sellers_product_is_not_found_on_the_page(client, market):
    product = proposed_product(market.seller_ru)
    client.force_login(owner_of(market.seller_cn))

    response = client.post(
        reverse("seller_portal:product_translations", args=[product.public_id]),
        translations_post(**{"de-name": "Gekapert"}),
    )

    assert response.status_code == 404
    assert not ProductTranslation.objects.filter(product=product).exists()


def test_the_service_refuses_another_sellers_product(market):
    product = proposed_product(market.seller_ru)

    with pytest.raises(NotFound):
        translate_seller_product(
            seller=market.seller_cn,
            public_id=product.public_id,
            translations={"de": TranslationInput("Gekapert")},
        )

    assert not ProductTranslation.objects.filter(product=product).exists()


def value_field(product, language: str, value_en: str) -> str:
    """The form field of the product's value (the first row holding it)."""
    from caravan.catalog.models import AttributeValue

    first = AttributeValue.objects.filter(product=product, value_en=value_en).order_by("id")[0]
    return f"{language}-value_{first.id}"


def test_the_author_translates_the_options_and_the_variant_labels_follow(client, market):
    from caravan.catalog.models import AttributeValueTranslation, VariantTranslation

    product = proposed_product(market.seller_cn)
    client.force_login(owner_of(market.seller_cn))

    response = client.post(
        reverse("seller_portal:product_translations", args=[product.public_id]),
        translations_post(
            **{
                value_field(product, "de", "Red"): "Rot",
                value_field(product, "de", "Blue"): "Blau",
                value_field(product, "zh-hans", "Red"): "红色",
            }
        ),
    )

    assert response.status_code == 302
    assert sorted(
        AttributeValueTranslation.objects.filter(attribute_value__product=product).values_list(
            "language", "value"
        )
    ) == [("de", "Blau"), ("de", "Rot"), ("zh-hans", "红色")]
    assert sorted(
        VariantTranslation.objects.filter(variant__product=product).values_list("language", "label")
    ) == [("de", "Blau"), ("de", "Rot"), ("zh-hans", "红色")]


def test_the_page_shows_one_box_per_value_labelled_with_the_original(client, market):
    product = proposed_product(market.seller_ru)
    client.force_login(owner_of(market.seller_ru))
    client.cookies["django_language"] = "en"

    response = client.get(reverse("seller_portal:product_translations", args=[product.public_id]))

    body = response.content.decode()
    assert [field.label for field in response.context["forms"][0].value_fields()] == [
        "Colour: Красный / Red",
        "Colour: Синий / Blue",
    ]
    assert f'name="{value_field(product, "de", "Red")}"' in body


def test_another_seller_cannot_translate_the_values_of_a_product(client, market):
    from caravan.catalog.models import AttributeValueTranslation

    product = proposed_product(market.seller_ru)
    client.force_login(owner_of(market.seller_cn))

    response = client.post(
        reverse("seller_portal:product_translations", args=[product.public_id]),
        translations_post(**{value_field(product, "de", "Red"): "Gekapert"}),
    )

    assert response.status_code == 404
    assert not AttributeValueTranslation.objects.exists()


def test_the_author_cannot_reach_another_products_values_through_their_own(market):
    from caravan.catalog.models import AttributeValue, AttributeValueTranslation
    from caravan.kernel.errors import ValidationFailed

    own = proposed_product(market.seller_cn)
    foreign = proposed_product(market.seller_ru)
    foreign_value = AttributeValue.objects.filter(product=foreign).order_by("id")[0]

    with pytest.raises(ValidationFailed) as error:
        translate_seller_product(
            seller=market.seller_cn,
            public_id=own.public_id,
            translations={},
            value_translations={"de": {foreign_value.id: "Gekapert"}},
        )

    assert error.value.code == "attribute_value_unknown"
    assert not AttributeValueTranslation.objects.exists()
