import io

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image
from tests.factories import make_category, make_product

from caravan.catalog.models import AttributeValue, Product, Variant
from caravan.catalog.selectors import (
    category_with_descendant_ids,
    get_product,
    list_category_tree,
)
from caravan.catalog.services import (
    AttributeInput,
    ProductInput,
    VariantInput,
    add_product_image,
    create_product,
    ensure_attribute,
)
from caravan.kernel.errors import NotFound, ValidationFailed


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


@pytest.fixture
def leaf(db):
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    ensure_attribute(code="size", name_ru="Размер", name_en="Size")
    return make_category(slug="sneakers", parent=make_category(slug="shoes"))


def sneaker(leaf, **changes):
    fields = {
        "category": leaf,
        "name_ru": " Кроссовки ",
        "name_en": "Running Sneakers",
        "brand": "Acme ",
        "specs": [AttributeInput("colour", "Белый", "White")],
        "variants": [
            VariantInput(options=[AttributeInput("size", "42", "42")], gtin="4006381333931"),
            VariantInput(options=[AttributeInput("size", "43", "43")]),
        ],
    }
    fields.update(changes)
    return ProductInput(**fields)


def test_a_product_with_variants_attributes_and_an_image(leaf):
    product = create_product(data=sneaker(leaf), images=[png()])

    assert (product.name_ru, product.name_en, product.brand, product.slug) == (
        "Кроссовки",
        "Running Sneakers",
        "Acme",
        "running-sneakers",
    )
    assert list(product.variants.values_list("label_en", "gtin")) == [
        ("42", "4006381333931"),
        ("43", ""),
    ]
    assert list(
        AttributeValue.objects.filter(product=product, variant=None).values_list(
            "attribute__code", "value_ru", "value_en"
        )
    ) == [("colour", "Белый", "White")]
    assert product.images.count() == 1
    assert product.cover_image == product.images.get().image.name
    assert product.cover_image.startswith("products/")


def test_the_cover_stays_the_first_image(leaf):
    product = create_product(data=sneaker(leaf), images=[png("first.png")])
    cover = product.cover_image

    second = add_product_image(product=product, image=png("second.png"))

    product.refresh_from_db()
    assert product.cover_image == cover
    assert second.position == 1


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name_ru": "  "}, "name_required"),
        ({"variants": []}, "variant_required"),
        ({"variants": [VariantInput(gtin="12AB")]}, "invalid_gtin"),
        ({"variants": [VariantInput(gtin="123")]}, "invalid_gtin"),
        ({"specs": [AttributeInput("material", "Кожа", "Leather")]}, "unknown_attribute"),
    ],
)
def test_an_invalid_product_is_refused_and_nothing_is_written(leaf, changes, code):
    with pytest.raises(ValidationFailed) as caught:
        create_product(data=sneaker(leaf, **changes))

    assert caught.value.code == code
    assert (Product.objects.count(), Variant.objects.count(), AttributeValue.objects.count()) == (
        0,
        0,
        0,
    )


def test_names_follow_the_active_language(leaf):
    product = create_product(data=sneaker(leaf))

    with translation.override("ru"):
        assert (product.name, leaf.name) == ("Кроссовки", leaf.name_ru)
    with translation.override("en"):
        assert (product.name, leaf.name) == ("Running Sneakers", leaf.name_en)


def test_ensure_attribute_keeps_the_first_names(db):
    first = ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")

    again = ensure_attribute(code="colour", name_ru="Другое", name_en="Other")

    assert again == first
    assert again.name_en == "Colour"


def test_the_category_tree_has_two_levels(db):
    shoes = make_category(slug="a-shoes")
    sneakers = make_category(slug="a-sneakers", parent=shoes)
    boots = make_category(slug="b-boots", parent=shoes)
    garden = make_category(slug="c-garden")

    tree = list_category_tree()

    assert [(node.category, node.children) for node in tree] == [
        (shoes, [sneakers, boots]),
        (garden, []),
    ]
    assert category_with_descendant_ids(category=shoes) == [shoes.id, sneakers.id, boots.id]


def test_a_hidden_product_is_not_found_on_the_storefront(db):
    product = make_product()
    Product.objects.filter(id=product.id).update(is_active=False)

    with pytest.raises(NotFound):
        get_product(public_id=product.public_id)
    assert get_product(public_id=product.public_id, visible_only=False) == product
