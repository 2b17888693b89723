"""The outbox is read here (what went out, what failed and why); sending goes through the
services and their tasks."""

from django.contrib import admin

from .models import Message, Preference


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "address", "language", "status", "attempts")
    list_filter = ("status", "channel", "kind", "language")
    search_fields = ("event_key", "address", "subject", "public_id")
    readonly_fields = [field.name for field in Message._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "sms_enabled", "updated_at")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
