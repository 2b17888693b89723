"""Applying to sell: drafts keep partial answers, submitting checks everything at once."""

import dataclasses
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import make_seller, make_user

from caravan.kernel.errors import InvalidTransition, NotFound, ValidationFailed
from caravan.sellers.models import Membership, PayoutDetails, Seller, SellerDocument, SellerEvent
from caravan.sellers.selectors import find_application
from caravan.sellers.services.onboarding import (
    ApplicationInput,
    ApplicationInvalid,
    DocumentUpload,
    remove_document,
    save_application,
    submit_application,
)

from .helpers import (
    GERMAN_COMPANY,
    RUSSIAN_COMPANY,
    pdf_upload,
    png_upload,
    registration_document,
    submitted_seller,
)


def _counts():
    return (
        Seller.objects.count(),
        Membership.objects.count(),
        SellerEvent.objects.count(),
        SellerDocument.objects.count(),
        PayoutDetails.objects.count(),
    )


def _private_files() -> list[Path]:
    return [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()]


def test_an_incomplete_draft_is_saved_and_the_applicant_owns_it(db):
    user = make_user()

    seller = save_application(
        user=user, data=ApplicationInput(trading_name="  Moscow Goods ", country="RU")
    )

    assert (seller.status, seller.name, seller.country, seller.tax_id, seller.slug) == (
        "draft",
        "Moscow Goods",
        "RU",
        "",
        "moscow-goods",
    )
    assert list(seller.memberships.values_list("user", "role")) == [(user.id, "owner")]
    assert list(seller.events.values_list("from_status", "to_status")) == [("", "draft")]
    assert find_application(user=user) == seller


def test_saving_again_updates_the_same_draft(db):
    user = make_user()
    first = save_application(user=user, data=ApplicationInput(trading_name="Moscow Goods"))

    second = save_application(user=user, data=RUSSIAN_COMPANY)

    assert second.id == first.id
    assert Seller.objects.count() == 1
    second.refresh_from_db()
    assert (second.legal_name, second.phone, second.payout_details.bik) == (
        'OOO "Moscow Goods"',
        "8 (900) 123-45-67",  # a draft keeps what was typed; submitting normalises it
        "044525225",
    )


def test_a_draft_refuses_values_outside_the_choices_and_writes_nothing(db):
    user = make_user()

    with pytest.raises(ApplicationInvalid) as caught:
        save_application(
            user=user,
            data=ApplicationInput(country="XX", price_currency="ABC", business_type="trust"),
        )

    assert sorted(caught.value.errors) == ["business_type", "country", "price_currency"]
    assert _counts() == (0, 0, 0, 0, 0)


def test_submitting_a_complete_application_stores_normalised_values_and_mails_the_owner(
    db, django_capture_on_commit_callbacks
):
    user = make_user(email="founder@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        seller = submit_application(
            user=user,
            data=RUSSIAN_COMPANY,
            documents=[registration_document()],
            site_url="http://x",
        )

    seller.refresh_from_db()
    assert (seller.status, seller.phone, seller.tax_id, seller.currency) == (
        "submitted",
        "+79001234567",
        "7707083893",
        "RUB",
    )
    payout = seller.payout_details
    assert (payout.currency, payout.bik, payout.account_number, payout.iban) == (
        "RUB",
        "044525225",
        "40702810938000012345",
        "",
    )
    assert list(seller.events.values_list("from_status", "to_status", "actor")) == [
        ("", "draft", user.id),
        ("draft", "submitted", user.id),
    ]
    document = seller.documents.get()
    assert (document.kind, document.content_type, document.original_name) == (
        "registration",
        "application/pdf",
        "registration.pdf",
    )
    assert [message.to for message in mail.outbox] == [["founder@example.com"]]
    assert mail.outbox[0].subject == "We received the application of Moscow Goods"
    assert "http://x/seller/apply/" in mail.outbox[0].body


def test_a_german_company_pays_out_to_an_iban(db):
    seller = submitted_seller(data=GERMAN_COMPANY)

    payout = PayoutDetails.objects.get(seller=seller)
    assert (seller.tax_id, seller.phone, payout.iban, payout.bik, payout.account_number) == (
        "DE136695976",
        "+4930901820",
        "DE89370400440532013000",
        "",
        "",
    )


