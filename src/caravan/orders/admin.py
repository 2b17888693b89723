from django.contrib import admin
from django.http import HttpRequest

from .models import Order, OrderEvent, OrderLine, SellerOrder, SellerOrderCustoms


class SellerOrderInline(admin.TabularInline):
    model = SellerOrder
    extra = 0
    fields = ("number", "seller", "status", "currency", "total_amount", "tracking_number")
    readonly_fields = fields
    show_change_link = True


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    fields = ("created_at", "seller_order", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "buyer", "status", "ship_to_country", "placed_at", "paid_at")
    list_filter = ("status", "ship_to_country", "placed_at")
    search_fields = ("number", "public_id", "buyer__email", "ship_to_name")
    raw_id_fields = ("buyer",)
    list_select_related = ("buyer",)
    date_hierarchy = "placed_at"
    inlines = [SellerOrderInline, OrderEventInline]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = (
        "product_name_en",
        "variant_label_en",
        "unit_price_amount",
        "quantity",
        "line_total_amount",
    )
    readonly_fields = fields


@admin.register(SellerOrder)
class SellerOrderAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "seller",
        "status",
        "currency",
        "total_amount",
        "ship_by",
        "tracking_number",
        "created_at",
    )
    list_filter = ("status", "currency", "seller")
    search_fields = (
        "number",
        "public_id",
        "seller__name",
        "tracking_number",
        "order__buyer__email",
    )
    raw_id_fields = ("order", "seller")
    list_select_related = ("seller",)
    inlines = [OrderLineInline]


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = (
        "seller_order",
        "product_name_en",
        "quantity",
        "unit_price_amount",
        "line_total_amount",
    )
    search_fields = ("product_name_en", "product_name_ru", "seller_order__number")
    raw_id_fields = ("seller_order", "offer")


@admin.register(OrderEvent)
class OrderEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "order",
        "seller_order",
        "from_status",
        "to_status",
        "actor",
        "note",
    )
    list_filter = ("to_status",)
    search_fields = ("order__number", "seller_order__number", "note")
    raw_id_fields = ("order", "seller_order", "actor")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SellerOrderCustoms)
class SellerOrderCustomsAdmin(admin.ModelAdmin):
    """Read-only: the frozen assessment explains a placed order and is never edited."""

    list_display = (
        "seller_order",
        "regime",
        "destination",
        "rule_regime",
        "currency",
        "duty_amount",
        "vat_amount",
        "assessed_on",
    )
    list_filter = ("regime", "destination", "rule_regime")
    search_fields = ("seller_order__number", "rule_title")
    list_select_related = ("seller_order",)
    raw_id_fields = ("seller_order", "rule")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
