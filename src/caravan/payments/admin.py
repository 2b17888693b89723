from django.contrib import admin

from .models import (
    Payment,
    PaymentAnomaly,
    PaymentEvent,
    ProviderEvent,
    Refund,
    SandboxRefund,
    SandboxSession,
)


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "note", "created_at")


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = (
        "public_id",
        "provider_reference",
        "order",
        "provider",
        "amount",
        "refunded_amount",
        "currency",
        "status",
        "settles_order",
        "created_at",
    )
    list_filter = ("status", "provider", "currency", "settles_order")
    search_fields = ("public_id", "provider_reference", "order__number")
    raw_id_fields = ("order",)
    list_select_related = ("order",)
    inlines = [PaymentEventInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    list_display = ("payment", "from_status", "to_status", "note", "created_at")
    list_filter = ("to_status",)
    search_fields = ("payment__public_id", "note")
    raw_id_fields = ("payment",)
    list_select_related = ("payment",)


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = (
        "public_id",
        "payment",
        "seller_order",
        "kind",
        "amount",
        "currency",
        "status",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "kind", "currency", "after_release")
    search_fields = ("public_id", "provider_reference", "payment__public_id")
    raw_id_fields = ("payment", "seller_order", "requested_by")


@admin.register(PaymentAnomaly)
class PaymentAnomalyAdmin(admin.ModelAdmin):
    list_display = ("kind", "source", "provider", "provider_reference", "created_at", "resolved_at")
    list_filter = ("kind", "source", "provider")
    search_fields = ("provider_reference", "detail")
    raw_id_fields = ("payment",)


@admin.register(ProviderEvent)
class ProviderEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "provider", "event_type", "session_reference", "received_at")
    list_filter = ("provider", "event_type")
    search_fields = ("event_id", "session_reference")


@admin.register(SandboxSession)
class SandboxSessionAdmin(admin.ModelAdmin):
    list_display = ("reference", "merchant_reference", "amount", "currency", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("reference", "merchant_reference")


@admin.register(SandboxRefund)
class SandboxRefundAdmin(admin.ModelAdmin):
    list_display = ("reference", "session", "amount", "currency", "created_at")
    search_fields = ("reference", "idempotency_key")
