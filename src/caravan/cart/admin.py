from django.contrib import admin

from .models import Cart, CartDelivery, CartLine, CheckoutAttempt


class CartLineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    raw_id_fields = ("offer",)


class CartDeliveryInline(admin.TabularInline):
    model = CartDelivery
    extra = 0


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ("token", "user", "created_at", "updated_at")
    search_fields = ("token", "user__email")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
    inlines = [CartLineInline, CartDeliveryInline]


@admin.register(CartLine)
class CartLineAdmin(admin.ModelAdmin):
    list_display = ("cart", "offer", "quantity", "added_at")
    raw_id_fields = ("cart", "offer")
    search_fields = ("cart__token",)


@admin.register(CartDelivery)
class CartDeliveryAdmin(admin.ModelAdmin):
    list_display = ("cart", "seller", "method")
    list_filter = ("seller",)
    search_fields = ("cart__token", "seller__name")
    raw_id_fields = ("cart", "seller", "method")
    list_select_related = ("cart", "seller", "method")


@admin.register(CheckoutAttempt)
class CheckoutAttemptAdmin(admin.ModelAdmin):
    list_display = ("key", "buyer", "order_number", "created_at")
    search_fields = ("key", "order_number", "buyer__email")
    raw_id_fields = ("buyer",)
    list_select_related = ("buyer",)
