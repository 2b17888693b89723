"""The delivery option form: it parses what a person typed; the shipping services validate
the values (currency, sign, precision, transit range) and their errors land on the fields."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from caravan.kernel.errors import DomainError
from caravan.shipping.services import CARRIER_MAX_LENGTH, MAX_TRANSIT_DAYS, NAME_MAX_LENGTH

_SPACES = re.compile(r"[\s\u00a0\u202f']")
MAX_PRICE_LENGTH = 24

# Which field a shipping service error belongs to, by its stable code.
ERROR_FIELDS = {
    "currency_mismatch": "price",
    "price_negative": "price",
    "price_too_large": "price",
    "price_precision": "price",
    "invalid_transit": "transit_days_max",
    "name_ru_invalid": "name_ru",
    "name_en_invalid": "name_en",
    "carrier_invalid": "carrier",
}


class DeliveryPriceField(forms.Field):
    """A delivery price typed by a person: "1 499,90" and "1499.90" both mean 1499.90, and
    0 means free delivery."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Price"))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": MAX_PRICE_LENGTH}
        )

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        invalid = ValidationError(
            _("Enter the price as a number, for example 300 or 299.90; 0 for free delivery."),
            code="invalid_price",
        )
        if len(text) > MAX_PRICE_LENGTH:
            raise invalid
        try:
            amount = Decimal(_SPACES.sub("", text).replace(",", "."))
        except InvalidOperation as error:
            raise invalid from error
        if not amount.is_finite():
            raise invalid
        return amount


def _days_field(label: Any) -> forms.IntegerField:
    # No min/max here: the range is the shipping service's rule, reported on the form.
    return forms.IntegerField(
        label=label,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_TRANSIT_DAYS}),
    )


class DeliveryOptionForm(forms.Form):
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=NAME_MAX_LENGTH)
    name_en = forms.CharField(label=_("Name (English)"), max_length=NAME_MAX_LENGTH)
    carrier = forms.CharField(label=_("Carrier"), max_length=CARRIER_MAX_LENGTH)
    price = DeliveryPriceField()
    transit_days_min = _days_field(_("Transit days, from"))
    transit_days_max = _days_field(_("Transit days, to"))

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["price"].help_text = _("Per order, in %(currency)s. 0 means free delivery.") % {
            "currency": currency
        }
        self.fields["price"].widget.attrs["placeholder"] = currency
        self.fields["transit_days_max"].help_text = _(
            "Days in transit after hand-over to the carrier, 0 to %(max)s."
        ) % {"max": MAX_TRANSIT_DAYS}

    def add_service_error(self, error: DomainError) -> None:
        self.add_error(ERROR_FIELDS.get(error.code), error.message)
