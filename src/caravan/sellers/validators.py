"""Checks of what an applicant types: tax ids, phone numbers, bank details and documents.

Each check returns the value in its stored (compact, canonical) form or raises
ValidationFailed with a stable code and a message the applicant can act on. Tax ids use
python-stdnum where it has a validator for the country; where it has none, the country's
published format (digits and length) is checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

import phonenumbers
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import InvalidCountryCode, SchwiftyException
from schwifty.registry import get_iban_spec
from stdnum import exceptions as stdnum_errors
from stdnum.by import unp
from stdnum.cn import uscc
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.ru import inn, ogrn
from stdnum.tr import tckimlik, vkn
from stdnum.us import ein, tin

from caravan.kernel import uploads
from caravan.kernel.errors import ValidationFailed

INDIVIDUAL = "individual"
COMPANY = "company"
EU_VAT_COUNTRIES = frozenset({"DE", "IT", "FR"})
# Tax numbers without a python-stdnum module: (digits, what the number is called).
TAX_ID_DIGITS = {"KZ": 12, "UZ": 9, "AM": 8}


def _invalid_tax_id(detail: str) -> ValidationFailed:
    return ValidationFailed(
        _("This tax id is not valid: %(detail)s") % {"detail": detail}, code="invalid_tax_id"
    )


def _stdnum(validate: Callable[[str], str], value: str, detail: str) -> str:
    try:
        return validate(value)
    except stdnum_errors.ValidationError as error:
        raise _invalid_tax_id(detail) from error


def validate_tax_id(*, country: str, business_type: str, value: str) -> str:
    """The tax id in compact form for the country and kind of business."""
    raw = value.strip()
    if not raw:
        raise ValidationFailed(_("Enter the tax id."), code="required")
    if country == "RU":
        number = _stdnum(inn.validate, raw, _("a Russian INN has 10 or 12 digits with checksums"))
        if business_type == COMPANY and len(number) != 10:
            raise _invalid_tax_id(_("a company's INN has 10 digits"))
        if business_type == INDIVIDUAL and len(number) != 12:
            raise _invalid_tax_id(_("an individual entrepreneur's INN has 12 digits"))
        return number
    if country in EU_VAT_COUNTRIES:
        compact = re.sub(r"[\s.-]", "", raw).upper()
        if not compact[:2].isalpha():
            compact = f"{country}{compact}"
        if compact[:2] != country:
            raise _invalid_tax_id(_("the VAT number belongs to another country"))
        return _stdnum(eu_vat.validate, compact, _("an EU VAT number such as DE123456789"))
    if country == "GB":
        return _stdnum(gb_vat.validate, raw, _("a UK VAT number has 9 or 12 digits"))
    if country == "CN":
        return _stdnum(
            uscc.validate, raw, _("a Unified Social Credit Code has 18 characters with a checksum")
        )
    if country == "TR":
        if business_type == INDIVIDUAL and len(tckimlik.compact(raw)) == 11:
            return _stdnum(tckimlik.validate, raw, _("a T.C. Kimlik number has 11 digits"))
        return _stdnum(vkn.validate, raw, _("a Turkish VKN has 10 digits with a checksum"))
    if country == "BY":
        return _stdnum(unp.validate, raw, _("a Belarusian UNP has 9 characters"))
    if country == "US":
        if business_type == COMPANY:
            return _stdnum(ein.validate, raw, _("an EIN has 9 digits (12-3456789)"))
        return _stdnum(tin.validate, raw, _("a US taxpayer id has 9 digits"))
    if country in TAX_ID_DIGITS:
        digits = TAX_ID_DIGITS[country]
        compact = re.sub(r"[\s-]", "", raw)
        if not (compact.isdigit() and len(compact) == digits):
            raise _invalid_tax_id(_("it has %(digits)d digits") % {"digits": digits})
        return compact
    raise ValidationFailed(_("Choose a supported country first."), code="invalid_country")


def validate_registration_number(*, country: str, business_type: str, value: str) -> str:
    """Russia's OGRN (companies, 13 digits) or OGRNIP (entrepreneurs, 15); free text elsewhere."""
    raw = value.strip()
    if country != "RU":
        return raw
    if not raw:
        raise ValidationFailed(
            _("Enter the OGRN (OGRNIP for an individual entrepreneur)."), code="required"
        )
    try:
        number = ogrn.validate(raw)
    except stdnum_errors.ValidationError as error:
        raise ValidationFailed(
            _("This OGRN is not valid: 13 digits (OGRNIP: 15) with a checksum."),
            code="invalid_registration_number",
        ) from error
    expected = 15 if business_type == INDIVIDUAL else 13
    if len(number) != expected:
        message = (
            _("An individual entrepreneur's OGRNIP has 15 digits.")
            if business_type == INDIVIDUAL
            else _("A company's OGRN has 13 digits.")
        )
        raise ValidationFailed(message, code="invalid_registration_number")
    return number


