from django.contrib import admin

from .models import Attribute, AttributeValue, Category, Product, ProductImage, Variant


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ru", "parent", "slug", "position")
    list_filter = ("parent",)
    search_fields = ("name_en", "name_ru", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru")
    search_fields = ("code", "name_en", "name_ru")


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


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_ru", "brand", "category", "is_active", "created_at")
    list_filter = ("is_active", "category__parent", "category")
    search_fields = ("name_en", "name_ru", "brand", "public_id", "variants__gtin")
    readonly_fields = ("public_id", "cover_image", "created_at", "updated_at")
    list_select_related = ("category",)
    inlines = [VariantInline, AttributeValueInline, ProductImageInline]
    date_hierarchy = "created_at"


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ("product", "label_en", "gtin", "public_id")
    search_fields = ("product__name_en", "product__name_ru", "gtin", "public_id")
    raw_id_fields = ("product",)
    list_select_related = ("product",)


@admin.register(AttributeValue)
class AttributeValueAdmin(admin.ModelAdmin):
    list_display = ("product", "variant", "attribute", "value_en", "value_ru")
    list_filter = ("attribute",)
    search_fields = ("product__name_en", "value_en", "value_ru")
    raw_id_fields = ("product", "variant")


@admin.register(ProductImage)
class ProductImageAdmin(admin.ModelAdmin):
    list_display = ("product", "image", "position")
    search_fields = ("product__name_en", "product__name_ru", "image")
    raw_id_fields = ("product",)
    list_select_related = ("product",)
