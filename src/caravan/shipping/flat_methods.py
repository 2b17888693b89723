"""Flat delivery methods kept in step with the seller's default shipping profile (ADR 0012).

The flat `ShippingMethod` table is no longer read on the buyer side; the old portal page and
the test factories still write it. Each write is mirrored here into the default profile the
same way migration 0003 converted the flat methods: one per-order method linked by
`legacy_method`, with one rate in the profile's rest-of-world zone (the old transit range)
and one open weight band at the old price. A seller without a profile gets the default one
`ensure_default_profile` makes for every new seller."""

from __future__ import annotations

from .models import (
    ProfileMethod,
    ShippingMethod,
    ShippingProfile,
    ShippingZone,
    WeightBand,
    ZoneRate,
)
from .quotes import COUNTRY_TIMEZONES

DEFAULT_PROFILE_NAME = "Standard"
WORLD_ZONE_NAME = "Worldwide"


def ensure_default_profile(*, seller_id: int) -> ShippingProfile:
    """The seller's default profile, made when missing: a warehouse in the seller's country
    and return city, its country's time zone, one handling day, no days off, and one
    rest-of-the-world zone (the seller adds methods and rates, or flat methods mirror in)."""
    from caravan.sellers.models import Seller

    existing = ShippingProfile.objects.filter(seller_id=seller_id, is_default=True).first()
    if existing is not None:
        return existing
    seller = Seller.objects.select_for_update().get(id=seller_id)
    existing = ShippingProfile.objects.filter(seller_id=seller_id, is_default=True).first()
    if existing is not None:
        return existing
    profile = ShippingProfile.objects.create(
        seller=seller,
        name=DEFAULT_PROFILE_NAME,
        warehouse_country=seller.country,
        warehouse_city=seller.return_city,
        warehouse_timezone=COUNTRY_TIMEZONES.get(seller.country, "UTC"),
        handling_days=1,
        weekdays_off=[],
        is_default=True,
    )
    ShippingZone.objects.create(profile=profile, name=WORLD_ZONE_NAME, is_rest_of_world=True)
    return profile


def _world_zone(profile: ShippingProfile) -> ShippingZone:
    zone = profile.zones.filter(is_rest_of_world=True).order_by("id").first()
    if zone is None:
        zone = ShippingZone.objects.create(
            profile=profile, name=WORLD_ZONE_NAME, is_rest_of_world=True
        )
    return zone


def mirror_flat_method(flat: ShippingMethod) -> ProfileMethod:
    """Create or update the profile method of a flat one (inside the caller's transaction)."""
    method = ProfileMethod.objects.filter(legacy_method=flat).first()
    if method is None:
        profile = ensure_default_profile(seller_id=flat.seller_id)
        method = ProfileMethod(profile=profile, legacy_method=flat, basis="per_order")
    method.name_ru = flat.name_ru
    method.name_en = flat.name_en
    method.carrier = flat.carrier
    method.currency = flat.currency
    method.is_active = flat.is_active
    method.position = flat.position
    method.save()
    zone = _world_zone(method.profile)
    rate, _created = ZoneRate.objects.update_or_create(
        method=method,
        zone=zone,
        defaults={
            "transit_days_min": flat.transit_days_min,
            "transit_days_max": flat.transit_days_max,
        },
    )
    rate.bands.all().delete()
    WeightBand.objects.create(rate=rate, up_to_grams=None, price_amount=flat.price_amount)
    return method
