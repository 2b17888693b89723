"""Builders for shipping-profile tests: a Moscow warehouse with RU / EAEU / EU / world zones."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from caravan.kernel.money import Money
from caravan.sellers.models import Seller
from caravan.shipping.models import ProfileMethod, ShippingProfile, ShippingZone
from caravan.shipping.profile_services import (
    BandInput,
    save_method,
    save_profile,
    save_zone,
    set_rate,
)
from caravan.shipping.quotes import ParcelLine


@dataclass
class Zones:
    kaliningrad: ShippingZone
    russia: ShippingZone
    eaeu: ShippingZone
    europe: ShippingZone
    world: ShippingZone


def moscow_profile(
    seller: Seller, *, weekdays_off: tuple[int, ...] = (5, 6), handling_days: int = 1
) -> ShippingProfile:
    return save_profile(
        seller=seller,
        name="Moscow warehouse",
        warehouse_country="RU",
        warehouse_city="Moscow",
        warehouse_timezone="Europe/Moscow",
        handling_days=handling_days,
        weekdays_off=weekdays_off,
    )


def zones_of(seller: Seller, profile: ShippingProfile) -> Zones:
    def zone(name: str, **where: object) -> ShippingZone:
        return save_zone(seller=seller, profile_id=profile.id, name=name, **where)  # type: ignore[arg-type]

    return Zones(
        kaliningrad=zone("Kaliningrad", regions=["RU-KGD"]),
        russia=zone("Russia", countries=["RU"]),
        eaeu=zone("EAEU", countries=["KZ", "BY", "AM", "KG"]),
        europe=zone("EU", countries=["DE", "FR", "IT"]),
        world=zone("World", is_rest_of_world=True),
    )


def method(
    seller: Seller, profile: ShippingProfile, name: str = "Courier", **fields: object
) -> ProfileMethod:
    return save_method(
        seller=seller,
        profile_id=profile.id,
        name_ru=name,
        name_en=name,
        carrier="Caravan Post",
        **fields,  # type: ignore[arg-type]
    )


def rub(amount: str) -> Money:
    return Money(Decimal(amount), "RUB")


def rate(
    seller: Seller,
    method: ProfileMethod,
    zone: ShippingZone,
    bands: list[tuple[int | None, str]],
    transit: tuple[int, int] = (2, 5),
) -> None:
    set_rate(
        seller=seller,
        method_id=method.id,
        zone_id=zone.id,
        transit_days_min=transit[0],
        transit_days_max=transit[1],
        bands=[BandInput(up_to_grams=bound, price=rub(price)) for bound, price in bands],
    )


def item(
    grams: int | None,
    *,
    quantity: int = 1,
    price: str = "1000",
    size: tuple[int, int, int] | None = None,
) -> ParcelLine:
    length, width, height = size or (None, None, None)
    return ParcelLine(
        quantity=quantity,
        unit_price=rub(price),
        weight_grams=grams,
        length_mm=length,
        width_mm=width,
        height_mm=height,
    )
