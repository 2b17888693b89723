from django.contrib import admin

from .models import Parcel, ParcelLine, SdrRate, TrackingEvent


class ParcelLineInline(admin.TabularInline):
    model = ParcelLine
    fields = ("order_line", "quantity")
    readonly_fields = fields
    extra = 0
    can_delete = False


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    fields = ("occurred_at", "status", "location", "description", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Parcel)
class ParcelAdmin(admin.ModelAdmin):
    list_display = ("tracking_number", "carrier", "status", "seller_order", "shipped_at")
    list_filter = ("carrier", "status")
    search_fields = ("tracking_number", "seller_order__number")
    readonly_fields = ("seller_order", "carrier", "tracking_number", "status", "shipped_at")
    inlines = [ParcelLineInline, TrackingEventInline]


@admin.register(SdrRate)
class SdrRateAdmin(admin.ModelAdmin):
    list_display = ("rate_date", "rub_per_sdr", "source", "recorded_at")
