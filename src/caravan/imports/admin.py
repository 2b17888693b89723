from django.contrib import admin

from .models import OfferImport


@admin.register(OfferImport)
class OfferImportAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "seller",
        "status",
        "row_count",
        "create_count",
        "update_count",
        "unchanged_count",
        "error_count",
        "created_at",
    )
    list_filter = ("status", "file_format")
    search_fields = ("public_id", "original_name", "seller__name")
    raw_id_fields = ("seller", "uploaded_by")
    readonly_fields = ("public_id", "stored_name", "errors", "created_at", "applied_at")
