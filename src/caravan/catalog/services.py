"""Catalog writes: products with their variants, attribute values and images."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.events import publish

from .classification import eaeu_code_error, hs_code_error, normalize_code, origin_error
from .events import CatalogTextChanged
from .identifiers import MAX_MPN_LENGTH, brand_mpn_key, is_valid_gtin
from .models import (
    Attribute,
    AttributeTranslation,
    AttributeValue,
    AttributeValueTranslation,
    Category,
    CategoryTranslation,
    Product,
    ProductImage,
    ProductTranslation,
    Variant,
    VariantTranslation,
)
from .renditions import make_renditions
from .translations import CACHE_ATTRIBUTE, COLUMN_LANGUAGES, normalise_attribute_value


@dataclass(frozen=True)
class AttributeInput:
    code: str
    value_ru: str
    value_en: str


@dataclass(frozen=True)
class VariantInput:
    options: Sequence[AttributeInput] = ()
    gtin: str = ""
    # Manufacturer part number: with the product's brand it identifies the variant.
    mpn: str = ""
    net_weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None


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
    hs_code: str = ""
    eaeu_code: str = ""
    origin_country: str = ""


@dataclass(frozen=True)
class CustomsClassification:
    """A product's HS code, EAEU code and origin, each normalised (digits only, upper case)."""

    hs_code: str
    eaeu_code: str
    origin_country: str


def clean_classification(
    *, hs_code: str, eaeu_code: str, origin_country: str
) -> CustomsClassification:
    """The one check of a product's customs classification: every field may be left empty,
    but what is given must be valid, and an EAEU code must extend the HS code."""
    hs_code, eaeu_code = normalize_code(hs_code), normalize_code(eaeu_code)
    origin_country = origin_country.strip().upper()
    if hs_code and (message := hs_code_error(hs_code)):
        raise ValidationFailed(message, code="invalid_hs_code")
    if eaeu_code and (message := eaeu_code_error(eaeu_code, hs_code=hs_code)):
        raise ValidationFailed(message, code="invalid_eaeu_code")
    if origin_country and (message := origin_error(origin_country)):
        raise ValidationFailed(message, code="invalid_origin_country")
    return CustomsClassification(hs_code, eaeu_code, origin_country)


MAX_WEIGHT_GRAMS = 1_000_000
MAX_SIDE_MM = 10_000


def validate_measurements(
    *,
    net_weight_grams: int | None,
    length_mm: int | None,
    width_mm: int | None,
    height_mm: int | None,
) -> None:
    """Weight and dimensions may be unknown, but never zero, negative or absurd, and the
    dimensions come as a set of three."""
    if net_weight_grams is not None and not 0 < net_weight_grams <= MAX_WEIGHT_GRAMS:
        raise ValidationFailed(
            _("The net weight is between 1 g and %(max)s g.") % {"max": MAX_WEIGHT_GRAMS},
            code="invalid_weight",
        )
    sides = [length_mm, width_mm, height_mm]
    if any(side is None for side in sides) and any(side is not None for side in sides):
        raise ValidationFailed(
            _("Give all three dimensions (length, width, height) or none."),
            code="dimensions_incomplete",
        )
    if any(side is not None and not 0 < side <= MAX_SIDE_MM for side in sides):
        raise ValidationFailed(
            _("Each dimension is between 1 mm and %(max)s mm.") % {"max": MAX_SIDE_MM},
            code="invalid_dimensions",
        )


def _attributes_by_code(codes: set[str]) -> dict[str, Attribute]:
    found = {attribute.code: attribute for attribute in Attribute.objects.filter(code__in=codes)}
    unknown = sorted(codes - found.keys())
    if unknown:
        raise ValidationFailed(
            f"Unknown attributes: {', '.join(unknown)}", code="unknown_attribute"
        )
    return found


def validate_identifiers(*, gtin: str, mpn: str) -> None:
    if gtin and not is_valid_gtin(gtin):
        raise ValidationFailed(_("Not a GTIN: %(gtin)s") % {"gtin": gtin}, code="invalid_gtin")
    if len(mpn) > MAX_MPN_LENGTH or any(not character.isprintable() for character in mpn):
        raise ValidationFailed(
            _("A part number has at most %(count)s printable characters")
            % {"count": MAX_MPN_LENGTH},
            code="invalid_mpn",
        )


