from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from caravan.kernel.admin_edits import AnnouncesEdits
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money

from .models import Offer, ProductOfferSummary, ProductProposal, ProposalEvent
from .services import refresh_edited_offers, validate_offer_terms


class OfferAdminForm(forms.ModelForm):
    """The operator's edit meets the rules a seller's does (services.validate_offer_terms):
    the seller's currency, a positive price in its minor unit, a compare-at price above it,
    sane stock, handling and order limits."""

    class Meta:
        model = Offer
        fields = (
            "seller",
            "variant",
            "product",
            "seller_sku",
            "price_amount",
            "compare_at_amount",
            "currency",
            "stock_quantity",
            "ships_from",
            "handling_days",
            "condition",
            "min_order_quantity",
            "max_order_quantity",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seller = data.get("seller")
        if self.errors or seller is None:
            return data  # the fields' own errors first
        currency = data.get("currency") or self.instance.currency
        compare_at = data.get("compare_at_amount")
        try:
            validate_offer_terms(
                seller=seller,
                price=Money(data["price_amount"], currency),
                stock_quantity=data["stock_quantity"],
                handling_days=data["handling_days"],
                compare_at_price=Money(compare_at, currency) if compare_at is not None else None,
                condition=data["condition"],
                min_order_quantity=data["min_order_quantity"],
                max_order_quantity=data.get("max_order_quantity"),
            )
        except ValidationFailed as error:
            raise ValidationError(error.message) from error
        return data


@admin.register(Offer)
class OfferAdmin(AnnouncesEdits):
    form = OfferAdminForm
    list_display = (
        "product",
        "variant",
        "seller",
        "price_amount",
        "currency",
        "stock_quantity",
        "ships_from",
        "handling_days",
        "condition",
        "is_active",
        "updated_at",
    )
    list_filter = ("is_active", "condition", "currency", "ships_from", "seller")
    search_fields = (
        "public_id",
        "seller_sku",
        "product__name_en",
        "product__name_ru",
        "seller__name",
    )
    raw_id_fields = ("variant", "product", "seller")
    list_select_related = ("product", "variant", "seller")
    readonly_fields = ("public_id", "reference_price_amount", "created_at", "updated_at")

    def edited(self, obj: Offer) -> list[Offer]:
        return [obj]

    def announce(self, touched: Sequence[Offer]) -> None:
        refresh_edited_offers(offers=touched)


@admin.register(ProductOfferSummary)
class ProductOfferSummaryAdmin(admin.ModelAdmin):
    list_display = ("product", "best_offer", "offer_count", "seller_count", "is_buyable")
    list_filter = ("is_buyable",)
    search_fields = ("product__name_en", "product__name_ru")
    raw_id_fields = ("product", "best_offer")
    list_select_related = ("product", "best_offer")


@admin.register(ProductProposal)
class ProductProposalAdmin(admin.ModelAdmin):
    """Decisions are made in the back office's moderation queue, which audits them."""

    list_display = ("product", "seller", "status", "submitted_at", "decided_at")
    list_filter = ("status", "seller")
    search_fields = ("product__name_en", "product__name_ru", "seller__name")
    raw_id_fields = ("product", "seller", "decided_by")
    list_select_related = ("product", "seller")
    readonly_fields = ("status", "rejection_reason", "submitted_at", "decided_at", "decided_by")


@admin.register(ProposalEvent)
class ProposalEventAdmin(admin.ModelAdmin):
    list_display = ("proposal", "from_status", "to_status", "actor", "created_at")
    list_filter = ("to_status",)
    raw_id_fields = ("proposal", "actor")
    list_select_related = ("proposal", "actor")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # an audit trail is never edited
