"""The shared catalog: what is sold, independent of who sells it (no seller data here)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.ids import public_id

from . import translations as catalog_text
from .classification import (
    eaeu_code_error,
    normalize_code,
    validate_eaeu_code_format,
    validate_hs_code,
)


class Category(models.Model):
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(unique=True)
    name_ru = models.CharField(_("name (ru)"), max_length=120)
    name_en = models.CharField(_("name (en)"), max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        """In the buyer's language (catalog.translations); the operator names a category in
        English first, so that is the fallback."""
        return catalog_text.shown_text(self, "name").text

    def load_translations(self) -> dict[str, dict[str, str]]:
        return {t.language: {"name": t.name} for t in self.translations.all()}


class Attribute(models.Model):
    code = models.SlugField(unique=True)
    name_ru = models.CharField(_("name (ru)"), max_length=80)
    name_en = models.CharField(_("name (en)"), max_length=80)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        """In the buyer's language: the operator's translation (AttributeTranslation), else
        English. Russian and English pages read the columns only."""
        return self.shown_name.text

    @property
    def shown_name(self) -> catalog_text.Shown:
        return catalog_text.column_or_shown(self, "name")

    def load_translations(self) -> dict[str, dict[str, str]]:
        return {t.language: {"name": t.name} for t in self.translations.all()}


class Product(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    slug = models.SlugField(max_length=140)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    name_ru = models.CharField(_("name (ru)"), max_length=200)
    name_en = models.CharField(_("name (en)"), max_length=200)
    description_ru = models.TextField(_("description (ru)"), blank=True)
    description_en = models.TextField(_("description (en)"), blank=True)
    # The language the seller wrote the product in (one of settings.LANGUAGES): a buyer whose
    # language has no translation reads this one, with a note saying so.
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    # The first image's file, kept here so listings need no join to images.
    cover_image = models.CharField(max_length=255, blank=True, editable=False)
    is_active = models.BooleanField(_("visible"), default=True)
    # Set by moderation (offers.moderation owns the workflow and its audit trail): a product a
    # seller proposed stays out of buyers' sight until an operator approves it.
    is_approved = models.BooleanField(_("approved"), default=True, db_index=True)
    # Customs classification (catalog.classification), digits only; empty until the seller
    # gives it. A cross-border parcel needs the HS code and the origin for its declaration
    # and its duties (caravan.customs).
    hs_code = models.CharField(
        _("HS code"), max_length=6, blank=True, validators=[validate_hs_code]
    )
    eaeu_code = models.CharField(
        _("EAEU (TN VED) code"), max_length=10, blank=True, validators=[validate_eaeu_code_format]
    )
    origin_country = models.CharField(
        _("country of origin"), max_length=2, blank=True, choices=COUNTRY_CHOICES
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hs_code="") | models.Q(hs_code__regex=r"^[0-9]{6}$"),
                name="catalog_product_hs_code_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(eaeu_code="")
                | (models.Q(eaeu_code__regex=r"^[0-9]{10}$") & ~models.Q(hs_code="")),
                name="catalog_product_eaeu_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return self.shown_name.text

    @property
    def shown_name(self) -> catalog_text.Shown:
        """The name in the buyer's language, or the seller's original with a flag to say so."""
        return catalog_text.shown_text(self, "name", original_language=self.original_language)

    @property
    def description(self) -> str:
        return self.shown_description.text

    @property
    def shown_description(self) -> catalog_text.Shown:
        return catalog_text.shown_text(
            self, "description", original_language=self.original_language
        )

    def load_translations(self) -> dict[str, dict[str, str]]:
        return {
            t.language: {"name": t.name, "description": t.description}
            for t in self.translations.all()
        }

    def clean(self) -> None:
        # The admin types codes with dots; the table keeps digits only.
        self.hs_code = normalize_code(self.hs_code)
        self.eaeu_code = normalize_code(self.eaeu_code)
        if self.eaeu_code and (message := eaeu_code_error(self.eaeu_code, hs_code=self.hs_code)):
            raise ValidationError({"eaeu_code": message})

    @property
    def is_visible(self) -> bool:
        """Whether buyers may see it: approved by moderation and not hidden by the operator."""
        return self.is_active and self.is_approved


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="products/%Y/%m/")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(self.image.name)


class Variant(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    gtin = models.CharField(_("GTIN / EAN"), max_length=14, blank=True, db_index=True)
    mpn = models.CharField(_("manufacturer part number"), max_length=64, blank=True, db_index=True)
    # The product's brand and this part number in normal form (catalog.identifiers), kept
    # current by the catalog services so duplicates are found with one indexed lookup.
    brand_mpn_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    # "Red / 42": the option values joined, kept so carts and orders need no join.
    label_ru = models.CharField(max_length=200, blank=True, editable=False)
    label_en = models.CharField(max_length=200, blank=True, editable=False)
    # Per variant, not per product: a size or a pack changes them. Net weight goes on the
    # customs declaration and into weight thresholds; the dimensions are for shipping's
    # volumetric weight. Empty until the seller gives them.
    net_weight_grams = models.PositiveIntegerField(_("net weight, g"), null=True, blank=True)
    length_mm = models.PositiveIntegerField(_("length, mm"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width, mm"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("height, mm"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(net_weight_grams__isnull=True)
                | models.Q(net_weight_grams__gt=0),
                name="catalog_variant_weight_positive",
            ),
            # All three dimensions or none: a box with one side is no box.
            models.CheckConstraint(
                condition=models.Q(
                    length_mm__isnull=True, width_mm__isnull=True, height_mm__isnull=True
                )
                | models.Q(length_mm__gt=0, width_mm__gt=0, height_mm__gt=0),
                name="catalog_variant_dimensions_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name_en} {self.label_en}".strip()

    @property
    def label(self) -> str:
        return self.shown_label.text

    @property
    def shown_label(self) -> catalog_text.Shown:
        """ "Schwarz / 42" for a German buyer when the seller translated every option value
        (VariantTranslation, kept by catalog.services), else the English label, flagged."""
        return catalog_text.column_or_shown(
            self, "label", original_language=_original_language(self, Variant.product)
        )

    def load_translations(self) -> dict[str, dict[str, str]]:
        return {t.language: {"label": t.label} for t in self.translations.all()}


class AttributeValue(models.Model):
    """A product's specification (variant empty) or a variant's option (variant set)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="attribute_values")
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.CASCADE, related_name="options"
    )
    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="values")
    value_ru = models.CharField(_("value (ru)"), max_length=200)
    value_en = models.CharField(_("value (en)"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.attribute.code}={self.value_en}"

    @property
    def value(self) -> str:
        return self.shown_value.text

    @property
    def shown_value(self) -> catalog_text.Shown:
        """The seller's translation in the buyer's language, else English, flagged."""
        return catalog_text.column_or_shown(
            self, "value", original_language=_original_language(self, AttributeValue.product)
        )

    def load_translations(self) -> dict[str, dict[str, str]]:
        return {t.language: {"value": t.value} for t in self.translations.all()}


def _original_language(row: models.Model, to_product: object) -> str:
    """The language of the row's product, when the product is loaded already (it only picks
    the note's wording; no query for it)."""
    if to_product.is_cached(row):  # type: ignore[attr-defined]
        return str(row.product.original_language)  # type: ignore[attr-defined]
    return ""


class ProductTranslation(models.Model):
    """A product's name and description in one language, written by its seller
    (offers.translations). Russian and English also live in the product's columns; a row
    here wins over them (catalog.translations)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product translation")
        verbose_name_plural = _("product translations")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "language"], name="catalog_product_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.name}"


class CategoryTranslation(models.Model):
    """A category's name in one language, kept by the operator (admin)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("category translation")
        verbose_name_plural = _("category translations")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "language"], name="catalog_category_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.name}"


