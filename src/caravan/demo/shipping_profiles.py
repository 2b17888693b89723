"""Demo shipping profiles: each demo seller ships from its own city, priced by zone (its home
market, Russia, the rest of the EAEU, the EU, the rest of the world) and weight band, derived
from its flat delivery options so the two read alike; weekends and national holidays off.
Two small Russian sellers deliver within the EAEU only, as many do: a buyer abroad does not see
what only they sell (issue 12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from caravan.kernel.money import MINOR_UNITS, Money
from caravan.sellers.models import Seller
from caravan.shipping.profile_services import (
    BandInput,
    save_method,
    save_profile,
    save_zone,
    set_rate,
)

from .vocabulary import SELLERS, SellerWords, ShippingWords

EU = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
EAEU = ["RU", "KZ", "BY", "AM", "KG"]
# Sellers who deliver within the EAEU only: a sole trader in Yekaterinburg posting the day
# the order comes, and a cosmetics shop (perfume and aerosols do not travel by air mail).
EAEU_ONLY = {"ural-sport", "nevsky-beauty"}


@dataclass(frozen=True)
class ZonePlan:
    """A zone priced as the flat option times `factor`, its transit shifted by the deltas."""

    name: str
    countries: tuple[str, ...]  # empty: the rest of the world
    factor: Decimal
    days_min_delta: int = 0
    days_max_delta: int = 0


def _plans(home: str, *, slug: str = "") -> list[ZonePlan]:
    eaeu_rest = tuple(code for code in EAEU if code not in (home, "RU"))
    eu = tuple(code for code in EU if code != home)
    russia = ZonePlan("Russia", ("RU",), Decimal("1"))
    if slug in EAEU_ONLY:
        return [russia, ZonePlan("EAEU", eaeu_rest, Decimal("1.8"), 2, 3)]
    if home == "RU":
        return [
            russia,
            ZonePlan("EAEU", eaeu_rest, Decimal("1.8"), 2, 3),
            ZonePlan("EU", eu, Decimal("3.5"), 5, 8),
            ZonePlan("World", (), Decimal("4.5"), 8, 12),
        ]
    if home in ("DE", "IT"):
        return [
            ZonePlan("Home", (home,), Decimal("0.35"), -6, -11),
            ZonePlan("EU", eu, Decimal("1")),
            ZonePlan("Russia", ("RU",), Decimal("2.2"), 3, 6),
            ZonePlan("EAEU", eaeu_rest, Decimal("2.4"), 4, 7),
            ZonePlan("World", (), Decimal("2"), 2, 5),
        ]
    if home == "KZ":
        return [
            ZonePlan("Home", ("KZ",), Decimal("0.4"), -4, -6),
            russia,
            ZonePlan("EAEU", eaeu_rest, Decimal("1"), 0, 1),
            ZonePlan("EU", eu, Decimal("2.5"), 5, 8),
            ZonePlan("World", (), Decimal("3"), 7, 10),
        ]
    # Exporters (China, Turkey): the flat option is their price to Russia.
    return [
        russia,
        ZonePlan("EAEU", eaeu_rest, Decimal("1.1"), 1, 2),
        ZonePlan("EU", eu, Decimal("1.3"), 0, 2),
        ZonePlan("World", (), Decimal("1.6"), 2, 5),
    ]


CITIES = {
    "gadget-house": ("Moscow", "Europe/Moscow"),
    "ural-sport": ("Yekaterinburg", "Asia/Yekaterinburg"),
    "nevsky-beauty": ("Saint Petersburg", "Europe/Moscow"),
    "shenzhen-techdirect": ("Shenzhen", "Asia/Shanghai"),
    "yiwu-home-toys": ("Yiwu", "Asia/Shanghai"),
    "guangzhou-style": ("Guangzhou", "Asia/Shanghai"),
    "berliner-kaufhaus": ("Berlin", "Europe/Berlin"),
    "hamburg-outdoor": ("Hamburg", "Europe/Berlin"),
    "bosphorus-tekstil": ("Istanbul", "Europe/Istanbul"),
    "almaty-market": ("Almaty", "Asia/Almaty"),
    "milano-moda": ("Milan", "Europe/Rome"),
}


def _days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=offset) for offset in range(count)]


# National holidays of the demo's first months (2026-2027).
HOLIDAYS: dict[str, list[date]] = {
    "RU": [*_days(date(2027, 1, 1), 8), date(2027, 2, 23), date(2027, 3, 8)],
    "CN": [date(2027, 1, 1), *_days(date(2027, 2, 6), 7)],  # the Spring Festival week
    "DE": [date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)],
    "IT": [date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1), date(2027, 1, 6)],
    "TR": [date(2027, 1, 1)],
    "KZ": [date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 7), date(2027, 3, 8)],
}
# Weight bands as multiples of the zone's base price.
BANDS: tuple[tuple[int | None, Decimal], ...] = (
    (1000, Decimal("1")),
    (3000, Decimal("1.5")),
    (10000, Decimal("2.5")),
    (30000, Decimal("4")),
    # Bulky goods (a boxed bicycle bills 52 kg by volume at a courier): freight rates, so
    # every demo product can be delivered, at a price that shows it.
    (None, Decimal("7")),
)
# Couriers bill volumetric weight; the posts and Cainiao's postal lines bill actual weight.
VOLUMETRIC_CARRIERS = {"DHL", "CDEK", "Yandex Delivery"}
# One seller shows the free-delivery threshold: its cheapest option is free from 5000 RUB.
FREE_FROM = {("gadget-house", "Russian Post"): Decimal("5000")}


def _price(amount: Decimal, currency: str) -> Money:
    step = Decimal(1).scaleb(-MINOR_UNITS[currency]) if currency in ("EUR", "GBP") else Decimal(1)
    return Money(amount.quantize(step, rounding=ROUND_HALF_UP), currency)


def _add_method(
    *, seller: Seller, words: SellerWords, option: ShippingWords, zones: list, profile_id: int
) -> None:
    threshold = FREE_FROM.get((words.slug, option.carrier))
    method = save_method(
        seller=seller,
        profile_id=profile_id,
        name_ru=option.name_ru,
        name_en=option.name_en,
        carrier=option.carrier,
        service_level="express" if option.transit_days_max <= 8 else "standard",
        volumetric_divisor=5000 if option.carrier in VOLUMETRIC_CARRIERS else None,
        free_threshold=None if threshold is None else Money(threshold, words.currency),
    )
    for zone, plan in zones:
        days_min = max(1, option.transit_days_min + plan.days_min_delta)
        days_max = max(days_min, option.transit_days_max + plan.days_max_delta)
        set_rate(
            seller=seller,
            method_id=method.id,
            zone_id=zone.id,
            transit_days_min=days_min,
            transit_days_max=days_max,
            bands=[
                BandInput(bound, _price(option.price * plan.factor * multiple, words.currency))
                for bound, multiple in BANDS
            ],
        )


def seed_shipping_profiles(*, sellers: dict[str, Seller]) -> int:
    """One default profile per demo seller; returns how many rates were written."""
    rates = 0
    for words in SELLERS:
        seller = sellers[words.slug]
        city, timezone = CITIES[words.slug]
        profile = save_profile(
            seller=seller,
            name=city,
            warehouse_country=words.country,
            warehouse_city=city,
            warehouse_timezone=timezone,
            handling_days=words.handling_days[0],
            weekdays_off=[6] if words.country == "CN" else [5, 6],
            holidays=[(day, "") for day in HOLIDAYS.get(words.country, [])],
        )
        zones = [
            (
                save_zone(
                    seller=seller,
                    profile_id=profile.id,
                    name=plan.name,
                    countries=plan.countries,
                    is_rest_of_world=not plan.countries,
                ),
                plan,
            )
            for plan in _plans(words.country, slug=words.slug)
        ]
        for option in words.shipping:
            _add_method(
                seller=seller, words=words, option=option, zones=zones, profile_id=profile.id
            )
            rates += len(zones)
    return rates