def _validate(data: ProductInput) -> None:
    if not data.name_ru.strip() or not data.name_en.strip():
        raise ValidationFailed(
            _("A product needs a name in Russian and English"), code="name_required"
        )
    if not data.variants:
        raise ValidationFailed(_("A product needs at least one variant"), code="variant_required")
    for variant in data.variants:
        validate_identifiers(gtin=variant.gtin.strip(), mpn=variant.mpn.strip())
        validate_measurements(
            net_weight_grams=variant.net_weight_grams,
            length_mm=variant.length_mm,
            width_mm=variant.width_mm,
            height_mm=variant.height_mm,
        )


@transaction.atomic
def create_product(
    *, data: ProductInput, images: Sequence[File] = (), is_approved: bool = True
) -> Product:
    """A product with its variants. `is_approved=False` keeps it from buyers until moderation
    approves it (offers.moderation)."""
    _validate(data)
    classification = clean_classification(
        hs_code=data.hs_code, eaeu_code=data.eaeu_code, origin_country=data.origin_country
    )
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
        is_approved=is_approved,
        hs_code=classification.hs_code,
        eaeu_code=classification.eaeu_code,
        origin_country=classification.origin_country,
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
        mpn = variant_data.mpn.strip()
        variant = Variant.objects.create(
            product=product,
            gtin=variant_data.gtin.strip(),
            mpn=mpn,
            brand_mpn_key=brand_mpn_key(brand=product.brand, mpn=mpn),
            position=position,
            label_ru=" / ".join(option.value_ru for option in variant_data.options),
            label_en=" / ".join(option.value_en for option in variant_data.options),
            net_weight_grams=variant_data.net_weight_grams,
            length_mm=variant_data.length_mm,
            width_mm=variant_data.width_mm,
            height_mm=variant_data.height_mm,
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
def update_product_details(
    *,
    product: Product,
    name_ru: str,
    name_en: str,
    brand: str,
    description_ru: str,
    description_en: str,
) -> Product:
    """Names, brand and descriptions; a new brand re-keys the variants' part numbers."""
    if not name_ru.strip() or not name_en.strip():
        raise ValidationFailed(
            _("A product needs a name in Russian and English"), code="name_required"
        )
    product.name_ru = name_ru.strip()
    product.name_en = name_en.strip()
    product.brand = brand.strip()
    product.description_ru = description_ru.strip()
    product.description_en = description_en.strip()
    product.save()
    rekey_variants(product=product)
    return product


@transaction.atomic
def rekey_variants(*, product: Product) -> None:
    """Bring the variants' brand + part number keys in line with the product's brand and
    their part numbers (after any edit of either, the admin's included)."""
    for variant in product.variants.all():
        key = brand_mpn_key(brand=product.brand, mpn=variant.mpn)
        if key != variant.brand_mpn_key:
            variant.brand_mpn_key = key
            variant.save(update_fields=["brand_mpn_key"])


@transaction.atomic
def update_variant_identifiers(*, variant: Variant, gtin: str, mpn: str) -> Variant:
    gtin, mpn = gtin.strip(), mpn.strip()
    validate_identifiers(gtin=gtin, mpn=mpn)
    variant.gtin = gtin
    variant.mpn = mpn
    variant.brand_mpn_key = brand_mpn_key(brand=variant.product.brand, mpn=mpn)
    variant.save(update_fields=["gtin", "mpn", "brand_mpn_key"])
    return variant


@transaction.atomic
def update_product_customs(
    *, product: Product, hs_code: str, eaeu_code: str, origin_country: str
) -> Product:
    """The customs classification of a product; bad input changes nothing."""
    classification = clean_classification(
        hs_code=hs_code, eaeu_code=eaeu_code, origin_country=origin_country
    )
    product.hs_code = classification.hs_code
    product.eaeu_code = classification.eaeu_code
    product.origin_country = classification.origin_country
    product.save(update_fields=["hs_code", "eaeu_code", "origin_country", "updated_at"])
    return product


@transaction.atomic
def update_variant_measurements(
    *,
    variant: Variant,
    net_weight_grams: int | None,
    length_mm: int | None,
    width_mm: int | None,
    height_mm: int | None,
) -> Variant:
    validate_measurements(
        net_weight_grams=net_weight_grams,
        length_mm=length_mm,
        width_mm=width_mm,
        height_mm=height_mm,
    )
    variant.net_weight_grams = net_weight_grams
    variant.length_mm, variant.width_mm, variant.height_mm = length_mm, width_mm, height_mm
    variant.save(update_fields=["net_weight_grams", "length_mm", "width_mm", "height_mm"])
    return variant


@dataclass(frozen=True)
class Measurements:
    net_weight_grams: int | None
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None


@transaction.atomic
def update_customs_details(
    *,
    product: Product,
    hs_code: str,
    eaeu_code: str,
    origin_country: str,
    measurements: Mapping[int, Measurements],
) -> Product:
    """A product's classification and its variants' weights and boxes (by variant id), all
    or nothing: everything is checked before anything is written."""
    classification = clean_classification(
        hs_code=hs_code, eaeu_code=eaeu_code, origin_country=origin_country
    )
    variants = {variant.id: variant for variant in product.variants.all()}
    unknown = set(measurements) - set(variants)
    if unknown:
        raise ValidationFailed(_("Not a variant of this product."), code="variant_unknown")
    for values in measurements.values():
        validate_measurements(**vars(values))
    update_product_customs(
        product=product,
        hs_code=classification.hs_code,
        eaeu_code=classification.eaeu_code,
        origin_country=classification.origin_country,
    )
    for variant_id, values in measurements.items():
        update_variant_measurements(variant=variants[variant_id], **vars(values))
    return product


@transaction.atomic
def set_product_approval(*, product: Product, is_approved: bool) -> Product:
    """Only the moderation workflow calls this; it records who decided and why."""
    product.is_approved = is_approved
    product.save(update_fields=["is_approved", "updated_at"])
    return product


@transaction.atomic
def add_product_image(*, product: Product, image: File) -> ProductImage:
    position = product.images.count()
    product_image = ProductImage(product=product, position=position)
    product_image.image.save(image.name or "image.png", image, save=True)
    make_renditions(str(product_image.image.name))
    if not product.cover_image:
        product.cover_image = str(product_image.image.name)
    # Saved even when the cover stays: a new image changes the product page (its version,
    # catalog.selectors.product_version).
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


@dataclass(frozen=True)
class TranslationInput:
    name: str
    description: str = ""


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            _("Caravan does not show the catalog in %(language)s") % {"language": language[:16]},
            code="language_unsupported",
        )


