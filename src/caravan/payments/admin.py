from django.contrib import admin

from .models import Payment, ProviderEvent, SandboxSession


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = (
        "session_reference",
        "order",
        "provider",
        "amount",
        "currency",
        "status",
        "created_at",
    )
    list_filter = ("status", "provider", "currency")
    search_fields = ("session_reference", "order__number")
    raw_id_fields = ("order",)
    list_select_related = ("order",)


@admin.register(ProviderEvent)
class ProviderEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "provider", "event_type", "session_reference", "received_at")
    list_filter = ("provider", "event_type")
    search_fields = ("event_id", "session_reference")


@admin.register(SandboxSession)
class SandboxSessionAdmin(admin.ModelAdmin):
    list_display = ("reference", "merchant_reference", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("reference", "merchant_reference")
