"""What an approved seller keeps up to date: the store profile and the payout account."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import PermissionDenied, ValidationFailed
from caravan.kernel.money import MINOR_UNITS

from .. import validators
from ..models import Membership, PayoutDetails, Seller
from .onboarding import ApplicationInput, ApplicationInvalid, _Errors, _validated_bank

Role = Membership.Role
PROFILE_EDITORS = frozenset({Role.OWNER, Role.MANAGER, Role.CATALOG})
PAYOUT_EDITORS = frozenset({Role.OWNER, Role.FINANCE})
MAX_DESCRIPTION = 5000


def _require_role(*, seller: Seller, actor: User, roles: frozenset[str]) -> None:
    role = (
        Membership.objects.filter(seller=seller, user=actor).values_list("role", flat=True).first()
    )
    if role not in roles:
        raise PermissionDenied(_("Your role cannot change this."), code="role_forbidden")


@transaction.atomic
def update_store_profile(
    *,
    seller: Seller,
    actor: User,
    description_ru: str,
    description_en: str,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> Seller:
    _require_role(seller=seller, actor=actor, roles=PROFILE_EDITORS)
    errors = _Errors()
    for field, value in (("description_ru", description_ru), ("description_en", description_en)):
        if len(value) > MAX_DESCRIPTION:
            errors.add(field, _("At most %(count)d characters.") % {"count": MAX_DESCRIPTION})
    clean_logo = None
    if logo is not None:
        try:
            clean_logo = validators.check_logo(stream=logo, size=logo.size or 0)
        except ValidationFailed as error:
            errors.check("logo", error)
    errors.raise_any()
    locked = Seller.objects.select_for_update().get(id=seller.id)
    locked.description_ru = description_ru.strip()
    locked.description_en = description_en.strip()
    old_logo = locked.logo.name if locked.logo else ""
    if logo is not None and clean_logo is not None:
        # The re-encoded picture, named by its real type (see kernel.uploads.read_image).
        locked.logo.save(
            f"logo.{clean_logo.extension}", ContentFile(clean_logo.content), save=False
        )
    elif remove_logo:
        locked.logo = None  # type: ignore[assignment]
    locked.save()
    if old_logo and (logo is not None or remove_logo):
        storage = locked.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return locked


@transaction.atomic
def update_payout_details(
    *,
    seller: Seller,
    actor: User,
    currency: str,
    bank_country: str,
    account_holder: str,
    bank_name: str = "",
    iban: str = "",
    account_number: str = "",
    bic: str = "",
    bik: str = "",
) -> PayoutDetails:
    """Owners and finance only; the account is checked the way an application's is."""
    _require_role(seller=seller, actor=actor, roles=PAYOUT_EDITORS)
    data = ApplicationInput(
        payout_currency=currency,
        bank_country=bank_country,
        account_holder=account_holder,
        bank_name=bank_name,
        iban=iban,
        account_number=account_number,
        bic=bic,
        bik=bik,
    ).cleaned()
    errors = _Errors()
    if data.payout_currency not in MINOR_UNITS:
        errors.add("payout_currency", _("Choose a currency from the list."))
    if data.bank_country not in COUNTRIES:
        errors.add("bank_country", _("Choose a country from the list."))
    if not data.account_holder:
        errors.add("account_holder", _("This field is required."))
    bank = _validated_bank(data, errors) if data.bank_country in COUNTRIES else {}
    errors.raise_any()
    details, _created = PayoutDetails.objects.select_for_update().get_or_create(seller=seller)
    details.currency = data.payout_currency
    details.bank_country = data.bank_country
    details.account_holder = data.account_holder
    details.bank_name = data.bank_name
    for column, value in bank.items():
        setattr(details, column, value)
    details.save()
    return details


__all__ = ["ApplicationInvalid", "update_payout_details", "update_store_profile"]
