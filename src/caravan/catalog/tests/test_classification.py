import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from tests.factories import make_category, make_product

from caravan.catalog.models import Product, Variant
from caravan.catalog.services import (
    ProductInput,
    VariantInput,
    clean_classification,
    create_product,
    update_product_customs,
    update_variant_measurements,
)
from caravan.kernel.errors import ValidationFailed


@pytest.mark.parametrize(
    ("hs_code", "eaeu_code", "origin", "expected"),
    [
        ("610910", "", "CN", ("610910", "", "CN")),
        ("6109.10", "6109 10 000 0", "cn", ("610910", "6109100000", "CN")),
        ("8518-30", "8518300095", "", ("851830", "8518300095", "")),
        ("", "", "", ("", "", "")),
    ],
)
def test_codes_are_stored_as_digits(hs_code, eaeu_code, origin, expected):
    classification = clean_classification(
        hs_code=hs_code, eaeu_code=eaeu_code, origin_country=origin
    )

    assert (
        classification.hs_code,
        classification.eaeu_code,
        classification.origin_country,
    ) == expected


@pytest.mark.parametrize(
    ("hs_code", "eaeu_code", "origin", "code"),
    [
        ("61091", "", "", "invalid_hs_code"),
        ("6109100", "", "", "invalid_hs_code"),
        ("61O910", "", "", "invalid_hs_code"),
        ("000000", "", "", "invalid_hs_code"),
        ("770000", "", "", "invalid_hs_code"),
        ("980000", "", "", "invalid_hs_code"),
        ("٦١٠٩١٠", "", "", "invalid_hs_code"),  # Arabic-Indic digits are digits, not ASCII
        ("610910", "610910000", "", "invalid_eaeu_code"),
        ("610910", "6110100000", "", "invalid_eaeu_code"),
        ("", "6109100000", "", "invalid_eaeu_code"),
        ("610910", "", "XX", "invalid_origin_country"),
        ("610910", "", "CHN", "invalid_origin_country"),
    ],
)
def test_bad_classification_is_refused_with_its_code(hs_code, eaeu_code, origin, code):
    with pytest.raises(ValidationFailed) as error:
        clean_classification(hs_code=hs_code, eaeu_code=eaeu_code, origin_country=origin)

    assert error.value.code == code


def test_update_product_customs_saves_the_normal_form(db):
    product = make_product()

    update_product_customs(
        product=product, hs_code="6109.10", eaeu_code="6109100000", origin_country="tr"
    )

    product.refresh_from_db()
    assert (product.hs_code, product.eaeu_code, product.origin_country) == (
        "610910",
        "6109100000",
        "TR",
    )


def test_a_bad_customs_update_changes_nothing(db):
    product = make_product()
    update_product_customs(product=product, hs_code="610910", eaeu_code="", origin_country="CN")

    with pytest.raises(ValidationFailed):
        update_product_customs(
            product=product, hs_code="610910", eaeu_code="8518300095", origin_country="CN"
        )

    stored = Product.objects.get(pk=product.pk)
    assert (stored.hs_code, stored.eaeu_code, stored.origin_country) == ("610910", "", "CN")


def test_a_new_product_carries_its_classification_and_measurements(db):
    product = create_product(
        data=ProductInput(
            category=make_category(parent=make_category()),
            name_ru="Футболка",
            name_en="T-shirt",
            hs_code="6109.10",
            origin_country="TR",
            variants=[
                VariantInput(net_weight_grams=180, length_mm=300, width_mm=250, height_mm=20)
            ],
        )
    )

    variant = product.variants.get()
    assert (product.hs_code, product.origin_country) == ("610910", "TR")
    assert (variant.net_weight_grams, variant.length_mm, variant.width_mm, variant.height_mm) == (
        180,
        300,
        250,
        20,
    )


@pytest.mark.parametrize(
    ("weight", "sides", "code"),
    [
        (0, (None, None, None), "invalid_weight"),
        (1_000_001, (None, None, None), "invalid_weight"),
        (100, (10, 10, None), "dimensions_incomplete"),
        (100, (0, 10, 10), "invalid_dimensions"),
        (100, (10, 10_001, 10), "invalid_dimensions"),
    ],
)
def test_bad_measurements_are_refused_and_change_nothing(db, weight, sides, code):
    variant = make_product().variants.get()
    update_variant_measurements(
        variant=variant, net_weight_grams=500, length_mm=100, width_mm=50, height_mm=40
    )

    with pytest.raises(ValidationFailed) as error:
        update_variant_measurements(
            variant=variant,
            net_weight_grams=weight,
            length_mm=sides[0],
            width_mm=sides[1],
            height_mm=sides[2],
        )

    assert error.value.code == code
    stored = Variant.objects.get(pk=variant.pk)
    assert (stored.net_weight_grams, stored.length_mm, stored.width_mm, stored.height_mm) == (
        500,
        100,
        50,
        40,
    )


def test_unknown_measurements_are_allowed(db):
    variant = make_product().variants.get()

    update_variant_measurements(
        variant=variant, net_weight_grams=None, length_mm=None, width_mm=None, height_mm=None
    )

    assert Variant.objects.get(pk=variant.pk).net_weight_grams is None


def test_the_admin_form_checks_the_eaeu_code_against_the_hs_code(db):
    product = make_product()
    product.hs_code, product.eaeu_code = "6109.10", "8518300095"

    with pytest.raises(ValidationError) as error:
        product.full_clean()

    assert "eaeu_code" in error.value.message_dict
    assert product.hs_code == "610910"


def test_the_table_refuses_a_code_that_is_not_six_digits(db):
    product = make_product()

    with pytest.raises(IntegrityError):
        Product.objects.filter(pk=product.pk).update(hs_code="6109")
