"""Customs classification of a product: the HS code, the EAEU national code, the origin.

The Harmonized System code is the six digits every customs administration shares; the
EAEU commodity nomenclature (TN VED EAEU) extends it to ten. Sellers type them with dots
and spaces ("6109.10", "6109 10 000 0"), so codes are compared and stored as digits only.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from caravan.kernel.countries import COUNTRIES

HS_CODE_LENGTH = 6
EAEU_CODE_LENGTH = 10
# HS chapters run 01-97; chapter 77 is reserved for future use and 98-99 for national use.
_RESERVED_CHAPTERS = {77}
_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_code(text: str) -> str:
    return _SEPARATORS.sub("", text or "")


def hs_code_error(code: str) -> str | None:
    """Why `code` (already normalised) is not an HS code, or None when it is one."""
    if len(code) != HS_CODE_LENGTH or not code.isascii() or not code.isdigit():
        return _("An HS code has exactly 6 digits, for example 6109.10.")
    chapter = int(code[:2])
    if not 1 <= chapter <= 97 or chapter in _RESERVED_CHAPTERS:
        return _("HS chapter %(chapter)s does not exist: chapters run from 01 to 97.") % {
            "chapter": code[:2]
        }
    return None


def eaeu_code_error(code: str, *, hs_code: str) -> str | None:
    """Why `code` is not the ten-digit EAEU code of `hs_code`, or None."""
    if len(code) != EAEU_CODE_LENGTH or not code.isascii() or not code.isdigit():
        return _("An EAEU (TN VED) code has exactly 10 digits, for example 6109 10 000 0.")
    if not hs_code:
        return _("Give the 6-digit HS code as well: the EAEU code extends it.")
    if not code.startswith(hs_code):
        return _("The EAEU code %(code)s does not start with the HS code %(hs_code)s.") % {
            "code": code,
            "hs_code": hs_code,
        }
    return None


def origin_error(country: str) -> str | None:
    if country not in COUNTRIES:
        return _("Unknown country of origin: %(country)s.") % {"country": country}
    return None


def validate_hs_code(value: str) -> None:
    """Field validator (admin and model forms); services call hs_code_error directly."""
    if value and (message := hs_code_error(normalize_code(value))):
        raise ValidationError(message, code="invalid_hs_code")


def validate_eaeu_code_format(value: str) -> None:
    """Field validator for the format alone; the prefix rule needs the HS code beside it
    and is checked in Product.clean and the services."""
    code = normalize_code(value)
    if value and (len(code) != EAEU_CODE_LENGTH or not code.isdigit()):
        raise ValidationError(
            _("An EAEU (TN VED) code has exactly 10 digits, for example 6109 10 000 0."),
            code="invalid_eaeu_code",
        )
