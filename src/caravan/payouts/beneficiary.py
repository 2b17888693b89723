"""Who a payout goes to: the seller's payout details, checked and frozen at the run.

The details were validated when the seller entered them, but a run checks again: a bank file
with one malformed line is refused whole by the bank, so a seller whose details would not go
through is skipped (with the reason) rather than sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from caravan.kernel.errors import ValidationFailed
from caravan.sellers.models import PayoutDetails, Seller
from caravan.sellers.validators import (
    BANK_SCHEME_BIK,
    bank_scheme,
    validate_bic,
    validate_bik,
    validate_iban,
    validate_ru_account,
)


@dataclass(frozen=True)
class Beneficiary:
    account_holder: str
    inn: str
    bik: str
    account_number: str
    iban: str
    bic: str
    bank_name: str
    bank_country: str


class DetailsIncomplete(ValidationFailed):
    code = "payout_details_incomplete"


def _details(seller: Seller) -> PayoutDetails | None:
    try:
        return seller.payout_details
    except ObjectDoesNotExist:
        return None


def beneficiary_for(*, seller: Seller, currency: str) -> Beneficiary:
    """The frozen beneficiary of a payout in `currency`, or DetailsIncomplete saying what is
    missing. RUB goes by BIK, a 20-digit account and the seller's INN; other currencies by
    SWIFT (BIC) and an IBAN where the bank's country has them, an account number elsewhere."""
    details = _details(seller)
    if details is None or not details.currency:
        raise DetailsIncomplete(_("The seller has not entered payout details"))
    if details.currency != currency:
        raise DetailsIncomplete(
            _("The payout details are for %(details)s, not %(currency)s")
            % {"details": details.currency, "currency": currency},
            code="payout_details_currency",
        )
    holder = details.account_holder.strip() or seller.legal_name.strip()
    if not holder:
        raise DetailsIncomplete(_("The account holder is missing"))
    try:
        if currency == "RUB":
            return _domestic_rub(seller=seller, details=details, holder=holder)
        return _cross_border(details=details, holder=holder)
    except DetailsIncomplete:
        raise
    except ValidationFailed as error:
        raise DetailsIncomplete(error.message) from error


def _domestic_rub(*, seller: Seller, details: PayoutDetails, holder: str) -> Beneficiary:
    if details.bank_country != "RU" or bank_scheme(details.bank_country) != BANK_SCHEME_BIK:
        raise DetailsIncomplete(_("A rouble payout needs an account in a Russian bank"))
    if not details.bik or not details.account_number:
        raise DetailsIncomplete(_("A rouble payout needs the bank's BIK and the account number"))
    inn = seller.tax_id.strip()
    if not (inn.isdigit() and len(inn) in (10, 12)):
        raise DetailsIncomplete(_("A rouble payout needs the seller's INN (10 or 12 digits)"))
    bik = validate_bik(value=details.bik)
    return Beneficiary(
        account_holder=holder,
        inn=inn,
        bik=bik,
        account_number=validate_ru_account(bik=bik, value=details.account_number),
        iban="",
        bic="",
        bank_name=details.bank_name.strip(),
        bank_country=details.bank_country,
    )


def _cross_border(*, details: PayoutDetails, holder: str) -> Beneficiary:
    if not details.bank_country:
        raise DetailsIncomplete(_("The bank's country is missing"))
    if not details.bic:
        raise DetailsIncomplete(_("The bank's SWIFT code (BIC) is missing"))
    if not details.iban and not details.account_number:
        raise DetailsIncomplete(_("The IBAN or account number is missing"))
    iban = validate_iban(country=details.bank_country, value=details.iban) if details.iban else ""
    return Beneficiary(
        account_holder=holder,
        inn="",
        bik="",
        account_number="" if iban else details.account_number.strip(),
        iban=iban,
        bic=validate_bic(value=details.bic),
        bank_name=details.bank_name.strip(),
        bank_country=details.bank_country,
    )
