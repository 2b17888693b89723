"""Customs territories: a rule may be written for one country or for a customs union.

A parcel that stays inside one territory crosses no customs border, whatever its goods'
origin: a Kazan seller's parcel to Almaty is not an import.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from caravan.kernel.countries import COUNTRY_CHOICES

EAEU = "EAEU"
EU = "EU"
UNION_MEMBERS: dict[str, frozenset[str]] = {
    # Treaty on the Eurasian Economic Union: Armenia, Belarus, Kazakhstan, Kyrgyzstan, Russia.
    EAEU: frozenset({"AM", "BY", "KG", "KZ", "RU"}),
    EU: frozenset(
        {
            "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
            "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
        }
    ),
}  # fmt: skip
UNION_NAMES = {EAEU: _("Eurasian Economic Union"), EU: _("European Union")}
DESTINATION_CHOICES = [(code, name) for code, name in UNION_NAMES.items()] + COUNTRY_CHOICES


def union_of(country: str) -> str | None:
    for union, members in UNION_MEMBERS.items():
        if country in members:
            return union
    return None


def destinations_for(country: str) -> list[str]:
    """The rule destinations that cover `country`, the most specific first."""
    union = union_of(country)
    return [country, union] if union else [country]


def same_customs_territory(first: str, second: str) -> bool:
    return first == second or (union_of(first) is not None and union_of(first) == union_of(second))
