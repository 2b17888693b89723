"""Each seller's flat delivery methods become one shipping profile (ADR 0012): a warehouse in
the seller's country, one worldwide zone, and per method one rate with the old transit range
and one open-ended weight band at the old per-order price. Inactive methods stay inactive;
each new method links back to its flat one. The flat rows are left untouched."""

from django.db import migrations

# Frozen copy of shipping.quotes.COUNTRY_TIMEZONES as of this migration.
TIMEZONES = {
    "RU": "Europe/Moscow",
    "CN": "Asia/Shanghai",
    "DE": "Europe/Berlin",
    "TR": "Europe/Istanbul",
    "KZ": "Asia/Almaty",
    "BY": "Europe/Minsk",
    "IT": "Europe/Rome",
    "FR": "Europe/Paris",
    "US": "America/New_York",
    "GB": "Europe/London",
    "UZ": "Asia/Tashkent",
    "AM": "Asia/Yerevan",
}


def flat_methods_into_profiles(apps, schema_editor):
    Seller = apps.get_model("sellers", "Seller")
    ShippingMethod = apps.get_model("shipping", "ShippingMethod")
    ShippingProfile = apps.get_model("shipping", "ShippingProfile")
    ShippingZone = apps.get_model("shipping", "ShippingZone")
    ProfileMethod = apps.get_model("shipping", "ProfileMethod")
    ZoneRate = apps.get_model("shipping", "ZoneRate")
    WeightBand = apps.get_model("shipping", "WeightBand")
    seller_ids = (
        ShippingMethod.objects.filter(profile_method__isnull=True)
        .values_list("seller_id", flat=True)
        .distinct()
    )
    for seller in Seller.objects.filter(id__in=list(seller_ids)).order_by("id"):
        # A seller who already has a profile keeps it as default; the migrated one is extra.
        has_default = ShippingProfile.objects.filter(seller=seller, is_default=True).exists()
        profile = ShippingProfile.objects.create(
            seller=seller,
            name="Standard",
            warehouse_country=seller.country,
            warehouse_city=seller.return_city,
            warehouse_timezone=TIMEZONES.get(seller.country, "UTC"),
            handling_days=1,
            weekdays_off=[],
            is_default=not has_default,
        )
        zone = ShippingZone.objects.create(
            profile=profile, name="Worldwide", countries=[], regions=[], is_rest_of_world=True
        )
        flat_methods = ShippingMethod.objects.filter(
            seller=seller, profile_method__isnull=True
        ).order_by("position", "id")
        for flat in flat_methods:
            method = ProfileMethod.objects.create(
                profile=profile,
                name_ru=flat.name_ru,
                name_en=flat.name_en,
                carrier=flat.carrier,
                service_level="",
                basis="per_order",
                currency=flat.currency,
                volumetric_divisor=None,
                free_threshold_amount=None,
                is_active=flat.is_active,
                position=flat.position,
                legacy_method=flat,
            )
            rate = ZoneRate.objects.create(
                method=method,
                zone=zone,
                transit_days_min=flat.transit_days_min,
                transit_days_max=flat.transit_days_max,
            )
            WeightBand.objects.create(rate=rate, up_to_grams=None, price_amount=flat.price_amount)


def profiles_back_out(apps, schema_editor):
    """Undo: the migrated profiles go; the flat methods were never changed."""
    ShippingProfile = apps.get_model("shipping", "ShippingProfile")
    ShippingProfile.objects.filter(methods__legacy_method__isnull=False).distinct().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0002_shipping_profiles"),
        ("sellers", "0002_onboarding"),
    ]

    operations = [migrations.RunPython(flat_methods_into_profiles, profiles_back_out)]
