"""When two addresses are the same one: the comparison behind Address.key."""

from __future__ import annotations

import hashlib
import re


def _words(text: str) -> str:
    # "ул. Тверская, д. 1" and "ул Тверская д 1" are one street, and the letter yo is often typed as ye.
    folded = text.casefold().replace("ё", "е")
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def address_key(
    *,
    full_name: str,
    phone: str,
    country: str,
    city: str,
    postal_code: str,
    street: str,
    region: str = "",
    city_area: str = "",
) -> str:
    """A digest of the address with case, spacing and punctuation folded away, the phone
    reduced to its digits and the postal code to its letters and digits."""
    parts: tuple[str, ...] = (
        _words(full_name),
        re.sub(r"\D", "", phone),
        country.strip().upper(),
        _words(city),
        re.sub(r"[\W_]", "", postal_code).upper(),
        _words(street),
    )
    # Appended only when present, so an address without them keeps the key it always had.
    if region or city_area:
        parts += (_words(region), _words(city_area))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
