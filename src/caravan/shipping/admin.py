from collections.abc import Sequence
from typing import Any

from django.contrib import admin

from caravan.kernel.admin_edits import AnnouncesEdits

from .flat_methods import mirror_flat_method
from .models import (
    NonWorkingDay,
    ProfileMethod,
    ShippingMethod,
    ShippingProfile,
    ShippingZone,
    WeightBand,
    ZoneRate,
)
from .services import announce_shipping_edited


class _AnnouncesShippingEdits(AnnouncesEdits):
    """The listings' delivery prices, promises and buy boxes follow an edit here
    (offers.seller_events), as after the seller's own."""

    def edited(self, obj: Any) -> list[int]:
        return [int(obj.profile.seller_id)]

    def announce(self, touched: Sequence[int]) -> None:
        announce_shipping_edited(seller_ids=touched)


@admin.register(ShippingMethod)
class ShippingMethodAdmin(_AnnouncesShippingEdits):
    list_display = (
        "seller",
        "name_en",
        "carrier",
        "price_amount",
        "currency",
        "transit_days_min",
        "transit_days_max",
        "is_active",
    )
    list_filter = ("is_active", "carrier", "currency")
    search_fields = ("seller__name", "name_en", "name_ru", "carrier")
    list_select_related = ("seller",)

    def edited(self, obj: Any) -> list[int]:
        return [int(obj.seller_id)]

    def saved(self, obj: Any) -> None:
        # The flat method's profile twin is what quotes read (ADR 0012).
        mirror_flat_method(obj)


class ShippingZoneInline(admin.TabularInline):
    model = ShippingZone
    extra = 0


class NonWorkingDayInline(admin.TabularInline):
    model = NonWorkingDay
    extra = 0


class ProfileMethodInline(admin.TabularInline):
    model = ProfileMethod
    extra = 0
    fields = (
        "name_en",
        "name_ru",
        "carrier",
        "service_level",
        "basis",
        "currency",
        "volumetric_divisor",
        "free_threshold_amount",
        "is_active",
        "position",
    )
    show_change_link = True


@admin.register(ShippingProfile)
class ShippingProfileAdmin(_AnnouncesShippingEdits):
    list_display = (
        "seller",
        "name",
        "warehouse_country",
        "warehouse_city",
        "warehouse_timezone",
        "handling_days",
        "is_default",
    )
    list_filter = ("warehouse_country", "is_default")
    search_fields = ("seller__name", "name", "warehouse_city")
    list_select_related = ("seller",)
    inlines = (ShippingZoneInline, NonWorkingDayInline, ProfileMethodInline)

    def edited(self, obj: Any) -> list[int]:
        return [int(obj.seller_id)]


class WeightBandInline(admin.TabularInline):
    model = WeightBand
    extra = 0


@admin.register(ZoneRate)
class ZoneRateAdmin(_AnnouncesShippingEdits):
    list_display = ("method", "zone", "transit_days_min", "transit_days_max")
    search_fields = ("method__profile__seller__name", "method__name_en", "zone__name")
    list_select_related = ("method__profile__seller", "zone")
    inlines = (WeightBandInline,)

    def edited(self, obj: Any) -> list[int]:
        return [int(obj.method.profile.seller_id)]


@admin.register(ShippingZone)
class ShippingZoneAdmin(_AnnouncesShippingEdits):
    list_display = ("profile", "name", "countries", "regions", "is_rest_of_world")
    list_filter = ("is_rest_of_world",)
    search_fields = ("profile__seller__name", "name")
    list_select_related = ("profile__seller",)


@admin.register(ProfileMethod)
class ProfileMethodAdmin(_AnnouncesShippingEdits):
    list_display = ("profile", "name_en", "carrier", "basis", "currency", "is_active")
    list_filter = ("is_active", "basis", "currency")
    search_fields = ("profile__seller__name", "name_en", "name_ru", "carrier")
    list_select_related = ("profile__seller",)


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(_AnnouncesShippingEdits):
    list_display = ("profile", "date", "note")
    search_fields = ("profile__seller__name", "note")
    list_select_related = ("profile__seller",)


@admin.register(WeightBand)
class WeightBandAdmin(_AnnouncesShippingEdits):
    list_display = ("rate", "up_to_grams", "price_amount")
    search_fields = ("rate__method__profile__seller__name",)
    list_select_related = ("rate__method__profile__seller", "rate__zone")

    def edited(self, obj: Any) -> list[int]:
        return [int(obj.rate.method.profile.seller_id)]
