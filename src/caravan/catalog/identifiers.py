"""Product identifiers and their normal forms: GTIN/EAN and brand + manufacturer part number.

Two sellers typing the same product differently must land on the same catalog entry, so
matching compares normal forms, never the raw text: a GTIN is the same number whatever its
zero padding (an EAN-13 is a GTIN-14 with a leading zero), and "Sony WH-1000XM4" equals
"SONY wh 1000 xm4".
"""

from __future__ import annotations

import re
import unicodedata

GTIN_LENGTHS = (8, 12, 13, 14)
MAX_MPN_LENGTH = 64
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+", re.UNICODE)


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (weights 3,1,3,... from the right)."""
    total = sum(
        int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body))
    )
    return (10 - total % 10) % 10


def is_valid_gtin(gtin: str) -> bool:
    return (
        gtin.isascii()
        and gtin.isdigit()
        and len(gtin) in GTIN_LENGTHS
        and gtin_check_digit(gtin[:-1]) == int(gtin[-1])
    )


def gtin_forms(gtin: str) -> list[str]:
    """Every stored spelling of the same GTIN: it padded with zeros to each length it fits.
    Matching looks up all of them, so the index on the raw column still serves the query."""
    significant = gtin.lstrip("0") or "0"
    return [significant.zfill(length) for length in GTIN_LENGTHS if len(significant) <= length]


def normalise_code(text: str) -> str:
    """Case, width, spaces and punctuation do not distinguish brands or part numbers."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_ALPHANUMERIC.sub("", folded)


def brand_mpn_key(*, brand: str, mpn: str) -> str:
    """The matching key of a brand's part number; empty when either is missing, because a
    part number alone is not unique across brands."""
    brand_part = normalise_code(brand)
    mpn_part = normalise_code(mpn)
    if not brand_part or not mpn_part:
        return ""
    return f"{brand_part}:{mpn_part}"
