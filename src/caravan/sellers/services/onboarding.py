"""Applying to sell: a draft saved as the applicant goes, then submitted for review.

A draft accepts incomplete answers (only choices must be real ones). Submitting checks every
answer at once and reports each problem against its field; nothing is written unless all
of it is right. Documents are checked by their content before any byte is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import DomainError, InvalidTransition, NotFound, ValidationFailed
from caravan.kernel.ids import public_id
from caravan.kernel.money import MINOR_UNITS

from .. import validators
from ..models import (
    LIVE_STATUSES,
    Membership,
    PayoutDetails,
    Seller,
    SellerDocument,
    SellerEvent,
)
from ..selectors import find_application
from .lifecycle import move_seller

S = Seller.Status
MAX_DOCUMENTS = 10


class ApplicationInvalid(ValidationFailed):
    """Every problem of an application, by field (the form shows each next to its input)."""

    code = "application_invalid"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(_("Please correct the errors below."))
        self.errors = errors


@dataclass(frozen=True)
class ApplicationInput:
    legal_name: str = ""
    trading_name: str = ""
    country: str = ""
    business_type: str = ""
    tax_id: str = ""
    registration_number: str = ""
    phone: str = ""
    return_street: str = ""
    return_city: str = ""
    return_postal_code: str = ""
    return_country: str = ""
    price_currency: str = ""
    payout_currency: str = ""
    bank_country: str = ""
    account_holder: str = ""
    bank_name: str = ""
    iban: str = ""
    account_number: str = ""
    bic: str = ""
    bik: str = ""

    def cleaned(self) -> ApplicationInput:
        return ApplicationInput(
            **{field.name: str(getattr(self, field.name)).strip() for field in fields(self)}
        )


@dataclass(frozen=True)
class DocumentUpload:
    kind: str
    file: UploadedFile


# Application field -> (model, column). Lengths come from the columns.
SELLER_COLUMNS = {
    "legal_name": "legal_name",
    "trading_name": "name",
    "country": "country",
    "business_type": "business_type",
    "tax_id": "tax_id",
    "registration_number": "registration_number",
    "phone": "phone",
    "return_street": "return_street",
    "return_city": "return_city",
    "return_postal_code": "return_postal_code",
    "return_country": "return_country",
    "price_currency": "currency",
}
PAYOUT_COLUMNS = {
    "payout_currency": "currency",
    "bank_country": "bank_country",
    "account_holder": "account_holder",
    "bank_name": "bank_name",
    "iban": "iban",
    "account_number": "account_number",
    "bic": "bic",
    "bik": "bik",
}
COUNTRY_FIELDS = ("country", "return_country", "bank_country")
CURRENCY_FIELDS = ("price_currency", "payout_currency")
ALWAYS_REQUIRED = (
    "legal_name",
    "trading_name",
    "country",
    "business_type",
    "tax_id",
    "phone",
    "return_street",
    "return_city",
    "return_postal_code",
    "return_country",
    "price_currency",
    "payout_currency",
    "bank_country",
    "account_holder",
)


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def check(self, field: str, error: DomainError) -> None:
        self.add(field, error.message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ApplicationInvalid(self.by_field)


def _column_length(model: type[Any], column: str) -> int | None:
    return model._meta.get_field(column).max_length  # type: ignore[no-any-return]


def _check_shape(data: ApplicationInput, errors: _Errors) -> None:
    """What even a draft must respect: real choices and the columns' lengths."""
    for field in COUNTRY_FIELDS:
        value = getattr(data, field)
        if value and value not in COUNTRIES:
            errors.add(field, _("Choose a country from the list."))
    for field in CURRENCY_FIELDS:
        value = getattr(data, field)
        if value and value not in MINOR_UNITS:
            errors.add(field, _("Choose a currency from the list."))
    if data.business_type and data.business_type not in Seller.BusinessType.values:
        errors.add("business_type", _("Choose individual entrepreneur or company."))
    for columns, model in ((SELLER_COLUMNS, Seller), (PAYOUT_COLUMNS, PayoutDetails)):
        for field, column in columns.items():
            limit = _column_length(model, column)
            if limit and len(getattr(data, field)) > limit:
                errors.add(
                    field,
                    _("At most %(count)d characters.") % {"count": limit},
                )


