"""Phone numbers in E.164, read the way a buyer types them into an address form."""

from __future__ import annotations

import phonenumbers

from caravan.kernel.errors import ValidationFailed


def to_e164(raw: str, *, region: str = "RU") -> str:
    """ "8 (900) 123-45-67" with region RU -> "+79001234567". A number written with its
    country code ("+49 ...") keeps it whatever the region. Raises ValidationFailed
    (code invalid_phone) for anything that is not a valid number."""
    try:
        number = phonenumbers.parse(raw, region.upper() or None)
    except phonenumbers.NumberParseException as error:
        raise ValidationFailed(f"not a phone number: {raw[:40]!r}", code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed(f"not a valid phone number: {raw[:40]!r}", code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
