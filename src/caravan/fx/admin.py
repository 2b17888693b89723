from django.contrib import admin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("base", "quote", "rate", "source", "rate_date", "as_of")
    list_filter = ("source", "base", "quote")
    date_hierarchy = "rate_date"
