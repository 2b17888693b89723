"""The product's customs page: HS code, EAEU code, origin, and each variant's weight and box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caravan.catalog.models import Product, Variant
from caravan.catalog.services import Measurements
from caravan.kernel.countries import COUNTRY_CHOICES


class ProductCustomsForm(forms.Form):
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=12,
        required=False,
        help_text=_("6 digits of the Harmonized System, for example 6109.10."),
    )
    eaeu_code = forms.CharField(
        label=_("EAEU (TN VED) code"),
        max_length=16,
        required=False,
        help_text=_("10 digits, if you know it; it starts with the HS code."),
    )
    origin_country = forms.ChoiceField(
        label=_("Country of origin"),
        required=False,
        choices=[("", "—"), *COUNTRY_CHOICES],
        help_text=_("Where the goods were made, not where they ship from."),
    )

    @classmethod
    def initial_for(cls, product: Product) -> dict[str, str]:
        return {
            "hs_code": product.hs_code,
            "eaeu_code": product.eaeu_code,
            "origin_country": product.origin_country,
        }


def _size(label: Any, *, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=maximum)


class VariantMeasurementsForm(forms.Form):
    net_weight_grams = _size(_("Net weight, g"), maximum=1_000_000)
    length_mm = _size(_("Length, mm"), maximum=10_000)
    width_mm = _size(_("Width, mm"), maximum=10_000)
    height_mm = _size(_("Height, mm"), maximum=10_000)

    def __init__(self, *args: Any, variant: Variant, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "net_weight_grams": variant.net_weight_grams,
                "length_mm": variant.length_mm,
                "width_mm": variant.width_mm,
                "height_mm": variant.height_mm,
            },
        )
        kwargs["prefix"] = f"variant-{variant.public_id}"
        super().__init__(*args, **kwargs)
        self.variant = variant

    def measurements(self) -> Measurements:
        data = self.cleaned_data
        return Measurements(
            net_weight_grams=data["net_weight_grams"],
            length_mm=data["length_mm"],
            width_mm=data["width_mm"],
            height_mm=data["height_mm"],
        )
