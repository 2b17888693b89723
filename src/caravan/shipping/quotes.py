"""Reads of the shipping engine: which methods reach a destination, at what price, by when.

`quote_methods`, `delivery_promise` and `ships_to` are the three calls the cart, the product
page, the buy box and the order make once they are wired to profiles (ADR 0012).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, TypeVar

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from caravan.catalog.models import Variant
from caravan.kernel import clock
from caravan.kernel.countries import COUNTRIES, country_name
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.sellers.models import Seller

from .calendar import arrival_date, dispatch_date, make_calendar, zone_info
from .models import (
    ProfileMethod,
    ShippingProfile,
    ShippingZone,
    WeightBand,
    ZoneRate,
)

# The buyer's time zone when the address does not say: the country's most populous one.
COUNTRY_TIMEZONES = {
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


K = TypeVar("K")


@dataclass(frozen=True)
class Destination:
    country: str
    region: str = ""  # ISO 3166-2, e.g. "RU-KGD"; empty when unknown
    timezone: str = ""  # the buyer's; empty: the country's (COUNTRY_TIMEZONES)

    @property
    def buyer_timezone(self) -> str:
        return self.timezone or COUNTRY_TIMEZONES.get(self.country, "UTC")


@dataclass(frozen=True)
class ParcelLine:
    """One line of a seller's parcel: its units' price, net weight and size (one unit)."""

    quantity: int
    unit_price: Money
    weight_grams: int | None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None

    @classmethod
    def of_variant(cls, *, variant: Variant, quantity: int, unit_price: Money) -> ParcelLine:
        return cls(
            quantity=quantity,
            unit_price=unit_price,
            weight_grams=variant.net_weight_grams,
            length_mm=variant.length_mm,
            width_mm=variant.width_mm,
            height_mm=variant.height_mm,
        )


@dataclass(frozen=True)
class DeliveryDates:
    dispatch_on: date  # warehouse's local date
    earliest: date  # buyer's local dates
    latest: date


@dataclass(frozen=True)
class MethodQuote:
    method: ProfileMethod
    zone: ShippingZone
    price: Money
    is_free: bool
    chargeable_grams: int | None
    dates: DeliveryDates


@dataclass(frozen=True)
class ShippingQuote:
    destination: Destination
    options: list[MethodQuote]
    refusal_code: str = ""  # no_profile, does_not_ship, weight_missing, too_heavy
    refusal: str = ""

    @property
    def ships(self) -> bool:
        return bool(self.options)


class _SellerOwned(Protocol):
    seller_id: int


def unit_chargeable_grams(line: ParcelLine, *, divisor: int | None) -> int | None:
    """One unit's weight as the carrier bills it: volumetric (mm³ / cm³-per-kg divisor gives
    grams) when larger than the actual weight. Without a size the actual weight counts."""
    if line.weight_grams is None:
        return None
    if divisor is None or not (line.length_mm and line.width_mm and line.height_mm):
        return line.weight_grams
    volume = line.length_mm * line.width_mm * line.height_mm
    volumetric = -(-volume // divisor)  # rounded up to the gram
    return max(line.weight_grams, volumetric)


def zone_for(zones: Iterable[ShippingZone], destination: Destination) -> ShippingZone | None:
    """The most specific zone: one naming the region, then the country, then the rest of the
    world. Among equals the oldest zone wins, so the answer does not depend on query order."""
    best: tuple[int, int] | None = None
    found: ShippingZone | None = None
    for zone in zones:
        if destination.region and destination.region in zone.regions:
            rank = 0
        elif destination.country in zone.countries:
            rank = 1
        elif zone.is_rest_of_world:
            rank = 2
        else:
            continue
        if best is None or (rank, zone.id) < best:
            best, found = (rank, zone.id), zone
    return found


def band_for(bands: Sequence[WeightBand], grams: int) -> WeightBand | None:
    """The first band whose bound the weight does not exceed; bands are sorted, open last."""
    for band in bands:
        if band.up_to_grams is None or grams <= band.up_to_grams:
            return band
    return None


def _weight_matters(bands: Sequence[WeightBand]) -> bool:
    return not (len(bands) == 1 and bands[0].up_to_grams is None)


def _profiles() -> QuerySet[ShippingProfile]:
    return ShippingProfile.objects.prefetch_related(
        "zones",
        "holidays",
        Prefetch(
            "methods",
            queryset=ProfileMethod.objects.filter(is_active=True).prefetch_related("rates__bands"),
        ),
    )


def default_profile(*, seller_id: int) -> ShippingProfile | None:
    """The profile the seller's offers ship under (with zones, holidays, active methods)."""
    return next(iter(_profiles().filter(seller_id=seller_id, is_default=True)), None)