def normalize_phone(*, country: str, value: str) -> str:
    """The number in E.164 (+79001234567); a national number is read in the seller's country."""
    raw = value.strip()
    if not raw:
        raise ValidationFailed(_("Enter a contact phone number."), code="required")
    try:
        parsed = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException as error:
        raise ValidationFailed(
            _("This is not a phone number. Write it with the country code: +7 900 123-45-67."),
            code="invalid_phone",
        ) from error
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationFailed(
            _("This phone number does not exist in its country's numbering plan."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# --- Bank details -------------------------------------------------------------------------

BANK_SCHEME_IBAN = "iban"
BANK_SCHEME_BIK = "bik"
BANK_SCHEME_BIC = "bic"


def bank_scheme(country: str) -> str:
    """How a bank account in the country is written for a payout.

    Russia has IBAN in the registry, but domestic payouts go by BIK and a 20-digit account."""
    if country == "RU":
        return BANK_SCHEME_BIK
    try:
        get_iban_spec(country)
    except InvalidCountryCode:
        return BANK_SCHEME_BIC
    return BANK_SCHEME_IBAN


def validate_iban(*, country: str, value: str) -> str:
    try:
        iban = IBAN(value)
    except SchwiftyException as error:
        raise ValidationFailed(
            _("This IBAN is not valid: check the country code, the length and the check digits."),
            code="invalid_iban",
        ) from error
    if country and iban.country_code != country:
        raise ValidationFailed(
            _("This IBAN belongs to a bank in another country (%(code)s).")
            % {"code": iban.country_code},
            code="invalid_iban",
        )
    return str(iban.compact)


def validate_bic(*, value: str) -> str:
    try:
        bic = BIC(value)
    except SchwiftyException as error:
        raise ValidationFailed(
            _("This BIC (SWIFT code) is not valid: 8 or 11 characters such as DEUTDEFF."),
            code="invalid_bic",
        ) from error
    return str(bic.compact)


def validate_bik(*, value: str) -> str:
    compact = value.strip()
    # A Bank of Russia BIK: 9 digits, the first two are the country code 04.
    if not re.fullmatch(r"04\d{7}", compact):
        raise ValidationFailed(_("A BIK has 9 digits and starts with 04."), code="invalid_bik")
    return compact


def validate_ru_account(*, bik: str, value: str) -> str:
    """A 20-digit settlement account whose control digit matches the bank's BIK.

    The Bank of Russia's key: the BIK's last three digits then the account, weighted
    7, 1, 3 repeating; the sum of the last digits of the products ends in 0."""
    compact = re.sub(r"\s", "", value)
    if not re.fullmatch(r"\d{20}", compact):
        raise ValidationFailed(_("A Russian bank account has 20 digits."), code="invalid_account")
    digits = bik[-3:] + compact
    total = sum((int(digit) * (7, 1, 3)[index % 3]) % 10 for index, digit in enumerate(digits))
    if total % 10 != 0:
        raise ValidationFailed(
            _("This account number does not match the bank's BIK (the control digit is wrong)."),
            code="invalid_account",
        )
    return compact


def validate_account_number(*, value: str) -> str:
    compact = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"[A-Za-z0-9]{4,34}", compact):
        raise ValidationFailed(
            _("An account number has 4 to 34 letters and digits."), code="invalid_account"
        )
    return compact.upper()


# --- Documents ------------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CheckedDocument:
    """What is stored: a PDF as uploaded (it parsed), a picture re-encoded without its
    metadata (`content`), named with the extension of its real type."""

    content_type: str
    content: bytes | None = None
    extension: str = "pdf"


def check_document(*, stream: IO[bytes], size: int) -> CheckedDocument:
    """The document's real type (PDF, JPEG, PNG or WebP), read from its bytes.

    The name and the browser's declared type are ignored: only the content counts. A PDF must
    parse as one; a picture is decoded and encoded again."""
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(
            _("The file is larger than 10 MB. Scan it at a lower resolution or compress it."),
            code="document_too_large",
        )
    if size == 0:
        raise ValidationFailed(_("The file is empty."), code="document_empty")
    stream.seek(0)
    head = stream.read(1024)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        uploads.check_pdf(stream)
        return CheckedDocument(content_type=uploads.PDF_TYPE)
    try:
        image = uploads.read_image(stream)
    except ValidationFailed as error:
        if error.code in ("image_unreadable", "image_svg"):
            raise ValidationFailed(
                _("Upload a PDF or a picture (JPEG, PNG, WebP)."), code="document_type"
            ) from error
        raise
    return CheckedDocument(
        content_type=image.content_type, content=image.content, extension=image.extension
    )


MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 2000


def check_logo(*, stream: IO[bytes], size: int) -> uploads.CleanImage:
    """A logo is a JPEG, PNG or WebP picture of at most 2 MB and 2000 px a side; what is
    stored is the re-encoded picture."""
    if size > MAX_LOGO_BYTES:
        raise ValidationFailed(_("The logo is larger than 2 MB."), code="logo_too_large")
    try:
        image = uploads.read_image(stream)
    except ValidationFailed as error:
        if error.code in ("image_unreadable", "image_svg"):
            raise ValidationFailed(
                _("The logo must be a JPEG, PNG or WebP picture."), code="logo_type"
            ) from error
        raise
    if max(image.width, image.height) > MAX_LOGO_SIDE:
        raise ValidationFailed(
            _("The logo is larger than 2000 pixels on a side."), code="logo_too_large"
        )
    return image
