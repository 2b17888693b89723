from django.contrib import admin

from .models import Membership, Seller


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "currency", "status", "created_at")
    list_filter = ("status", "country", "currency")
    search_fields = ("name", "legal_name", "slug", "public_id")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "seller", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "seller__name")
    raw_id_fields = ("user", "seller")
