from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from caravan.kernel.admin_edits import AnnouncesEdits

from .edits import announce_category_renamed, announce_products_edited
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
from .services import announce_catalog_text_changed, rekey_variants


class _AnnouncesCatalogText(AnnouncesEdits):
    """Category and attribute names (and their inline translations) show on every cached
    page's menu, breadcrumbs and filters: a save or delete, one or many, refreshes those
    pages at once, not after their TTL (storefront.page_cache, ADR 0016)."""

    def edited(self, obj: Any) -> list[int]:
        """The categories whose names the edit may have changed (search documents hold
        them); none for an attribute."""
        return []

    def announce(self, touched: Sequence[int]) -> None:
        announce_catalog_text_changed()
        announce_category_renamed(category_ids=touched)


class CategoryTranslationInline(admin.TabularInline):
    """The operator names a category in German and Chinese here (Russian and English are
    its own columns); one row per language, the table's constraint says so."""

    model = CategoryTranslation
    extra = 0


@admin.register(Category)
class CategoryAdmin(_AnnouncesCatalogText):
    list_display = ("name_en", "name_ru", "parent", "slug", "position")
    list_filter = ("parent",)
    search_fields = ("name_en", "name_ru", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = (CategoryTranslationInline,)

    def edited(self, obj: Any) -> list[int]:
        return [obj.id]


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Seen here, written elsewhere: a seller's product translation goes through the portal's
    service, which announces the change so cached cards and pages refresh (ADR 0016); an
    admin edit would skip that."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProductTranslation)
class ProductTranslationAdmin(_ReadOnlyAdmin):
    list_display = ("product", "language", "name", "updated_at")
    list_filter = ("language",)
    search_fields = ("name", "product__name_en", "product__name_ru")
    list_select_related = ("product",)


@admin.register(CategoryTranslation)
class CategoryTranslationAdmin(_AnnouncesCatalogText):
    """The list of every category's German and Chinese names; they are edited inline on the
    category."""

    list_display = ("category", "language", "name")
    list_filter = ("language",)
    search_fields = ("name", "category__name_en", "category__name_ru")
    list_select_related = ("category",)

    def edited(self, obj: Any) -> list[int]:
        return [obj.category_id]


class AttributeTranslationInline(admin.TabularInline):
    """The operator names a shared attribute ("Farbe", "颜色") per language here; the values
    are each seller's own text, translated on the seller portal's Translations page."""

    model = AttributeTranslation
    extra = 0


@admin.register(Attribute)
class AttributeAdmin(_AnnouncesCatalogText):
    list_display = ("code", "name_en", "name_ru")
    search_fields = ("code", "name_en", "name_ru")
    inlines = (AttributeTranslationInline,)


@admin.register(AttributeTranslation)
class AttributeTranslationAdmin(_AnnouncesCatalogText):
    """Every attribute's German and Chinese names; edited inline on the attribute."""

    list_display = ("attribute", "language", "name")
    list_filter = ("language",)
    search_fields = ("name", "attribute__code", "attribute__name_en")
    list_select_related = ("attribute",)


@admin.register(VariantTranslation)
class VariantTranslationAdmin(_ReadOnlyAdmin):
    """Built from the option values' translations by catalog.services, never by hand."""

    list_display = ("variant", "language", "label")
    list_filter = ("language",)
    search_fields = ("label", "variant__label_en")
    list_select_related = ("variant", "variant__product")


@admin.register(AttributeValueTranslation)
class AttributeValueTranslationAdmin(_ReadOnlyAdmin):
    list_display = ("attribute_value", "language", "value")
    list_filter = ("language",)
    search_fields = ("value", "value_key")
    list_select_related = ("attribute_value", "attribute_value__attribute")


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    readonly_fields = ("public_id", "label_en", "label_ru")


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    extra = 0
    raw_id_fields = ("variant",)


class _AnnouncesProductEdits(AnnouncesEdits):
    """Without this, a product the operator hid or renamed here stayed in the listings and
    its page kept the old entry (ADR 0007, ADR 0021)."""

    def edited(self, obj: Any) -> list[int]:
        return [obj.product_id]

    def announce(self, touched: Sequence[int]) -> None:
        announce_products_edited(product_ids=touched)


@admin.register(Product)
class ProductAdmin(_AnnouncesProductEdits):
    list_display = (
        "name_en",
        "name_ru",
        "brand",
        "category",
        "hs_code",
        "origin_country",
        "is_active",
        "is_approved",
        "created_at",
    )
    list_filter = ("is_active", "is_approved", "origin_country", "category__parent", "category")
    search_fields = (
        "name_en",
        "name_ru",
        "brand",
        "public_id",
        "hs_code",
        "eaeu_code",
        "variants__gtin",
        "variants__mpn",
    )
    # Approval belongs to the moderation queue, which keeps the audit trail.
    readonly_fields = ("public_id", "cover_image", "is_approved", "created_at", "updated_at")
    list_select_related = ("category",)
    inlines = [VariantInline, AttributeValueInline, ProductImageInline]
    date_hierarchy = "created_at"

    def edited(self, obj: Any) -> list[int]:
        return [obj.id]

    def saved(self, obj: Any) -> None:
        rekey_variants(product=obj)


@admin.register(Variant)
class VariantAdmin(_AnnouncesProductEdits):
    list_display = ("product", "label_en", "gtin", "mpn", "net_weight_grams", "public_id")
    search_fields = ("product__name_en", "product__name_ru", "gtin", "mpn", "public_id")
    raw_id_fields = ("product",)
    list_select_related = ("product",)

    def save_model(self, request: HttpRequest, obj: Variant, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        rekey_variants(product=obj.product)


@admin.register(AttributeValue)
class AttributeValueAdmin(_AnnouncesProductEdits):
    list_display = ("product", "variant", "attribute", "value_en", "value_ru")
    list_filter = ("attribute",)
    search_fields = ("product__name_en", "value_en", "value_ru")
    raw_id_fields = ("product", "variant")


@admin.register(ProductImage)
class ProductImageAdmin(_AnnouncesProductEdits):
    list_display = ("product", "image", "position")
    search_fields = ("product__name_en", "product__name_ru", "image")
    raw_id_fields = ("product",)
    list_select_related = ("product",)