def _price(
    *, method: ProfileMethod, bands: list[WeightBand], lines: Sequence[ParcelLine]
) -> tuple[Money, int | None] | str:
    """The method's price and the billed weight, or a refusal code."""
    zero = Money.zero(method.currency)
    if not _weight_matters(bands):
        units = sum(line.quantity for line in lines)
        flat = Money(bands[0].price_amount, method.currency)
        return (flat * units if method.basis == ProfileMethod.Basis.PER_ITEM else flat), None
    weights = [unit_chargeable_grams(line, divisor=method.volumetric_divisor) for line in lines]
    if any(weight is None for weight in weights):
        return "weight_missing"
    unit_weights = [weight or 0 for weight in weights]
    total_grams = sum(w * line.quantity for w, line in zip(unit_weights, lines, strict=True))
    if method.basis == ProfileMethod.Basis.PER_ORDER:
        band = band_for(bands, total_grams)
        if band is None:
            return "too_heavy"
        return Money(band.price_amount, method.currency), total_grams
    price = zero
    for weight, line in zip(unit_weights, lines, strict=True):
        band = band_for(bands, weight)
        if band is None:
            return "too_heavy"
        price += Money(band.price_amount, method.currency) * line.quantity
    return price, total_grams


def _dates(
    *,
    profile: ShippingProfile,
    rate: ZoneRate,
    destination: Destination,
    placed_at: datetime,
    handling_days: int | None,
    holidays: Collection[date],
) -> DeliveryDates:
    calendar = make_calendar(
        timezone=profile.warehouse_timezone,
        weekdays_off=profile.weekdays_off,
        holidays=holidays,
    )
    dispatch_on = dispatch_date(
        calendar=calendar,
        placed_at=placed_at,
        handling_days=profile.handling_days if handling_days is None else handling_days,
    )

    def arrival(days: int) -> date:
        return arrival_date(
            dispatched_on=dispatch_on,
            warehouse_timezone=profile.warehouse_timezone,
            transit_days=days,
            buyer_timezone=destination.buyer_timezone,
        )

    return DeliveryDates(
        dispatch_on=dispatch_on,
        earliest=arrival(rate.transit_days_min),
        latest=arrival(rate.transit_days_max),
    )


def _does_not_ship(destination: Destination) -> str:
    return _("Does not ship to %(country)s") % {"country": country_name(destination.country)}


@dataclass(frozen=True)
class SellerParcel:
    """What one seller ships to the buyer in one parcel: its lines, the goods' currency (the
    seller's) and the slowest handling time of its offers (None: the profile's)."""

    seller_id: int
    currency: str
    lines: Sequence[ParcelLine]
    handling_days: int | None = None


@dataclass
class SellerTables:
    """A seller's default profile as far as one destination needs it."""

    profile: ShippingProfile
    zone: ShippingZone | None = None
    # The zone's rates of active methods, each with its bands sorted (open band last).
    rates: list[tuple[ZoneRate, list[WeightBand]]] = field(default_factory=list)
    holidays: list[date] = field(default_factory=list)


# Where quote_sellers reads the sellers' tables from: load_tables, or a caller's copy of what
# it returned (a browsing page's, storefront.memo.shipping_tables).
TablesReader = Callable[..., dict[int, "SellerTables"]]