@transaction.atomic
def set_product_translations(
    *, product: Product, translations: Mapping[str, TranslationInput]
) -> Product:
    """Replace the product's translations in the given languages: a language with a name is
    written, one with an empty name is removed (the buyer then reads the original). A
    description without a name is refused: a buyer would read a foreign name above it.
    Languages not given are left alone. The caller announces the change (ADR 0007)."""
    for language, text in translations.items():
        _check_language(language)
        _refuse_column_language(language)
        if not text.name.strip() and text.description.strip():
            raise ValidationFailed(
                _("A translated description needs a translated name too"),
                code="translation_name_required",
            )
    for language, text in translations.items():
        if not text.name.strip():
            ProductTranslation.objects.filter(product=product, language=language).delete()
            continue
        ProductTranslation.objects.update_or_create(
            product=product,
            language=language,
            defaults={"name": text.name.strip(), "description": text.description.strip()},
        )
    product.save(update_fields=["updated_at"])
    if hasattr(product, CACHE_ATTRIBUTE):
        delattr(product, CACHE_ATTRIBUTE)
    return product


def _refuse_column_language(language: str) -> None:
    if language in COLUMN_LANGUAGES:
        # Russian and English are the rows' own columns; a row would hide them from the
        # readers that skip rows for those languages (catalog.translations.column_or_shown).
        raise ValidationFailed(
            _("Russian and English are edited on the product itself"),
            code="translation_language_is_a_column",
        )


