from django.contrib import admin

from .models import ShippingMethod


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = (
        "seller",
        "name_en",
        "carrier",
        "price_amount",
        "currency",
        "transit_days_min",
        "transit_days_max",
        "is_active",
    )
    list_filter = ("is_active", "carrier", "currency")
    search_fields = ("seller__name", "name_en", "name_ru", "carrier")
    list_select_related = ("seller",)