def _validated(data: ApplicationInput, errors: _Errors, *, document_count: int) -> ApplicationInput:
    """Every rule of a complete application; returns the values in their stored form."""
    values = {field.name: getattr(data, field.name) for field in fields(data)}
    for field in ALWAYS_REQUIRED:
        if not values[field] and field not in errors.by_field:
            errors.add(field, _("This field is required."))
    country, business_type = data.country, data.business_type
    if country in COUNTRIES and business_type in Seller.BusinessType.values:
        if data.tax_id:
            try:
                values["tax_id"] = validators.validate_tax_id(
                    country=country, business_type=business_type, value=data.tax_id
                )
            except ValidationFailed as error:
                errors.check("tax_id", error)
        try:
            values["registration_number"] = validators.validate_registration_number(
                country=country, business_type=business_type, value=data.registration_number
            )
        except ValidationFailed as error:
            errors.check("registration_number", error)
    if data.phone:
        try:
            values["phone"] = validators.normalize_phone(
                country=country if country in COUNTRIES else "", value=data.phone
            )
        except ValidationFailed as error:
            errors.check("phone", error)
    if data.bank_country in COUNTRIES:
        values.update(_validated_bank(data, errors))
    if document_count == 0:
        errors.add(
            "documents",
            _("Upload at least one document: a registration certificate or a tax registration."),
        )
    return ApplicationInput(**values)


def _validated_bank(data: ApplicationInput, errors: _Errors) -> dict[str, str]:
    """The account fields the bank's country uses; the others are cleared."""
    scheme = validators.bank_scheme(data.bank_country)
    values = {"iban": "", "account_number": "", "bic": "", "bik": ""}

    def run(field: str, check: Any, **kwargs: str) -> None:
        if not getattr(data, field):
            errors.add(field, _("This field is required."))
            return
        try:
            values[field] = check(**kwargs)
        except ValidationFailed as error:
            errors.check(field, error)

    if scheme == validators.BANK_SCHEME_IBAN:
        run("iban", validators.validate_iban, country=data.bank_country, value=data.iban)
        if data.bic:
            run("bic", validators.validate_bic, value=data.bic)
    elif scheme == validators.BANK_SCHEME_BIK:
        run("bik", validators.validate_bik, value=data.bik)
        if "bik" not in errors.by_field:
            run(
                "account_number",
                validators.validate_ru_account,
                bik=values["bik"],
                value=data.account_number,
            )
        elif not data.account_number:
            errors.add("account_number", _("This field is required."))
    else:
        run("account_number", validators.validate_account_number, value=data.account_number)
        run("bic", validators.validate_bic, value=data.bic)
    return values


def _checked_documents(
    uploads: Sequence[DocumentUpload], errors: _Errors, *, existing: int
) -> list[tuple[DocumentUpload, validators.CheckedDocument]]:
    checked = []
    if existing + len(uploads) > MAX_DOCUMENTS:
        errors.add(
            "documents",
            _("At most %(count)d documents per application.") % {"count": MAX_DOCUMENTS},
        )
        return []
    for upload in uploads:
        if upload.kind not in SellerDocument.Kind.values:
            errors.add("document_kind", _("Choose what the document is."))
            continue
        try:
            checked_document = validators.check_document(
                stream=upload.file, size=upload.file.size or 0
            )
        except ValidationFailed as error:
            errors.check("document", error)
            continue
        checked.append((upload, checked_document))
    return checked


def _unique_slug(name: str, *, exclude_id: int | None) -> str:
    base = slugify(name)[:40].strip("-") or "seller"
    others = Seller.objects.filter(slug__startswith=base)
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    taken = set(others.values_list("slug", flat=True))
    if base not in taken:
        return base
    for number in range(2, 100):
        candidate = f"{base}-{number}"
        if candidate not in taken:
            return candidate
    return f"{base}-{public_id().lower()}"


