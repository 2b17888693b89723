from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from caravan.kernel.events import publish

from .events import SellerRenamed
from .models import Invitation, Membership, PayoutDetails, Seller, SellerDocument, SellerEvent


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


class SellerEventInline(admin.TabularInline):
    """The audit trail is written by the services only: read it here, never edit it."""

    model = SellerEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "from_status", "to_status", "reason")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ("name", "legal_name", "country", "currency", "status", "created_at")
    list_filter = ("status", "country", "currency", "business_type")
    search_fields = ("name", "legal_name", "slug", "public_id", "tax_id")
    prepopulated_fields = {"slug": ("name",)}
    # Status moves go through the back office (audited, mailed), not through this form.
    readonly_fields = ("status", "status_reason")
    inlines = [MembershipInline, SellerEventInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Offers, orders, ledger accounts and payouts are in the seller's currency from its
        # first day: changing it here would leave every one of them priced in another.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "currency") if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: Seller, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Every card, product page and offer row shows the seller's name and flag.
        if change and {"name", "country"} & set(form.changed_data):
            publish(SellerRenamed(seller_id=obj.id))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "seller", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "seller__name")
    raw_id_fields = ("user", "seller")


@admin.register(SellerEvent)
class SellerEventAdmin(admin.ModelAdmin):
    list_display = ("seller", "from_status", "to_status", "actor", "created_at")
    list_filter = ("to_status",)
    search_fields = ("seller__name", "reason")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PayoutDetails)
class PayoutDetailsAdmin(admin.ModelAdmin):
    list_display = ("seller", "currency", "bank_country", "updated_at")
    list_filter = ("currency", "bank_country")
    search_fields = ("seller__name", "account_holder")
    raw_id_fields = ("seller",)


@admin.register(SellerDocument)
class SellerDocumentAdmin(admin.ModelAdmin):
    """Listed only: the files open through the back office view, which checks the operator."""

    list_display = ("seller", "kind", "original_name", "content_type", "size", "uploaded_at")
    list_filter = ("kind", "content_type")
    search_fields = ("seller__name", "original_name")
    exclude = ("file",)
    readonly_fields = ("seller", "kind", "original_name", "content_type", "size", "uploaded_by")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "seller", "role", "created_at", "expires_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "seller__name")
    raw_id_fields = ("seller", "invited_by", "accepted_by")
