from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.i18n import localized
from caravan.kernel.money import CURRENCY_CHOICES, Money
from caravan.sellers.models import Seller


class ShippingMethod(models.Model):
    """A delivery option a seller offers: a carrier service with a flat price per order.

    Superseded by shipping profiles below; it stays, with its readers (cart, offers,
    storefront), until they are wired to profiles (ADR 0012)."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="shipping_methods")
    name_ru = models.CharField(_("name (ru)"), max_length=120)
    name_en = models.CharField(_("name (en)"), max_length=120)
    carrier = models.CharField(_("carrier"), max_length=80)
    price_amount = models.DecimalField(_("price"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    transit_days_min = models.PositiveSmallIntegerField(_("transit days, from"))
    transit_days_max = models.PositiveSmallIntegerField(_("transit days, to"))
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["seller_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_amount__gte=0), name="shipping_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(transit_days_max__gte=models.F("transit_days_min")),
                name="shipping_transit_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller}: {self.name_en}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def price(self) -> Money:
        return Money(self.price_amount, self.currency)


class ShippingProfile(models.Model):
    """A warehouse a seller ships from, with its working calendar and handling time."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="shipping_profiles")
    name = models.CharField(_("name"), max_length=120)
    warehouse_country = models.CharField(
        _("ships from (country)"), max_length=2, choices=COUNTRY_CHOICES
    )
    warehouse_city = models.CharField(_("ships from (city)"), max_length=100, blank=True)
    warehouse_timezone = models.CharField(_("warehouse time zone"), max_length=64)
    handling_days = models.PositiveSmallIntegerField(_("handling days"), default=1)
    # Monday is 0, as in date.weekday(); the list holds the weekdays the warehouse is closed.
    weekdays_off = models.JSONField(_("weekdays off"), default=list, blank=True)
    is_default = models.BooleanField(_("default profile"), default=True)
    # The NonWorkingDay dates (ISO, sorted), kept by shipping.holidays on every holiday
    # write: the checkout reads a profile's calendar with its zones, in one statement.
    holiday_dates = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shipping profile")
        verbose_name_plural = _("shipping profiles")
        ordering = ["seller_id", "-is_default", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller"],
                condition=models.Q(is_default=True),
                name="shipping_one_default_profile",
            ),
            models.CheckConstraint(
                condition=models.Q(handling_days__lte=60), name="shipping_handling_days_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller}: {self.name}"


class NonWorkingDay(models.Model):
    """A holiday of the warehouse: no parcel is handed over that day."""

    profile = models.ForeignKey(ShippingProfile, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("non-working day")
        verbose_name_plural = _("non-working days")
        ordering = ["profile_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "date"], name="shipping_holiday_once")
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.date.isoformat()}"


class ShippingZone(models.Model):
    """Destinations priced alike: countries, regions of a country (ISO 3166-2, "RU-KGD"),
    or the rest of the world. The most specific zone a destination falls in wins."""

    profile = models.ForeignKey(ShippingProfile, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=120)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    is_rest_of_world = models.BooleanField(_("rest of the world"), default=False)

    class Meta:
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")
        ordering = ["profile_id", "id"]

    def __str__(self) -> str:
        return f"{self.profile}: {self.name}"


class ProfileMethod(models.Model):
    """A carrier service offered from a profile's warehouse."""

    class Basis(models.TextChoices):
        PER_ORDER = "per_order", _("per order")
        PER_ITEM = "per_item", _("per item")

    profile = models.ForeignKey(ShippingProfile, on_delete=models.CASCADE, related_name="methods")
    name_ru = models.CharField(_("name (ru)"), max_length=120)
    name_en = models.CharField(_("name (en)"), max_length=120)
    carrier = models.CharField(_("carrier"), max_length=80)
    service_level = models.CharField(_("service level"), max_length=80, blank=True)
    basis = models.CharField(
        _("price basis"), max_length=9, choices=Basis.choices, default=Basis.PER_ORDER
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    # Empty: the carrier charges by actual weight only (letters, most postal services).
    volumetric_divisor = models.PositiveIntegerField(
        _("volumetric divisor, cm³/kg"), null=True, blank=True
    )
    free_threshold_amount = models.DecimalField(
        _("free delivery from"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    legacy_method = models.OneToOneField(
        ShippingMethod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profile_method",
    )

    class Meta:
        verbose_name = _("shipping profile method")
        verbose_name_plural = _("shipping profile methods")
        ordering = ["profile_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(free_threshold_amount__isnull=True)
                | models.Q(free_threshold_amount__gte=0),
                name="shipping_free_threshold_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(volumetric_divisor__isnull=True)
                | models.Q(volumetric_divisor__gt=0),
                name="shipping_volumetric_divisor_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.name_en}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def free_threshold(self) -> Money | None:
        if self.free_threshold_amount is None:
            return None
        return Money(self.free_threshold_amount, self.currency)


class ZoneRate(models.Model):
    """What one method takes to reach one zone; its prices are the weight bands."""

    method = models.ForeignKey(ProfileMethod, on_delete=models.CASCADE, related_name="rates")
    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="rates")
    transit_days_min = models.PositiveSmallIntegerField(_("transit days, from"))
    transit_days_max = models.PositiveSmallIntegerField(_("transit days, to"))

    class Meta:
        verbose_name = _("zone rate")
        verbose_name_plural = _("zone rates")
        ordering = ["method_id", "zone_id"]
        constraints = [
            models.UniqueConstraint(fields=["method", "zone"], name="shipping_rate_once"),
            models.CheckConstraint(
                condition=models.Q(transit_days_max__gte=models.F("transit_days_min")),
                name="shipping_zone_transit_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} -> {self.zone.name}"


class WeightBand(models.Model):
    """A price for a chargeable weight above the previous band's bound up to this one
    (inclusive); the band without a bound takes every heavier parcel."""

    rate = models.ForeignKey(ZoneRate, on_delete=models.CASCADE, related_name="bands")
    up_to_grams = models.PositiveIntegerField(_("up to, g"), null=True, blank=True)
    price_amount = models.DecimalField(_("price"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("weight band")
        verbose_name_plural = _("weight bands")
        ordering = ["rate_id", models.F("up_to_grams").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["rate", "up_to_grams"], name="shipping_band_once"),
            models.UniqueConstraint(
                fields=["rate"],
                condition=models.Q(up_to_grams__isnull=True),
                name="shipping_one_open_band",
            ),
            models.CheckConstraint(
                condition=models.Q(price_amount__gte=0), name="shipping_band_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        bound = "∞" if self.up_to_grams is None else f"{self.up_to_grams} g"
        return f"{self.rate}: ≤ {bound}"