class AttributeTranslation(models.Model):
    """An attribute's name ("Farbe", "颜色") in one language, kept by the operator (admin):
    attributes are shared by every seller's products."""

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("attribute translation")
        verbose_name_plural = _("attribute translations")
        constraints = [
            models.UniqueConstraint(
                fields=["attribute", "language"], name="catalog_attribute_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.name}"


class AttributeValueTranslation(models.Model):
    """A product's or variant's attribute value in one language, written by the product's
    seller (offers.translations). `value_key` is the value's facet form
    (normalise_attribute_value of the English value), so a listing's facet labels find their
    translation by it without touching the values themselves."""

    attribute_value = models.ForeignKey(
        AttributeValue, on_delete=models.CASCADE, related_name="translations"
    )
    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    value = models.CharField(_("value"), max_length=200)
    value_key = models.CharField(max_length=200, editable=False)

    class Meta:
        verbose_name = _("attribute value translation")
        verbose_name_plural = _("attribute value translations")
        constraints = [
            models.UniqueConstraint(
                fields=["attribute_value", "language"],
                name="catalog_attribute_value_translation_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "attribute", "value_key"],
                name="catalog_value_translation_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.value}"


class VariantTranslation(models.Model):
    """A variant's label in one language, its option values' translations joined as
    `label_ru` joins the Russian ones. Written only by catalog.services (never by hand) and
    only when every option of the variant has a translation in that language: a half-German
    label would hide that the rest is untranslated."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    label = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("variant translation")
        verbose_name_plural = _("variant translations")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "language"], name="catalog_variant_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.label}"
