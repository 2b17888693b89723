"""A seller's own shipping profiles, zones and methods, always fetched scoped to the seller."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound
from caravan.sellers.models import Seller

from .models import ProfileMethod, ShippingProfile, ShippingZone, WeightBand, ZoneRate


def list_seller_profiles(*, seller: Seller) -> list[ShippingProfile]:
    """The seller's profiles with everything the profile page shows, default first."""
    bands = WeightBand.objects.order_by("rate_id", F("up_to_grams").asc(nulls_last=True))
    return list(
        ShippingProfile.objects.filter(seller=seller)
        .order_by("-is_default", "id")
        .prefetch_related(
            "zones",
            "holidays",
            Prefetch(
                "methods",
                queryset=ProfileMethod.objects.order_by("position", "id").prefetch_related(
                    Prefetch(
                        "rates",
                        queryset=ZoneRate.objects.select_related("zone").prefetch_related(
                            Prefetch("bands", queryset=bands)
                        ),
                    )
                ),
            ),
        )
    )


def get_seller_profile(*, seller: Seller, id: int, for_update: bool = False) -> ShippingProfile:
    """One of the seller's profiles; another seller's looks like one that is missing."""
    profiles = ShippingProfile.objects.filter(seller=seller)
    if for_update:
        profiles = profiles.select_for_update()
    profile = profiles.filter(id=id).first()
    if profile is None:
        raise NotFound(_("Shipping profile not found"))
    return profile


def get_seller_zone(*, seller: Seller, id: int) -> ShippingZone:
    zone = ShippingZone.objects.filter(profile__seller=seller, id=id).first()
    if zone is None:
        raise NotFound(_("Shipping zone not found"))
    return zone


def get_seller_method(*, seller: Seller, id: int, for_update: bool = False) -> ProfileMethod:
    methods = ProfileMethod.objects.filter(profile__seller=seller)
    if for_update:
        methods = methods.select_for_update()
    method = methods.filter(id=id).first()
    if method is None:
        raise NotFound(_("Delivery option not found"))
    return method
