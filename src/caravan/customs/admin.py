from django.contrib import admin

from .models import ImportRule, TariffRate, VatRate


class TariffRateInline(admin.TabularInline):
    model = TariffRate
    extra = 0


@admin.register(ImportRule)
class ImportRuleAdmin(admin.ModelAdmin):
    list_display = (
        "destination",
        "regime",
        "effective_from",
        "effective_to",
        "max_goods_value",
        "duty_free_value",
        "currency",
        "duty_rate",
        "vat_rate",
        "source_date",
    )
    list_filter = ("destination", "rate_source", "duty_collection", "vat_collection")
    search_fields = ("regime", "title", "source_title", "note")
    date_hierarchy = "effective_from"
    inlines = [TariffRateInline]


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    list_display = ("country", "rate", "effective_from", "effective_to", "source_date")
    list_filter = ("country",)
    search_fields = ("source_title", "note")
