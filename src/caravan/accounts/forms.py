"""Account forms: sign-in (a throttled sign-in says when to come back) and addresses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRIES, COUNTRY_CHOICES

from . import throttling
from .address_rules import address_layout, example_phone
from .services import AddressRejected, check_address


class ThrottledSignInForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            refusal = throttling.refusal_of(self.request)
            if refusal is None:
                raise
            raise ValidationError(refusal.message, code="throttled") from None

    @property
    def is_throttled(self) -> bool:
        return any(error.code == "throttled" for error in self.non_field_errors().as_data())


class ThrottledAdminSignInForm(ThrottledSignInForm, AdminAuthenticationForm):
    """The admin's login form (accounts.admin sets it on the admin site)."""


class AddressForm(forms.Form):
    """An address form for one country: its fields in the order its post writes them, its
    labels ("ZIP code", "State", "Postcode"), its required fields and its list of regions
    (accounts.address_rules). Cleaning runs accounts.services.check_address, so the form and
    the service refuse the same things with the same field-level messages; cleaned_data is
    the address as it will be saved (phone in E.164, postal code and region normalised)."""

    # The checkout hides this form while a saved address is chosen; the server validates it
    # only when "a new address" is, so the browser must not insist. Required fields carry a
    # visible marker instead (`is_required` on the bound field).
    use_required_attribute = False

    full_name = forms.CharField(
        label=_("Recipient"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES)

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layout = address_layout(country)
        self.fields["country"].initial = country
        self.fields["phone"].help_text = _("With the country code, for example %(example)s") % {
            "example": example_phone(country)
        }
        autocomplete = {
            "region": "address-level1",
            "city": "address-level2",
            "city_area": "address-level3",
            "postal_code": "postal-code",
            "street": "street-address",
        }
        for name in self.layout.fields:
            required = name in self.layout.required
            attrs = {"autocomplete": autocomplete[name]}
            field: forms.Field
            if name == "region" and self.layout.region_choices:
                field = forms.ChoiceField(
                    choices=[("", "—"), *self.layout.region_choices],
                    widget=forms.Select(attrs=attrs),
                )
            else:
                length = {"street": 255, "postal_code": 16}.get(name, 100)
                field = forms.CharField(max_length=length, widget=forms.TextInput(attrs=attrs))
            field.label = str(self.layout.label(name))
            field.required = required
            self.fields[name] = field
        self.order_fields(["full_name", "phone", "country", *self.layout.fields])

    @staticmethod
    def country_in(data: Mapping[str, Any] | None, *, prefix: str, default: str) -> str:
        """The country a posted (or re-fetched) form is for; `default` when none is given."""
        posted = str((data or {}).get(f"{prefix}-country" if prefix else "country", ""))
        return posted if posted in COUNTRIES else default

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The country's rules run even when a field is already refused, so the buyer sees
        # every wrong field at once (a field keeps its first message).
        try:
            return check_address(
                full_name=cleaned.get("full_name", ""),
                phone=cleaned.get("phone", ""),
                country=self.layout.country,
                region=cleaned.get("region", ""),
                city=cleaned.get("city", ""),
                city_area=cleaned.get("city_area", ""),
                postal_code=cleaned.get("postal_code", ""),
                street=cleaned.get("street", ""),
            )
        except AddressRejected as refusal:
            for name, message in refusal.errors.items():
                if name in self.errors:
                    continue
                self.add_error(name if name in self.fields else None, message)
            return cleaned