def load_tables(
    *, seller_ids: Collection[int], destination: Destination
) -> dict[int, SellerTables]:
    """The default profiles of several sellers for one destination in at most two queries,
    whatever the number of sellers: zones (with their profile and its holiday dates), the
    bands of the destination's zones (with rate and method). A profile without zones ships
    nowhere and reads as no profile."""
    loaded: dict[int, SellerTables] = {}
    zones_by_profile: dict[int, list[ShippingZone]] = {}
    for zone in ShippingZone.objects.filter(
        profile__seller_id__in=set(seller_ids), profile__is_default=True
    ).select_related("profile"):
        loaded.setdefault(zone.profile.seller_id, SellerTables(profile=zone.profile))
        zones_by_profile.setdefault(zone.profile_id, []).append(zone)
    for item in loaded.values():
        item.zone = zone_for(zones_by_profile[item.profile.id], destination)
    zone_ids = {item.zone.id for item in loaded.values() if item.zone is not None}
    if not zone_ids:
        return loaded
    rates: dict[int, tuple[ZoneRate, list[WeightBand]]] = {}
    for band in WeightBand.objects.filter(
        rate__zone_id__in=zone_ids, rate__method__is_active=True
    ).select_related("rate", "rate__method"):
        rates.setdefault(band.rate_id, (band.rate, []))[1].append(band)
    by_zone: dict[int, list[tuple[ZoneRate, list[WeightBand]]]] = {}
    for rate, bands in rates.values():
        bands.sort(key=lambda band: (band.up_to_grams is None, band.up_to_grams or 0))
        by_zone.setdefault(rate.zone_id, []).append((rate, bands))
    for item in loaded.values():
        if item.zone is not None and item.zone.id in by_zone:
            item.rates = sorted(
                by_zone[item.zone.id],
                key=lambda pair: (pair[0].method.position, pair[0].method.id),
            )
            item.holidays = [date.fromisoformat(day) for day in item.profile.holiday_dates]
    return loaded


class QuoteMemo:
    """What quoting with one seller's tables has already worked out, by what it depends on:
    a page quotes many offers of the same sellers, and their delivery prices follow from the
    rate and the parcel's quantities and sizes only (not its prices), their dates from the
    rate, the handling time, the warehouse's date when the order is placed and the buyer's
    time zone only. Kept with the tables it was worked out from (memo_of): a browsing page's
    tables are reused for a few seconds (storefront.memo.shipping_tables), and with them
    what was worked out from them."""

    def __init__(self) -> None:
        self.prices: dict[tuple[object, ...], tuple[Money, int | None] | str] = {}
        self.dates: dict[tuple[object, ...], DeliveryDates] = {}


def memo_of(loaded: SellerTables) -> QuoteMemo:
    """The tables' own memo, made on first use. Not a field: tables stored by an earlier
    version (the shared cache, during a deploy) come back without one."""
    memo = loaded.__dict__.get("_quote_memo")
    if memo is None:
        memo = loaded.__dict__["_quote_memo"] = QuoteMemo()
    return memo  # type: ignore[no-any-return]


def _priced(
    rate: ZoneRate, bands: list[WeightBand], lines: Sequence[ParcelLine], memo: QuoteMemo
) -> tuple[Money, int | None] | str:
    key = (
        rate.id,
        *(
            (line.quantity, line.weight_grams, line.length_mm, line.width_mm, line.height_mm)
            for line in lines
        ),
    )
    found = memo.prices.get(key)
    if found is None:
        found = memo.prices[key] = _price(method=rate.method, bands=bands, lines=lines)
    return found


def _priced_rates(
    loaded: SellerTables, parcel: SellerParcel, memo: QuoteMemo
) -> Iterator[tuple[ZoneRate, tuple[Money, int | None, bool] | str]]:
    """Each rate of the loaded zone with the parcel's price by it (nothing when free above
    the method's threshold), its billed weight and whether it is free; or a refusal code."""
    goods = sum(
        (line.unit_price * line.quantity for line in parcel.lines), Money.zero(parcel.currency)
    )
    for rate, bands in loaded.rates:
        method = rate.method
        priced = _priced(rate, bands, parcel.lines, memo)
        if isinstance(priced, str):
            yield rate, priced
            continue
        price, grams = priced
        threshold = method.free_threshold
        is_free = threshold is not None and goods >= threshold
        yield rate, (Money.zero(method.currency) if is_free else price, grams, is_free)


