import pytest
from tests.factories import make_category

from caravan.catalog.identifiers import brand_mpn_key, gtin_forms, is_valid_gtin, normalise_code
from caravan.catalog.models import Product, Variant
from caravan.catalog.selectors import find_variants_by_brand_mpn, find_variants_by_gtin
from caravan.catalog.services import (
    ProductInput,
    VariantInput,
    create_product,
    update_product_details,
)
from caravan.kernel.errors import ValidationFailed


@pytest.mark.parametrize(
    "gtin", ["4006381333931", "04006381333931", "96385074", "036000291452", "4601234567893"]
)
def test_valid_gtins(gtin):
    assert is_valid_gtin(gtin) is True


@pytest.mark.parametrize(
    "gtin",
    ["4006381333932", "400638133393", "40063813339311", "400638133393a", "", "٤٠٠٦٣٨١٣٣٣٩٣١"],
    ids=["check digit", "11 digits", "15 digits", "letter", "empty", "arabic digits"],
)
def test_invalid_gtins(gtin):
    assert is_valid_gtin(gtin) is False


def test_a_gtin_s_forms_are_its_zero_paddings():
    assert gtin_forms("4006381333931") == ["4006381333931", "04006381333931"]
    assert gtin_forms("00096385074") == [
        "96385074",
        "000096385074",
        "0000096385074",
        "00000096385074",
    ]


def test_codes_ignore_case_width_spaces_and_punctuation():
    assert normalise_code(" WH-1000XM4/B ") == normalise_code("wh 1000 ｘｍ４ b") == "wh1000xm4b"
    assert brand_mpn_key(brand="Sony", mpn="WH-1000XM4") == "sony:wh1000xm4"
    assert brand_mpn_key(brand="", mpn="WH-1000XM4") == ""
    assert brand_mpn_key(brand="Sony", mpn=" - ") == ""


@pytest.fixture
def leaf(db):
    return make_category(parent=make_category())


def test_a_product_keys_its_variants_by_brand_and_part_number(leaf):
    product = create_product(
        data=ProductInput(
            category=leaf,
            name_ru="Наушники",
            name_en="Headphones",
            brand="Sony",
            variants=[VariantInput(mpn=" WH-1000XM4 ", gtin="4006381333931")],
        ),
        is_approved=False,
    )

    variant = product.variants.get()
    assert (variant.mpn, variant.brand_mpn_key, product.is_approved) == (
        "WH-1000XM4",
        "sony:wh1000xm4",
        False,
    )
    assert list(find_variants_by_brand_mpn(brand="SONY", mpn="wh1000xm4")) == [variant]
    assert list(find_variants_by_gtin(gtin="04006381333931")) == [variant]


def test_a_new_brand_re_keys_the_variants(leaf):
    product = create_product(
        data=ProductInput(
            category=leaf,
            name_ru="Наушники",
            name_en="Headphones",
            brand="Sony",
            variants=[VariantInput(mpn="WH-1000XM4")],
        )
    )

    update_product_details(
        product=product,
        name_ru="Наушники",
        name_en="Headphones",
        brand="Sony Group",
        description_ru="",
        description_en="",
    )

    assert Variant.objects.get(product=product).brand_mpn_key == "sonygroup:wh1000xm4"


@pytest.mark.parametrize(
    ("variant", "code"),
    [
        (VariantInput(gtin="4006381333932"), "invalid_gtin"),
        (VariantInput(mpn="x" * 65), "invalid_mpn"),
        (VariantInput(mpn="AB\x00C"), "invalid_mpn"),
    ],
)
def test_bad_identifiers_are_refused(leaf, variant, code):
    with pytest.raises(ValidationFailed) as error:
        create_product(
            data=ProductInput(category=leaf, name_ru="Т", name_en="T", variants=[variant])
        )

    assert error.value.code == code
    assert Product.objects.count() == 0
