from django.contrib import admin

from .models import Offer, ProductOfferSummary, ProductProposal


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = (
        "product",
        "variant",
        "seller",
        "price_amount",
        "currency",
        "stock_quantity",
        "ships_from",
        "handling_days",
        "is_active",
        "updated_at",
    )
    list_filter = ("is_active", "currency", "ships_from", "seller")
    search_fields = (
        "public_id",
        "seller_sku",
        "product__name_en",
        "product__name_ru",
        "seller__name",
    )
    raw_id_fields = ("variant", "product", "seller")
    list_select_related = ("product", "variant", "seller")
    readonly_fields = ("public_id", "reference_price_amount", "created_at", "updated_at")


@admin.register(ProductOfferSummary)
class ProductOfferSummaryAdmin(admin.ModelAdmin):
    list_display = ("product", "best_offer", "offer_count", "seller_count", "is_buyable")
    list_filter = ("is_buyable",)
    search_fields = ("product__name_en", "product__name_ru")
    raw_id_fields = ("product", "best_offer")
    list_select_related = ("product", "best_offer")


@admin.register(ProductProposal)
class ProductProposalAdmin(admin.ModelAdmin):
    list_display = ("product", "seller", "status", "created_at")
    list_filter = ("status", "seller")
    search_fields = ("product__name_en", "product__name_ru", "seller__name")
    raw_id_fields = ("product", "seller")
    list_select_related = ("product", "seller")
