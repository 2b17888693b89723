"""Catalog writes: products with their variants, attribute values and images."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.base import File
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caravan.kernel.errors import ValidationFailed

from .models import Attribute, AttributeValue, Category, Product, ProductImage, Variant


@dataclass(frozen=True)
class AttributeInput:
    code: str
    value_ru: str
    value_en: str


@dataclass(frozen=True)
class VariantInput:
    options: Sequence[AttributeInput] = ()
    gtin: str = ""


@dataclass(frozen=True)
class ProductInput:
    category: Category
    name_ru: str
    name_en: str
    brand: str = ""
    description_ru: str = ""
    description_en: str = ""
    specs: Sequence[AttributeInput] = ()
    variants: Sequence[VariantInput] = field(default_factory=lambda: [VariantInput()])


def _attributes_by_code(codes: set[str]) -> dict[str, Attribute]:
    found = {attribute.code: attribute for attribute in Attribute.objects.filter(code__in=codes)}
    unknown = sorted(codes - found.keys())
    if unknown:
        raise ValidationFailed(
            f"Unknown attributes: {', '.join(unknown)}", code="unknown_attribute"
        )
    return found


def _validate(data: ProductInput) -> None:
    if not data.name_ru.strip() or not data.name_en.strip():
        raise ValidationFailed(
            _("A product needs a name in Russian and English"), code="name_required"
        )
    if not data.variants:
        raise ValidationFailed(_("A product needs at least one variant"), code="variant_required")
    for variant in data.variants:
        if variant.gtin and (
            not variant.gtin.isdigit() or len(variant.gtin) not in (8, 12, 13, 14)
        ):
            raise ValidationFailed(
                _("Not a GTIN: %(gtin)s") % {"gtin": variant.gtin}, code="invalid_gtin"
            )


@transaction.atomic
def create_product(*, data: ProductInput, images: Sequence[File] = ()) -> Product:
    _validate(data)
    codes = {spec.code for spec in data.specs} | {
        option.code for variant in data.variants for option in variant.options
    }
    attributes = _attributes_by_code(codes)
    product = Product.objects.create(
        category=data.category,
        slug=slugify(data.name_en)[:140] or "product",
        brand=data.brand.strip(),
        name_ru=data.name_ru.strip(),
        name_en=data.name_en.strip(),
        description_ru=data.description_ru.strip(),
        description_en=data.description_en.strip(),
    )
    values = [
        AttributeValue(
            product=product,
            attribute=attributes[spec.code],
            value_ru=spec.value_ru,
            value_en=spec.value_en,
            position=position,
        )
        for position, spec in enumerate(data.specs)
    ]
    for position, variant_data in enumerate(data.variants):
        variant = Variant.objects.create(
            product=product,
            gtin=variant_data.gtin,
            position=position,
            label_ru=" / ".join(option.value_ru for option in variant_data.options),
            label_en=" / ".join(option.value_en for option in variant_data.options),
        )
        values.extend(
            AttributeValue(
                product=product,
                variant=variant,
                attribute=attributes[option.code],
                value_ru=option.value_ru,
                value_en=option.value_en,
                position=index,
            )
            for index, option in enumerate(variant_data.options)
        )
    AttributeValue.objects.bulk_create(values)
    for image in images:
        add_product_image(product=product, image=image)
    return product


@transaction.atomic
def add_product_image(*, product: Product, image: File) -> ProductImage:
    position = product.images.count()
    product_image = ProductImage(product=product, position=position)
    product_image.image.save(image.name or "image.png", image, save=True)
    if not product.cover_image:
        product.cover_image = str(product_image.image.name)
        product.save(update_fields=["cover_image", "updated_at"])
    return product_image


def ensure_attribute(*, code: str, name_ru: str, name_en: str) -> Attribute:
    attribute, _created = Attribute.objects.get_or_create(
        code=code, defaults={"name_ru": name_ru, "name_en": name_en}
    )
    return attribute


@transaction.atomic
def ensure_category(
    *,
    slug: str,
    name_ru: str,
    name_en: str,
    parent: Category | None = None,
    position: int = 0,
) -> Category:
    """The category with this slug, created if missing; the tree has two levels at most."""
    if parent is not None and parent.parent_id is not None:
        raise ValidationFailed(
            _("Categories nest two levels deep at most"), code="category_too_deep"
        )
    category, _created = Category.objects.get_or_create(
        slug=slug,
        defaults={"name_ru": name_ru, "name_en": name_en, "parent": parent, "position": position},
    )
    return category
