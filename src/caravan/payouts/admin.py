"""Payouts are read here; every move goes through the services (ledger entries, audit)."""

from django.contrib import admin

from .models import Payout, PayoutBatch, PayoutEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class PayoutEventInline(admin.TabularInline):
    model = PayoutEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "from_status", "to_status", "note")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "seller", "amount", "currency", "status", "created_at")
    list_filter = ("status", "currency")
    search_fields = ("public_id", "seller__name", "account_holder")
    list_select_related = ("seller",)
    inlines = [PayoutEventInline]


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "currency", "file_format", "payout_count", "total_amount")
    list_filter = ("currency", "file_format")
    # The file holds every seller's bank details: it is downloaded through the back office.
    exclude = ("file_content",)


@admin.register(PayoutEvent)
class PayoutEventAdmin(ReadOnlyAdmin):
    list_display = ("payout", "from_status", "to_status", "actor", "created_at")
    list_filter = ("to_status",)
    search_fields = ("payout__public_id", "note")