@transaction.atomic
def set_category_translation(*, category: Category, language: str, name: str) -> Category:
    """The operator's name for a category in one language; an empty name removes it. Every
    cached menu and page shows categories, so they are refreshed at once."""
    _check_language(language)
    if name.strip():
        CategoryTranslation.objects.update_or_create(
            category=category, language=language, defaults={"name": name.strip()}
        )
    else:
        CategoryTranslation.objects.filter(category=category, language=language).delete()
    if hasattr(category, CACHE_ATTRIBUTE):
        delattr(category, CACHE_ATTRIBUTE)
    announce_catalog_text_changed()
    return category


@transaction.atomic
def set_attribute_translation(*, attribute: Attribute, language: str, name: str) -> Attribute:
    """The operator's name for an attribute ("Farbe") in one language; empty removes it."""
    _check_language(language)
    _refuse_column_language(language)
    if name.strip():
        AttributeTranslation.objects.update_or_create(
            attribute=attribute, language=language, defaults={"name": name.strip()[:80]}
        )
    else:
        AttributeTranslation.objects.filter(attribute=attribute, language=language).delete()
    if hasattr(attribute, CACHE_ATTRIBUTE):
        delattr(attribute, CACHE_ATTRIBUTE)
    announce_catalog_text_changed()
    return attribute


def announce_catalog_text_changed() -> None:
    """Tell the pages that category or attribute names changed (after the commit: a page
    rendered before it would otherwise be cached with the old names)."""
    transaction.on_commit(lambda: publish(CatalogTextChanged()))


@transaction.atomic
def set_attribute_value_translations(
    *, product: Product, translations: Mapping[str, Mapping[int, str]]
) -> Product:
    """The seller's translations of the product's attribute values, by language and by
    attribute value id (its specifications and its variants' options). An empty text removes
    that translation; a value of another product is refused. The variants' labels in each
    language given are rebuilt (VariantTranslation). The caller announces the change."""
    values = {
        value.id: value
        for value in AttributeValue.objects.filter(product=product).order_by("position", "id")
    }
    for language, texts in translations.items():
        _check_language(language)
        _refuse_column_language(language)
        if any(value_id not in values for value_id in texts):
            raise ValidationFailed(
                _("That attribute value is not this product’s"), code="attribute_value_unknown"
            )
    for language, texts in translations.items():
        for value_id, text in texts.items():
            value = values[value_id]
            if not text.strip():
                AttributeValueTranslation.objects.filter(
                    attribute_value=value, language=language
                ).delete()
                continue
            AttributeValueTranslation.objects.update_or_create(
                attribute_value=value,
                language=language,
                defaults={
                    "value": " ".join(text.split())[:200],
                    "attribute_id": value.attribute_id,
                    "value_key": normalise_attribute_value(value.value_en)[:200],
                },
            )
        _rebuild_variant_labels(product=product, language=language)
    product.save(update_fields=["updated_at"])
    return product


def _rebuild_variant_labels(*, product: Product, language: str) -> None:
    translated = dict(
        AttributeValueTranslation.objects.filter(
            attribute_value__product=product, language=language
        ).values_list("attribute_value_id", "value")
    )
    options: dict[int, list[int]] = {}
    for value_id, variant_id in (
        AttributeValue.objects.filter(product=product, variant__isnull=False)
        .order_by("position", "id")
        .values_list("id", "variant_id")
    ):
        options.setdefault(variant_id, []).append(value_id)
    VariantTranslation.objects.filter(variant__product=product, language=language).delete()
    VariantTranslation.objects.bulk_create(
        VariantTranslation(
            variant_id=variant_id,
            language=language,
            label=" / ".join(translated[value_id] for value_id in value_ids)[:200],
        )
        for variant_id, value_ids in options.items()
        if all(value_id in translated for value_id in value_ids)
    )


@transaction.atomic
def set_original_language(*, product: Product, language: str) -> Product:
    """The language the seller wrote the product in: what buyers without a translation read."""
    _check_language(language)
    if product.original_language != language:
        product.original_language = language
        product.save(update_fields=["original_language", "updated_at"])
    return product