def _quote_loaded(
    *,
    loaded: SellerTables | None,
    parcel: SellerParcel,
    destination: Destination,
    placed_at: datetime,
) -> ShippingQuote:
    if loaded is None:
        return ShippingQuote(destination, [], "no_profile", _does_not_ship(destination))
    memo = memo_of(loaded)
    # What the dates depend on of the moment: the warehouse's date (calendar.dispatch_date).
    placed_on: date | None = None
    options: list[MethodQuote] = []
    refusals: list[str] = []
    for rate, priced in _priced_rates(loaded, parcel, memo):
        if isinstance(priced, str):
            refusals.append(priced)
            continue
        price, grams, is_free = priced
        assert loaded.zone is not None  # rates are only loaded for a zone
        if placed_on is None:
            zone = zone_info(loaded.profile.warehouse_timezone)
            placed_on = placed_at.astimezone(zone).date()
        dates_key = (rate.id, parcel.handling_days, placed_on, destination.buyer_timezone)
        dates = memo.dates.get(dates_key)
        if dates is None:
            dates = memo.dates[dates_key] = _dates(
                profile=loaded.profile,
                rate=rate,
                destination=destination,
                placed_at=placed_at,
                handling_days=parcel.handling_days,
                holidays=loaded.holidays,
            )
        options.append(
            MethodQuote(
                method=rate.method,
                zone=loaded.zone,
                price=price,
                is_free=is_free,
                chargeable_grams=grams,
                dates=dates,
            )
        )
    options.sort(key=lambda quote: (quote.price.amount, quote.dates.latest, quote.method.id))
    if options:
        return ShippingQuote(destination, options)
    if "weight_missing" in refusals:
        message = _("The seller has not given the weight of every item yet")
        return ShippingQuote(destination, [], "weight_missing", message)
    if "too_heavy" in refusals:
        return ShippingQuote(destination, [], "too_heavy", _("The parcel is too heavy to ship"))
    return ShippingQuote(destination, [], "does_not_ship", _does_not_ship(destination))


def quote_sellers(
    *,
    parcels: Mapping[K, SellerParcel],
    destination: Destination,
    placed_at: datetime | None = None,
    tables: TablesReader | None = None,
) -> dict[K, ShippingQuote]:
    """`quote_methods` for several parcels to one destination, by the caller's keys (the
    cart's seller ids, the buy box's offer ids), in at most two queries whatever their
    number: what the cart, checkout, buy box and product page call. `tables`: where the
    sellers' tables come from (load_tables by default; the cart and checkout always read
    them)."""
    moment = placed_at or clock.now()
    loaded = (tables or load_tables)(
        seller_ids={parcel.seller_id for parcel in parcels.values()}, destination=destination
    )
    return {
        key: _quote_loaded(
            loaded=loaded.get(parcel.seller_id),
            parcel=parcel,
            destination=destination,
            placed_at=moment,
        )
        for key, parcel in parcels.items()
    }


def cheapest_deliveries(
    *, parcels: Mapping[K, SellerParcel], tables: Mapping[int, SellerTables]
) -> dict[K, Money | None]:
    """Per parcel, what quote_sellers' cheapest option would cost (None: nothing reaches
    the destination), without the options' dates: a ranking by landed price first needs
    only this. `tables`: load_tables' answer for the parcels' sellers and destination."""
    cheapest: dict[K, Money | None] = {}
    for key, parcel in parcels.items():
        loaded = tables.get(parcel.seller_id)
        prices = (
            [
                priced[0]
                for _rate, priced in _priced_rates(loaded, parcel, memo_of(loaded))
                if not isinstance(priced, str)
            ]
            if loaded is not None
            else []
        )
        cheapest[key] = min(prices, key=lambda price: price.amount, default=None)
    return cheapest