def test_submitting_reports_every_problem_at_once_and_changes_nothing(
    db, django_capture_on_commit_callbacks
):
    user = make_user()
    draft = save_application(user=user, data=ApplicationInput(trading_name="Moscow Goods"))
    before = _counts()
    bad = dataclasses.replace(
        RUSSIAN_COMPANY,
        legal_name="",
        tax_id="7707083894",
        phone="12345",
        bik="044525225",
        account_number="40702810938000012346",
        return_city="",
    )

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ApplicationInvalid) as caught,
    ):
        submit_application(user=user, data=bad)

    assert sorted(caught.value.errors) == [
        "account_number",
        "documents",
        "legal_name",
        "phone",
        "return_city",
        "tax_id",
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.legal_name, draft.tax_id) == ("draft", "", "")
    assert _counts() == before
    assert callbacks == []


def test_a_bad_document_is_refused_and_nothing_is_stored(db):
    user = make_user()
    garbage = DocumentUpload(
        kind="registration",
        file=SimpleUploadedFile("scan.pdf", b"MZ\x90 not a pdf", content_type="application/pdf"),
    )

    with pytest.raises(ApplicationInvalid) as caught:
        submit_application(user=user, data=RUSSIAN_COMPANY, documents=[garbage])

    assert caught.value.errors == {
        "document": ["Upload a PDF or a picture (JPEG, PNG, WebP)."],
        "documents": [
            "Upload at least one document: a registration certificate or a tax registration."
        ],
    }
    assert _counts() == (0, 0, 0, 0, 0)


def test_a_document_over_10_mb_is_refused(db):
    user = make_user()
    huge = registration_document(pdf_upload(size=10 * 1024 * 1024 + 1))

    with pytest.raises(ApplicationInvalid) as caught:
        save_application(user=user, data=RUSSIAN_COMPANY, documents=[huge])

    assert list(caught.value.errors) == ["document"]
    assert _counts() == (0, 0, 0, 0, 0)


def test_documents_are_stored_privately_outside_media_under_random_names(db):
    before = set(_private_files())
    seller = save_application(
        user=make_user(),
        data=RUSSIAN_COMPANY,
        documents=[registration_document(png_upload("passport.png"))],
    )

    document = seller.documents.get()
    stored = set(_private_files()) - before
    assert len(stored) == 1
    path = stored.pop()
    assert path.suffix == ".png" and "passport" not in path.name
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018


def test_an_application_in_review_cannot_be_changed(db):
    user = make_user()
    seller = submitted_seller(user=user)

    with pytest.raises(InvalidTransition) as caught:
        save_application(user=user, data=ApplicationInput(trading_name="Renamed"))

    assert caught.value.code == "application_locked"
    seller.refresh_from_db()
    assert (seller.name, seller.status) == ("Moscow Goods", "submitted")


def test_a_shop_owner_cannot_apply_again(db):
    seller = make_seller(name="Existing")
    owner = seller.memberships.get().user

    with pytest.raises(ValidationFailed) as caught:
        save_application(user=owner, data=ApplicationInput(trading_name="Second shop"))

    assert caught.value.code == "already_seller"
    assert Seller.objects.count() == 1


def test_removing_a_document_from_a_draft(db):
    user = make_user()
    seller = save_application(user=user, data=RUSSIAN_COMPANY, documents=[registration_document()])
    document = seller.documents.get()

    remove_document(user=user, document_public_id=document.public_id)

    assert seller.documents.count() == 0
    with pytest.raises(NotFound):
        remove_document(user=user, document_public_id=document.public_id)


def test_another_users_document_cannot_be_removed(db):
    seller = save_application(
        user=make_user(), data=RUSSIAN_COMPANY, documents=[registration_document()]
    )
    stranger = make_user()
    save_application(user=stranger, data=ApplicationInput(trading_name="Stranger"))

    with pytest.raises(NotFound):
        remove_document(user=stranger, document_public_id=seller.documents.get().public_id)

    assert seller.documents.count() == 1


def test_two_applicants_with_the_same_name_get_distinct_slugs(db):
    first = save_application(user=make_user(), data=ApplicationInput(trading_name="Bazaar"))
    second = save_application(user=make_user(), data=ApplicationInput(trading_name="Bazaar"))

    assert (first.slug, second.slug) == ("bazaar", "bazaar-2")
