"""Forms of the application to sell, staff management, the store profile and payouts.

They only parse input; the sellers services validate (tax ids, phones, banks, documents) and
report problems by field, which the views put back on these forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.money import CURRENCY_CHOICES
from caravan.sellers.models import Membership, Seller, SellerDocument
from caravan.sellers.services.onboarding import ApplicationInput

from .access import LEAST_PRIVILEGED_ROLE

BLANK: list[tuple[str, Any]] = [("", "—")]


def _text(label: Any, *, max_length: int, help_text: Any = "", **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _choice(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=BLANK + choices)


class ApplicationForm(forms.Form):
    """Every answer is optional here: a draft may be incomplete; submitting checks it all."""

    legal_name = _text(_("Legal name"), max_length=200, autocomplete="organization")
    trading_name = _text(
        _("Trading name"), max_length=120, help_text=_("The shop name buyers see.")
    )
    country = _choice(_("Country of registration"), COUNTRY_CHOICES)
    business_type = forms.ChoiceField(
        label=_("Business type"),
        required=False,
        choices=Seller.BusinessType.choices,
        widget=forms.RadioSelect,
    )
    tax_id = _text(
        _("Tax id"),
        max_length=32,
        help_text=_("Russia: INN; EU: VAT number; China: Unified Social Credit Code; Turkey: VKN."),
    )
    registration_number = _text(
        _("Registration number"),
        max_length=32,
        help_text=_("Russia: OGRN, or OGRNIP for an individual entrepreneur."),
    )
    phone = _text(_("Contact phone"), max_length=32, type="tel", autocomplete="tel")
    return_street = _text(_("Street, building"), max_length=255)
    return_city = _text(_("City"), max_length=100)
    return_postal_code = _text(_("Postal code"), max_length=16)
    return_country = _choice(_("Country"), COUNTRY_CHOICES)
    price_currency = _choice(_("Price currency"), CURRENCY_CHOICES)
    payout_currency = _choice(_("Payout currency"), CURRENCY_CHOICES)
    bank_country = _choice(_("Bank country"), COUNTRY_CHOICES)
    account_holder = _text(_("Account holder"), max_length=200)
    bank_name = _text(_("Bank name"), max_length=200)
    iban = _text(_("IBAN"), max_length=42, help_text=_("For banks in countries that use IBAN."))
    bic = _text(_("BIC (SWIFT)"), max_length=11)
    bik = _text(
        _("BIK"), max_length=9, help_text=_("Russian banks: 9 digits."), inputmode="numeric"
    )
    account_number = _text(
        _("Account number"),
        max_length=40,
        help_text=_("Where there is no IBAN. Russian banks: 20 digits."),
    )
    document_kind = forms.ChoiceField(
        label=_("Document type"),
        required=False,
        choices=SellerDocument.Kind.choices,
        initial=SellerDocument.Kind.REGISTRATION,
    )
    document = forms.FileField(
        label=_("Add a document"),
        required=False,
        help_text=_("PDF, JPEG, PNG or WebP, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )

    SECTIONS = (
        (_("Business"), ("legal_name", "trading_name", "country", "business_type")),
        (_("Registration"), ("tax_id", "registration_number", "phone")),
        (
            _("Return address"),
            ("return_street", "return_city", "return_postal_code", "return_country"),
        ),
        (
            _("Money"),
            (
                "price_currency",
                "payout_currency",
                "bank_country",
                "account_holder",
                "bank_name",
                "iban",
                "bic",
                "bik",
                "account_number",
            ),
        ),
    )

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def application_input(self) -> ApplicationInput:
        data = self.cleaned_data
        return ApplicationInput(
            **{name: data.get(name) or "" for name in ApplicationInput.__dataclass_fields__}
        )

    def add_service_errors(self, errors: Mapping[str, list[str]]) -> None:
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


def application_initial(seller: Seller | None) -> dict[str, str]:
    if seller is None:
        return {}
    initial = {
        "legal_name": seller.legal_name,
        "trading_name": seller.name,
        "country": seller.country,
        "business_type": seller.business_type,
        "tax_id": seller.tax_id,
        "registration_number": seller.registration_number,
        "phone": seller.phone,
        "return_street": seller.return_street,
        "return_city": seller.return_city,
        "return_postal_code": seller.return_postal_code,
        "return_country": seller.return_country,
        "price_currency": seller.currency,
    }
    payout = getattr(seller, "payout_details", None)
    if payout is not None:
        initial.update(
            payout_currency=payout.currency,
            bank_country=payout.bank_country,
            account_holder=payout.account_holder,
            bank_name=payout.bank_name,
            iban=payout.iban,
            bic=payout.bic,
            bik=payout.bik,
            account_number=payout.account_number,
        )
    return initial


STAFF_ROLE_CHOICES = Membership.Role.choices


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=STAFF_ROLE_CHOICES, initial=LEAST_PRIVILEGED_ROLE
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES)


class StoreProfileForm(forms.Form):
    description_ru = forms.CharField(
        label=_("Description (Russian)"), required=False, max_length=5000, widget=forms.Textarea
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, max_length=5000, widget=forms.Textarea
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A square JPEG, PNG or WebP picture, up to 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


class PayoutForm(forms.Form):
    currency = forms.ChoiceField(label=_("Payout currency"), choices=BLANK + CURRENCY_CHOICES)
    bank_country = forms.ChoiceField(label=_("Bank country"), choices=BLANK + COUNTRY_CHOICES)
    account_holder = forms.CharField(label=_("Account holder"), max_length=200)
    bank_name = forms.CharField(label=_("Bank name"), max_length=200, required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    bic = forms.CharField(label=_("BIC (SWIFT)"), max_length=11, required=False)
    bik = forms.CharField(label=_("BIK"), max_length=9, required=False)
    account_number = forms.CharField(label=_("Account number"), max_length=40, required=False)

    # The service names the payout currency as in the application.
    SERVICE_FIELDS = {"payout_currency": "currency"}

    def add_service_errors(self, errors: Mapping[str, list[str]]) -> None:
        for field, messages in errors.items():
            name = self.SERVICE_FIELDS.get(field, field)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
