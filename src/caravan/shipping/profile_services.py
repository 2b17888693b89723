"""Writes of shipping profiles: a seller edits only their own, every input is checked here.

Every write publishes `ShippingMethodsChanged` inside its transaction: the offers app
announces the seller's products, so listings, the buy box and product pages follow (ADR 0012,
0007, 0008).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ParamSpec, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.events import publish
from caravan.kernel.money import MINOR_UNITS, Money
from caravan.sellers.models import Seller

from .calendar import CalendarError, make_calendar, zone_info
from .events import ShippingMethodsChanged
from .holidays import refresh_holiday_dates
from .models import (
    NonWorkingDay,
    ProfileMethod,
    ShippingProfile,
    ShippingZone,
    WeightBand,
    ZoneRate,
)
from .profile_selectors import get_seller_method, get_seller_profile, get_seller_zone
from .services import MAX_PRICE_AMOUNT, MAX_TRANSIT_DAYS

MAX_HANDLING_DAYS = 60
MAX_BANDS = 30
MAX_HOLIDAYS = 400
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
# ISO 3166-2: the country, a hyphen, one to three letters or digits.
REGION_CODE = re.compile(r"^([A-Z]{2})-[A-Z0-9]{1,3}$")


P = ParamSpec("P")
R = TypeVar("R")


def _announced(write: Callable[P, R]) -> Callable[P, R]:
    """Publish ShippingMethodsChanged for the `seller` keyword once the write succeeded, in
    its transaction (put it under @transaction.atomic)."""

    @functools.wraps(write)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        result = write(*args, **kwargs)
        seller = kwargs["seller"]
        assert isinstance(seller, Seller)
        publish(ShippingMethodsChanged(seller_id=seller.id))
        return result

    return wrapper


@dataclass(frozen=True)
class BandInput:
    up_to_grams: int | None  # None: every heavier parcel
    price: Money


def _text(value: str, *, max_length: int, code: str, required: bool = True) -> str:
    text = value.strip()
    if (required and not text) or len(text) > max_length:
        raise ValidationFailed(
            _("Fill this in, up to %(count)d characters") % {"count": max_length}, code=code
        )
    return text


def _price(price: Money, *, seller: Seller) -> Money:
    if price.currency != seller.currency:
        raise ValidationFailed(
            _("Delivery is priced in the seller's currency"), code="currency_mismatch"
        )
    exponent = price.amount.as_tuple().exponent
    too_precise = isinstance(exponent, int) and -exponent > MINOR_UNITS[price.currency]
    if price.amount < 0 or price.amount > MAX_PRICE_AMOUNT or too_precise:
        raise ValidationFailed(_("Enter a valid delivery price"), code="price_invalid")
    return price


def _calendar_fields(
    *, warehouse_timezone: str, weekdays_off: Sequence[int], handling_days: int
) -> dict[str, object]:
    try:
        zone_info(warehouse_timezone)
    except CalendarError as error:
        raise ValidationFailed(
            _("Name a time zone of the time zone database, such as Europe/Moscow"),
            code="timezone_invalid",
        ) from error
    try:
        make_calendar(timezone=warehouse_timezone, weekdays_off=weekdays_off, holidays=())
    except CalendarError as error:
        raise ValidationFailed(
            _("Leave at least one working weekday"), code="weekdays_invalid"
        ) from error
    if not 0 <= handling_days <= MAX_HANDLING_DAYS:
        raise ValidationFailed(
            _("Handling takes 0 to %(days)d working days") % {"days": MAX_HANDLING_DAYS},
            code="handling_days_invalid",
        )
    return {
        "warehouse_timezone": warehouse_timezone,
        "weekdays_off": sorted(set(weekdays_off)),
        "handling_days": handling_days,
    }


@transaction.atomic
@_announced
def save_profile(
    *,
    seller: Seller,
    profile_id: int | None = None,
    name: str,
    warehouse_country: str,
    warehouse_city: str,
    warehouse_timezone: str,
    handling_days: int,
    weekdays_off: Sequence[int],
    holidays: Sequence[tuple[date, str]] | None = None,
) -> ShippingProfile:
    """Create a profile (the seller's first one becomes the default) or edit one of theirs;
    `holidays` (date, note), when given, replace the profile's non-working days."""
    if warehouse_country not in COUNTRIES:
        raise ValidationFailed(_("Choose the warehouse's country"), code="country_invalid")
    fields: dict[str, object] = {
        "name": _text(name, max_length=120, code="name_invalid"),
        "warehouse_country": warehouse_country,
        "warehouse_city": _text(
            warehouse_city, max_length=100, code="city_invalid", required=False
        ),
        **_calendar_fields(
            warehouse_timezone=warehouse_timezone,
            weekdays_off=weekdays_off,
            handling_days=handling_days,
        ),
    }
    days = _clean_holidays(holidays) if holidays is not None else None
    if profile_id is None:
        Seller.objects.select_for_update().filter(id=seller.id).get()
        is_default = not ShippingProfile.objects.filter(seller=seller, is_default=True).exists()
        profile = ShippingProfile.objects.create(seller=seller, is_default=is_default, **fields)
    else:
        profile = get_seller_profile(seller=seller, id=profile_id, for_update=True)
        for field, value in fields.items():
            setattr(profile, field, value)
        profile.save(update_fields=[*fields])
    if days is not None:
        profile.holidays.all().delete()
        NonWorkingDay.objects.bulk_create(
            NonWorkingDay(profile=profile, date=day, note=note) for day, note in days.items()
        )
        refresh_holiday_dates(profile.id)  # bulk_create sends no signal
    return profile


def _clean_holidays(holidays: Sequence[tuple[date, str]]) -> dict[date, str]:
    if len(holidays) > MAX_HOLIDAYS:
        raise ValidationFailed(
            _("Up to %(count)d non-working days") % {"count": MAX_HOLIDAYS},
            code="holidays_invalid",
        )
    return {
        day: _text(note, max_length=120, code="holidays_invalid", required=False)
        for day, note in sorted(holidays)
    }


@transaction.atomic
@_announced
def add_non_working_day(
    *, seller: Seller, profile_id: int, day: date, note: str = ""
) -> NonWorkingDay:
    profile = get_seller_profile(seller=seller, id=profile_id, for_update=True)
    holiday, _created = NonWorkingDay.objects.update_or_create(
        profile=profile,
        date=day,
        defaults={"note": _text(note, max_length=120, code="note_invalid", required=False)},
    )
    return holiday


@transaction.atomic
@_announced
def remove_non_working_day(*, seller: Seller, profile_id: int, day: date) -> None:
    profile = get_seller_profile(seller=seller, id=profile_id, for_update=True)
    NonWorkingDay.objects.filter(profile=profile, date=day).delete()


def _zone_fields(*, countries: Sequence[str], regions: Sequence[str]) -> dict[str, list[str]]:
    clean_countries = sorted({code.strip().upper() for code in countries if code.strip()})
    clean_regions = sorted({code.strip().upper() for code in regions if code.strip()})
    if any(not COUNTRY_CODE.match(code) for code in clean_countries):
        raise ValidationFailed(
            _("Countries are two-letter ISO codes, such as DE"), code="zone_country_invalid"
        )
    if any(not REGION_CODE.match(code) for code in clean_regions):
        raise ValidationFailed(
            _("Regions are ISO 3166-2 codes, such as RU-KGD"), code="zone_region_invalid"
        )
    return {"countries": clean_countries, "regions": clean_regions}


@transaction.atomic
@_announced
def save_zone(
    *,
    seller: Seller,
    profile_id: int,
    zone_id: int | None = None,
    name: str,
    countries: Sequence[str] = (),
    regions: Sequence[str] = (),
    is_rest_of_world: bool = False,
) -> ShippingZone:
    """A zone names countries and/or regions, or is the rest of the world; not both."""
    profile = get_seller_profile(seller=seller, id=profile_id, for_update=True)
    fields: dict[str, object] = {
        "name": _text(name, max_length=120, code="name_invalid"),
        **_zone_fields(countries=countries, regions=regions),
        "is_rest_of_world": is_rest_of_world,
    }
    named = bool(fields["countries"] or fields["regions"])
    if named == is_rest_of_world:
        raise ValidationFailed(
            _("A zone lists countries or regions, or is the rest of the world"),
            code="zone_empty",
        )
    if zone_id is None:
        return ShippingZone.objects.create(profile=profile, **fields)
    zone = get_seller_zone(seller=seller, id=zone_id)
    if zone.profile_id != profile.id:
        raise ValidationFailed(_("Shipping zone not found"), code="not_found")
    for field, value in fields.items():
        setattr(zone, field, value)
    zone.save(update_fields=[*fields])
    return zone


@transaction.atomic
@_announced
def save_method(
    *,
    seller: Seller,
    profile_id: int,
    method_id: int | None = None,
    name_ru: str,
    name_en: str,
    carrier: str,
    service_level: str = "",
    basis: str = ProfileMethod.Basis.PER_ORDER,
    volumetric_divisor: int | None = None,
    free_threshold: Money | None = None,
    is_active: bool = True,
) -> ProfileMethod:
    profile = get_seller_profile(seller=seller, id=profile_id, for_update=True)
    if basis not in ProfileMethod.Basis.values:
        raise ValidationFailed(_("Price per order or per item"), code="basis_invalid")
    if volumetric_divisor is not None and not 1000 <= volumetric_divisor <= 10000:
        raise ValidationFailed(
            _("The volumetric divisor is 1000 to 10000 cm³ per kg"), code="divisor_invalid"
        )
    fields: dict[str, object] = {
        "name_ru": _text(name_ru, max_length=120, code="name_ru_invalid"),
        "name_en": _text(name_en, max_length=120, code="name_en_invalid"),
        "carrier": _text(carrier, max_length=80, code="carrier_invalid"),
        "service_level": _text(
            service_level, max_length=80, code="service_level_invalid", required=False
        ),
        "basis": basis,
        "currency": seller.currency,
        "volumetric_divisor": volumetric_divisor,
        "free_threshold_amount": (
            None if free_threshold is None else _price(free_threshold, seller=seller).amount
        ),
        "is_active": is_active,
    }
    if method_id is None:
        position = ProfileMethod.objects.filter(profile=profile).count()
        return ProfileMethod.objects.create(profile=profile, position=position, **fields)
    method = get_seller_method(seller=seller, id=method_id)
    if method.profile_id != profile.id:
        raise ValidationFailed(_("Delivery option not found"), code="not_found")
    for field, value in fields.items():
        setattr(method, field, value)
    method.save(update_fields=[*fields])
    return method


def _clean_bands(bands: Sequence[BandInput], *, seller: Seller) -> list[BandInput]:
    if not 1 <= len(bands) <= MAX_BANDS:
        raise ValidationFailed(
            _("Give 1 to %(count)d weight bands") % {"count": MAX_BANDS}, code="bands_invalid"
        )
    bounds = [band.up_to_grams for band in bands]
    closed = [bound for bound in bounds if bound is not None]
    if (
        len(closed) < len(bounds) - 1
        or any(bound <= 0 for bound in closed)
        or len(set(closed)) != len(closed)
    ):
        raise ValidationFailed(
            _("Each weight band has its own upper bound in grams; at most one has none"),
            code="bands_invalid",
        )
    for band in bands:
        _price(band.price, seller=seller)
    return sorted(bands, key=lambda band: (band.up_to_grams is None, band.up_to_grams or 0))


@transaction.atomic
@_announced
def set_rate(
    *,
    seller: Seller,
    method_id: int,
    zone_id: int,
    transit_days_min: int,
    transit_days_max: int,
    bands: Sequence[BandInput],
) -> ZoneRate:
    """The method's rate table for one zone, replacing the previous one whole."""
    method = get_seller_method(seller=seller, id=method_id, for_update=True)
    zone = get_seller_zone(seller=seller, id=zone_id)
    if zone.profile_id != method.profile_id:
        raise ValidationFailed(
            _("The zone belongs to another shipping profile"), code="zone_other_profile"
        )
    if not 0 <= transit_days_min <= transit_days_max <= MAX_TRANSIT_DAYS:
        raise ValidationFailed(
            _("Transit days must be a range within 0-120"), code="invalid_transit"
        )
    clean = _clean_bands(bands, seller=seller)
    rate, _created = ZoneRate.objects.update_or_create(
        method=method,
        zone=zone,
        defaults={"transit_days_min": transit_days_min, "transit_days_max": transit_days_max},
    )
    rate.bands.all().delete()
    WeightBand.objects.bulk_create(
        WeightBand(rate=rate, up_to_grams=band.up_to_grams, price_amount=band.price.amount)
        for band in clean
    )
    return rate


@transaction.atomic
@_announced
def remove_rate(*, seller: Seller, method_id: int, zone_id: int) -> None:
    """The method stops shipping to the zone."""
    method = get_seller_method(seller=seller, id=method_id, for_update=True)
    ZoneRate.objects.filter(method=method, zone_id=zone_id).delete()
