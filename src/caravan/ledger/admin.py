"""Read-only views of the journal: the ledger is written by its flows only, never by hand."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Account, JournalEntry, Posting


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    fields = ("account", "amount", "currency")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "key", "memo")
    list_filter = ("kind", "created_at")
    search_fields = ("key", "memo")
    date_hierarchy = "created_at"
    inlines = [PostingInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("purpose", "party", "reference", "currency", "balance_amount")
    list_filter = ("purpose", "currency")
    search_fields = ("party", "reference")