def choose_option(quote: ShippingQuote, *, method_id: int | None) -> MethodQuote | None:
    """The buyer's chosen method when it still reaches the destination, else the cheapest
    (the one the product page promises): the default the cart, checkout and order share."""
    chosen = next((option for option in quote.options if option.method.id == method_id), None)
    return chosen or next(iter(quote.options), None)


def quote_methods(
    *,
    seller: Seller,
    lines: Sequence[ParcelLine],
    destination: Destination,
    placed_at: datetime | None = None,
    handling_days: int | None = None,
) -> ShippingQuote:
    """Every active method of the seller's default profile that reaches the destination, with
    its price in the seller's currency and its delivery dates, cheapest first; or a refusal.
    `handling_days` overrides the profile's (an offer's own handling time)."""
    parcel = SellerParcel(
        seller_id=seller.id, currency=seller.currency, lines=lines, handling_days=handling_days
    )
    return quote_sellers(parcels={seller.id: parcel}, destination=destination, placed_at=placed_at)[
        seller.id
    ]


def delivery_promise(
    *,
    method: ProfileMethod,
    destination: Destination,
    placed_at: datetime,
    handling_days: int | None = None,
) -> DeliveryDates:
    """Earliest and latest delivery dates of one method for an order placed at `placed_at`:
    the same calculation `quote_methods` makes. A method that does not reach the destination
    is ValidationFailed(does_not_ship)."""
    profile = (
        ShippingProfile.objects.prefetch_related("zones", "holidays")
        .filter(id=method.profile_id)
        .get()
    )
    zone = zone_for(profile.zones.all(), destination)
    rate = ZoneRate.objects.filter(method=method, zone=zone).first() if zone else None
    if rate is None:
        raise ValidationFailed(_does_not_ship(destination), code="does_not_ship")
    return _dates(
        profile=profile,
        rate=rate,
        destination=destination,
        placed_at=placed_at,
        handling_days=handling_days,
        holidays=[holiday.date for holiday in profile.holidays.all()],
    )


def ships_to(seller_or_offer: Seller | _SellerOwned, country: str, region: str = "") -> bool:
    """Whether an active method of the seller's default profile reaches the country (the
    "ships to" facet; an offer ships under its seller's default profile)."""
    seller_id = (
        seller_or_offer.id if isinstance(seller_or_offer, Seller) else seller_or_offer.seller_id
    )
    profile = default_profile(seller_id=seller_id)
    if profile is None:
        return False
    zone = zone_for(profile.zones.all(), Destination(country=country, region=region))
    if zone is None:
        return False
    return any(
        rate.zone_id == zone.id and rate.bands.all()
        for method in profile.methods.all()
        for rate in method.rates.all()
    )


def shipping_countries(*, seller_ids: Collection[int]) -> dict[int, frozenset[str]]:
    """Per seller, the marketplace's countries an active method of its default profile
    reaches (by country, as `ships_to` without a region): the "ships to" facet's data, two
    queries whatever the number of sellers. A seller without a profile ships nowhere."""
    zones: dict[int, list[ShippingZone]] = {}
    for zone in ShippingZone.objects.filter(
        profile__seller_id__in=set(seller_ids), profile__is_default=True
    ).select_related("profile"):
        zones.setdefault(zone.profile.seller_id, []).append(zone)
    rated = set(
        ZoneRate.objects.filter(
            zone__in=[zone for group in zones.values() for zone in group],
            method__is_active=True,
            bands__isnull=False,
        ).values_list("zone_id", flat=True)
    )
    result: dict[int, frozenset[str]] = {}
    for seller_id in set(seller_ids):
        countries = set()
        for country in COUNTRIES:
            found = zone_for(zones.get(seller_id, []), Destination(country=country))
            if found is not None and found.id in rated:
                countries.add(country)
        result[seller_id] = frozenset(countries)
    return result
