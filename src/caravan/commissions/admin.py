from django.contrib import admin

from .models import CommissionRule


@admin.register(CommissionRule)
class CommissionRuleAdmin(admin.ModelAdmin):
    list_display = (
        "category",
        "seller",
        "percent",
        "minimum_fee_amount",
        "minimum_fee_currency",
        "is_active",
        "updated_at",
    )
    list_filter = ("is_active", "minimum_fee_currency")
    search_fields = ("category__name_en", "category__name_ru", "seller__name", "note")
    list_select_related = ("category", "seller")
    autocomplete_fields = ("category", "seller")
