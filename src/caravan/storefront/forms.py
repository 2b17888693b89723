"""Storefront forms: they parse and validate input; the services decide the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caravan.accounts.forms import ThrottledSignInForm
from caravan.cart.services import MAX_LINE_QUANTITY
from caravan.kernel.countries import COUNTRIES, COUNTRY_CHOICES
from caravan.offers.models import Offer
from caravan.search.backends import MAX_QUERY_LENGTH
from caravan.search.facets import DELIVERY_WITHIN
from caravan.search.selectors import ProductQuery, Sort

SORT_CHOICES = [
    (Sort.RELEVANCE, _("Popular")),
    (Sort.PRICE_ASC, _("Cheapest first")),
    (Sort.LANDED, _("Cheapest with delivery")),
    (Sort.FASTEST, _("Fastest delivery")),
    (Sort.PRICE_DESC, _("Most expensive first")),
    (Sort.NEWEST, _("Newest")),
]
CONDITION_CHOICES = Offer.Condition.choices
DELIVERY_CHOICES = [(str(days), str(days)) for days in DELIVERY_WITHIN]
MAX_FACET_VALUES = 30
# ships_to=any: every seller's goods, also those not delivered to the buyer's country (the
# listing otherwise shows only what is delivered there).
SHIPS_TO_ANY = "any"
# Fields a person types into; errors in the others come from edited URLs and are ignored.
TYPED_FIELDS = ("price_min", "price_max")


class _Values(forms.Field):
    """A repeated query parameter (?seller=3&seller=7), at most MAX_FACET_VALUES of it."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(item)[:200] for item in values[:MAX_FACET_VALUES]]


class ListingForm(forms.Form):
    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH, strip=True)
    price_min = forms.DecimalField(
        label=pgettext_lazy("price", "from"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    price_max = forms.DecimalField(
        label=pgettext_lazy("price", "to"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    ships_from = forms.MultipleChoiceField(required=False, choices=COUNTRY_CHOICES)
    # Country codes, or SHIPS_TO_ANY; absent: the buyer's country (to_query).
    ships_to = _Values(required=False)
    category = forms.IntegerField(required=False, min_value=1)
    seller = _Values(required=False)
    condition = forms.MultipleChoiceField(required=False, choices=CONDITION_CHOICES)
    delivery = forms.TypedChoiceField(required=False, choices=DELIVERY_CHOICES, coerce=int)
    attr = _Values(required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def clean_seller(self) -> list[int]:
        return [
            int(value)
            for value in self.cleaned_data["seller"]
            if value.isdigit() and len(value) < 10
        ]

    def clean_ships_to(self) -> list[str]:
        # Unknown codes come from edited URLs and are dropped, as the other facets do.
        return [
            value.upper() if value != SHIPS_TO_ANY else value
            for value in self.cleaned_data["ships_to"]
            if value == SHIPS_TO_ANY or value.upper() in COUNTRIES
        ]

    def clean_attr(self) -> list[str]:
        # "code:value"; anything else comes from an edited URL and would match nothing.
        return [value[:200] for value in self.cleaned_data["attr"] if ":" in value]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The upper price is below the lower one."))
        return cleaned

    def to_query(
        self, *, category_ids: tuple[int, ...], page: int, currency: str = "", country: str = ""
    ) -> ProductQuery:
        """The valid parts of the input; an invalid field is left out of the query. The
        price bounds are in `currency` (the buyer's; empty: the marketplace's). Unless the
        buyer chose countries or SHIPS_TO_ANY, only what is delivered to `country` (the
        buyer's) is listed."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        chosen = data.get("ships_to") or []
        countries = tuple(code for code in chosen if code != SHIPS_TO_ANY)
        if not countries and SHIPS_TO_ANY not in chosen and country:
            countries = (country,)
        return ProductQuery(
            text=(data.get("q") or "")[:MAX_QUERY_LENGTH],
            category_ids=category_ids,
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            currency=currency,
            ships_from=tuple(data.get("ships_from") or ()),
            ships_to=countries,
            country=country,
            category=data.get("category"),
            sellers=tuple(data.get("seller") or ()),
            conditions=tuple(data.get("condition") or ()),
            delivery_within=data.get("delivery") or None,
            attributes=tuple(data.get("attr") or ()),
            sort=data.get("sort") or Sort.RELEVANCE,
            page=page,
        )

    def visible_errors(self) -> dict[str, list[str]]:
        return {
            name: [str(error) for error in self.errors[name]]
            for name in TYPED_FIELDS
            if name in self.errors
        }


def parse_page(value: str | None) -> int:
    """page=abc or page=-3 is page 1; a page past the end is the last (Paginator.get_page)."""
    try:
        page = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return page if page >= 1 else 1


class AddToCartForm(forms.Form):
    offer = forms.CharField(max_length=16)
    quantity = forms.IntegerField(min_value=1, max_value=MAX_LINE_QUANTITY, initial=1)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=0, max_value=MAX_LINE_QUANTITY)


class DeliveryChoiceForm(forms.Form):
    seller = forms.IntegerField(min_value=1)
    method = forms.IntegerField(min_value=1)


class SignInForm(ThrottledSignInForm):
    """Email and password; AuthenticationForm's username field is the email (USERNAME_FIELD)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )
        self.fields["password"].label = _("Password")

    def clean_username(self) -> str:
        # Accounts store the email lower-cased (accounts.services.register_user).
        return str(self.cleaned_data.get("username") or "").strip().lower()


class RegisterForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    full_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits and not a common password."),
    )


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})