def _write(seller: Seller, data: ApplicationInput) -> None:
    for field, column in SELLER_COLUMNS.items():
        setattr(seller, column, getattr(data, field))
    seller.slug = _unique_slug(seller.name or seller.legal_name, exclude_id=seller.id)
    seller.save()
    payout, _created = PayoutDetails.objects.get_or_create(seller=seller)
    for field, column in PAYOUT_COLUMNS.items():
        setattr(payout, column, getattr(data, field))
    payout.save()


def _store_documents(
    *,
    seller: Seller,
    actor: User,
    documents: Sequence[tuple[DocumentUpload, validators.CheckedDocument]],
) -> None:
    for upload, checked in documents:
        original_name = upload.file.name or "document"
        # The stored name carries the real type, whatever the file was called.
        stored_name = f"{PurePath(original_name).stem[:80] or 'document'}.{checked.extension}"
        content: File = upload.file if checked.content is None else ContentFile(checked.content)
        document = SellerDocument(
            seller=seller,
            kind=upload.kind,
            original_name=original_name[:255],
            content_type=checked.content_type,
            size=content.size or 0,
            uploaded_by=actor,
        )
        document.file.save(stored_name, content, save=False)
        document.save()


def _application_for_update(user: User) -> Seller | None:
    """The user's application, locked; refuses a user who already runs or staffs a shop."""
    existing = find_application(user=user)
    if existing is None:
        if Membership.objects.filter(user=user, seller__status__in=LIVE_STATUSES).exists():
            raise ValidationFailed(
                _("This account already works for a shop on Caravan."), code="already_seller"
            )
        return None
    seller = Seller.objects.select_for_update().get(id=existing.id)
    if not seller.can_edit_application:
        raise InvalidTransition(
            _("The application is being reviewed and cannot be changed now."),
            code="application_locked",
        )
    return seller


def _start(*, user: User) -> Seller:
    seller = Seller.objects.create(
        status=S.DRAFT, slug=f"seller-{public_id().lower()}", name="", country="", currency=""
    )
    Membership.objects.create(seller=seller, user=user, role=Membership.Role.OWNER)
    SellerEvent.objects.create(seller=seller, actor=user, from_status="", to_status=S.DRAFT)
    return seller


@transaction.atomic
def save_application(
    *, user: User, data: ApplicationInput, documents: Sequence[DocumentUpload] = ()
) -> Seller:
    """Keep what the applicant has typed so far (a draft, or a rejected application)."""
    clean = data.cleaned()
    seller = _application_for_update(user)
    errors = _Errors()
    _check_shape(clean, errors)
    existing = seller.documents.count() if seller else 0
    checked = _checked_documents(documents, errors, existing=existing)
    errors.raise_any()
    if seller is None:
        seller = _start(user=user)
    _write(seller, clean)
    _store_documents(seller=seller, actor=user, documents=checked)
    return seller


@transaction.atomic
def submit_application(
    *,
    user: User,
    data: ApplicationInput,
    documents: Sequence[DocumentUpload] = (),
    site_url: str = "",
) -> Seller:
    """Check everything, store it and send the application for review, or change nothing."""
    clean = data.cleaned()
    seller = _application_for_update(user)
    errors = _Errors()
    _check_shape(clean, errors)
    existing = seller.documents.count() if seller else 0
    checked = _checked_documents(documents, errors, existing=existing)
    valid = _validated(clean, errors, document_count=existing + len(checked))
    errors.raise_any()
    if seller is None:
        seller = _start(user=user)
    _write(seller, valid)
    _store_documents(seller=seller, actor=user, documents=checked)
    return move_seller(seller=seller, actor=user, target=S.SUBMITTED, site_url=site_url)


@transaction.atomic
def remove_document(*, user: User, document_public_id: str) -> None:
    seller = _application_for_update(user)
    if seller is None:
        raise NotFound(_("No such document."))
    document = SellerDocument.objects.filter(seller=seller, public_id=document_public_id).first()
    if document is None:
        raise NotFound(_("No such document."))
    name = document.file.name or ""
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
