"""Shipping profile forms: they parse what a person typed (lists of codes, dates, weight
bands); the shipping profile services validate the values and their errors land on fields."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.errors import DomainError
from caravan.kernel.money import Money
from caravan.shipping.models import ProfileMethod
from caravan.shipping.profile_services import MAX_BANDS, MAX_HOLIDAYS, BandInput

from .delivery_forms import DeliveryPriceField

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
_CODES = re.compile(r"[\s,;]+")
_SPACES = re.compile(r"[\s\u00a0\u202f']")

# Which field a shipping service error belongs to, by its stable code.
ERROR_FIELDS = {
    "name_invalid": "name",
    "country_invalid": "warehouse_country",
    "city_invalid": "warehouse_city",
    "timezone_invalid": "warehouse_timezone",
    "weekdays_invalid": "weekdays_off",
    "handling_days_invalid": "handling_days",
    "holidays_invalid": "holidays",
    "zone_country_invalid": "countries",
    "zone_region_invalid": "regions",
    "zone_empty": "countries",
    "name_ru_invalid": "name_ru",
    "name_en_invalid": "name_en",
    "carrier_invalid": "carrier",
    "service_level_invalid": "service_level",
    "basis_invalid": "basis",
    "divisor_invalid": "volumetric_divisor",
    "currency_mismatch": "bands",
    "price_invalid": "bands",
    "bands_invalid": "bands",
    "invalid_transit": "transit_days_max",
}


class ServiceErrors:
    def add_service_error(self, error: DomainError) -> None:
        field = ERROR_FIELDS.get(error.code)
        form: Any = self
        form.add_error(field if field in form.fields else None, error.message)


def _codes(text: str) -> list[str]:
    return [code for code in _CODES.split(text.strip()) if code]


class ProfileForm(ServiceErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    warehouse_country = forms.ChoiceField(label=_("Ships from (country)"), choices=COUNTRY_CHOICES)
    warehouse_city = forms.CharField(label=_("Ships from (city)"), max_length=100, required=False)
    warehouse_timezone = forms.CharField(
        label=_("Warehouse time zone"),
        max_length=64,
        help_text=_("As in the time zone database, for example Europe/Moscow or Asia/Shanghai."),
    )
    handling_days = forms.IntegerField(
        label=_("Handling days"), help_text=_("Working days from the order to hand-over.")
    )
    weekdays_off = forms.TypedMultipleChoiceField(
        label=_("Weekdays off"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    holidays = forms.CharField(
        label=_("Non-working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: a date as YYYY-MM-DD, then an optional note."),
    )

    def clean_holidays(self) -> list[tuple[date, str]]:
        days: list[tuple[date, str]] = []
        for number, line in enumerate(self.cleaned_data["holidays"].splitlines(), start=1):
            if not line.strip():
                continue
            day_text, _space, note = line.strip().partition(" ")
            try:
                day = date.fromisoformat(day_text)
            except ValueError as error:
                raise ValidationError(
                    _("Line %(line)d: write the date as YYYY-MM-DD."), params={"line": number}
                ) from error
            days.append((day, note.strip()))
        if len(days) > MAX_HOLIDAYS:
            raise ValidationError(_("Too many non-working days."))
        return days


class ZoneForm(ServiceErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_("Two-letter codes separated by commas, for example KZ, BY, AM."),
    )
    regions = forms.CharField(
        label=_("Regions"),
        required=False,
        help_text=_("Region codes, for example RU-KGD; a region zone wins over its country's."),
    )
    is_rest_of_world = forms.BooleanField(label=_("Rest of the world"), required=False)

    def clean_countries(self) -> list[str]:
        return _codes(self.cleaned_data["countries"])

    def clean_regions(self) -> list[str]:
        return _codes(self.cleaned_data["regions"])


class MethodForm(ServiceErrors, forms.Form):
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    carrier = forms.CharField(label=_("Carrier"), max_length=80)
    service_level = forms.CharField(label=_("Service level"), max_length=80, required=False)
    basis = forms.ChoiceField(label=_("Price basis"), choices=ProfileMethod.Basis.choices)
    volumetric_divisor = forms.IntegerField(
        label=_("Volumetric divisor, cm³/kg"),
        required=False,
        help_text=_("For example 5000; empty if the carrier bills actual weight only."),
    )
    free_threshold = DeliveryPriceField(label=_("Free delivery from"), required=False)
    is_active = forms.BooleanField(label=_("Offered to buyers"), required=False)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["free_threshold"].help_text = _(
            "Goods total in %(currency)s from which delivery is free; empty: never free."
        ) % {"currency": currency}


class RateForm(ServiceErrors, forms.Form):
    transit_days_min = forms.IntegerField(label=_("Transit days, from"))
    transit_days_max = forms.IntegerField(label=_("Transit days, to"))
    bands = forms.CharField(
        label=_("Weight bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line: the upper weight in grams and the price, for example “500 300”; "
            "“* 900” prices every heavier parcel. Empty: the method does not ship to this zone."
        ),
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_bands(self) -> list[BandInput]:
        bands: list[BandInput] = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            invalid = ValidationError(
                _("Line %(line)d: write the weight in grams (or *) and the price."),
                params={"line": number},
            )
            if len(parts) < 2 or not (parts[0] == "*" or parts[0].isdigit()):
                raise invalid
            try:
                amount = Decimal(_SPACES.sub("", "".join(parts[1:])).replace(",", "."))
            except InvalidOperation as error:
                raise invalid from error
            if not amount.is_finite():
                raise invalid
            bound = None if parts[0] == "*" else int(parts[0])
            bands.append(BandInput(up_to_grams=bound, price=Money(amount, self.currency)))
        if len(bands) > MAX_BANDS:
            raise ValidationError(_("Too many weight bands."))
        return bands
