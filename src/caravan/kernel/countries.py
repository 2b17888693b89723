"""Countries the marketplace trades with (ISO 3166-1 alpha-2), names translatable."""

from django.utils.translation import gettext_lazy as _

COUNTRIES = {
    "RU": _("Russia"),
    "CN": _("China"),
    "DE": _("Germany"),
    "TR": _("Turkey"),
    "KZ": _("Kazakhstan"),
    "BY": _("Belarus"),
    "IT": _("Italy"),
    "FR": _("France"),
    "US": _("United States"),
    "GB": _("United Kingdom"),
    "UZ": _("Uzbekistan"),
    "AM": _("Armenia"),
}
COUNTRY_CHOICES = list(COUNTRIES.items())
COUNTRY_FLAGS = {
    code: chr(0x1F1E6 + ord(code[0]) - 65) + chr(0x1F1E6 + ord(code[1]) - 65) for code in COUNTRIES
}


def country_name(code: str) -> str:
    return str(COUNTRIES.get(code, code))
