"""Builders shared by the sellers tests (not a test module)."""

from __future__ import annotations

import dataclasses
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from tests.factories import make_user

from caravan.accounts.models import User
from caravan.sellers.models import Seller, SellerDocument
from caravan.sellers.services.lifecycle import approve_seller
from caravan.sellers.services.onboarding import (
    ApplicationInput,
    DocumentUpload,
    submit_application,
)

# A real Moscow company: INN and OGRN with valid checksums; the account's control digit
# matches the BIK (Bank of Russia key).
RUSSIAN_COMPANY = ApplicationInput(
    legal_name='OOO "Moscow Goods"',
    trading_name="Moscow Goods",
    country="RU",
    business_type="company",
    tax_id="7707083893",
    registration_number="1027700132195",
    phone="8 (900) 123-45-67",
    return_street="Tverskaya 1",
    return_city="Moscow",
    return_postal_code="125009",
    return_country="RU",
    price_currency="RUB",
    payout_currency="RUB",
    bank_country="RU",
    account_holder='OOO "Moscow Goods"',
    bank_name="Sberbank",
    bik="044525225",
    account_number="40702810938000012345",
)

GERMAN_COMPANY = dataclasses.replace(
    RUSSIAN_COMPANY,
    legal_name="Berlin Handel GmbH",
    trading_name="Berlin Handel",
    country="DE",
    tax_id="DE136695976",
    registration_number="HRB 12345",
    phone="+49 30 901820",
    return_street="Unter den Linden 1",
    return_city="Berlin",
    return_postal_code="10117",
    return_country="DE",
    price_currency="EUR",
    payout_currency="EUR",
    bank_country="DE",
    account_holder="Berlin Handel GmbH",
    bank_name="Commerzbank",
    iban="DE89 3704 0044 0532 0130 00",
    bik="",
    account_number="",
)


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    body = io.BytesIO()
    writer.write(body)
    return body.getvalue()


def pdf_upload(name: str = "registration.pdf", size: int = 0) -> SimpleUploadedFile:
    """A real one-page PDF, padded with a PDF comment to `size` bytes when asked."""
    body = pdf_bytes()
    if size > len(body):
        body += b"%" + b"0" * (size - len(body) - 1)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_upload(name: str = "scan.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def registration_document(upload: SimpleUploadedFile | None = None) -> DocumentUpload:
    return DocumentUpload(kind=SellerDocument.Kind.REGISTRATION, file=upload or pdf_upload())


def make_operator(email: str = "operator@example.com") -> User:
    operator = make_user(email=email, full_name="Olga Operator")
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    return operator


def submitted_seller(
    *, user: User | None = None, data: ApplicationInput = RUSSIAN_COMPANY
) -> Seller:
    return submit_application(
        user=user or make_user(), data=data, documents=[registration_document()]
    )


def approved_seller(*, user: User | None = None, operator: User | None = None) -> Seller:
    seller = submitted_seller(user=user)
    return approve_seller(seller=seller, actor=operator or make_operator("approver@example.com"))
