from django.contrib import admin

from .models import Thread, ThreadMessage


class ThreadMessageInline(admin.TabularInline):
    model = ThreadMessage
    extra = 0
    fields = ("created_at", "side", "author", "body")
    readonly_fields = fields
    can_delete = False


# Read-only: what the parties wrote is evidence in a dispute, not the operator's to edit.
@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("seller_order", "seller", "message_count", "last_message_at")
    search_fields = ("seller_order__number", "seller_order__order__number")
    list_select_related = ("seller_order", "seller")
    raw_id_fields = ("seller_order", "seller", "buyer")
    inlines = [ThreadMessageInline]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
