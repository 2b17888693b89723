"""The apply-to-sell pages: a draft, a submission with every error shown and input kept,
the waiting page, the rejection reason, and the portal closed until approval."""

import dataclasses
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import make_seller, make_user

from caravan.kernel.tests.pictures import jpeg_with_exif, png_declaring
from caravan.sellers.models import Seller, SellerDocument
from caravan.sellers.services.lifecycle import reject_seller
from caravan.sellers.services.onboarding import ApplicationInput, save_application
from caravan.sellers.tests.helpers import (
    RUSSIAN_COMPANY,
    make_operator,
    pdf_upload,
    submitted_seller,
)

APPLY = "/seller/apply/"


def _post_data(data: ApplicationInput, action: str) -> dict[str, str]:
    return {**dataclasses.asdict(data), "action": action, "document_kind": "registration"}


def test_the_apply_page_needs_sign_in(client, db):
    response = client.get(APPLY)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('storefront:login')}?next={quote(APPLY)}"


def test_a_buyer_is_offered_the_application_from_the_portal(client, db):
    client.force_login(make_user())

    portal = client.get(reverse("seller_portal:dashboard"))
    form = client.get(APPLY)

    assert portal.status_code == 403
    assert f'href="{APPLY}"'.encode() in portal.content
    assert form.status_code == 200
    assert b'data-testid="application-form"' in form.content


def test_saving_a_draft_keeps_the_partial_answers(client, db):
    user = make_user()
    client.force_login(user)

    response = client.post(
        APPLY, {"trading_name": "Moscow Goods", "country": "RU", "action": "save"}
    )

    assert response.status_code == 302
    seller = Seller.objects.get()
    assert (seller.status, seller.name, seller.country) == ("draft", "Moscow Goods", "RU")
    page = client.get(APPLY).content.decode()
    assert 'value="Moscow Goods"' in page


def test_submitting_an_incomplete_application_shows_every_error_and_keeps_input(client, db):
    client.force_login(make_user())
    bad = dataclasses.replace(RUSSIAN_COMPANY, tax_id="7707083894", phone="12345", return_city="")

    response = client.post(APPLY, _post_data(bad, "submit"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "This tax id is not valid: a Russian INN has 10 or 12 digits with checksums" in page
    assert "This phone number does not exist in its country&#x27;s numbering plan." in page
    assert "This field is required." in page
    assert "Upload at least one document" in page
    assert 'value="7707083894"' in page and 'value="OOO &quot;Moscow Goods&quot;"' in page
    assert Seller.objects.count() == 0


def test_a_complete_application_with_a_document_is_submitted(client, db):
    user = make_user()
    client.force_login(user)

    response = client.post(
        APPLY, {**_post_data(RUSSIAN_COMPANY, "submit"), "document": pdf_upload()}
    )

    assert response.status_code == 302
    seller = Seller.objects.get()
    assert (seller.status, seller.phone) == ("submitted", "+79001234567")
    assert SellerDocument.objects.filter(seller=seller).count() == 1
    waiting = client.get(APPLY)
    assert b'data-testid="application-in-review"' in waiting.content
    dashboard = client.get(reverse("seller_portal:dashboard"))
    assert (dashboard.status_code, dashboard["Location"]) == (302, APPLY)


def test_a_rejected_applicant_sees_the_reason_on_the_form(client, db):
    user = make_user()
    seller = submitted_seller(user=user)
    reject_seller(seller=seller, actor=make_operator(), reason="Upload the OGRN certificate.")
    client.force_login(user)

    response = client.get(APPLY)

    assert response.status_code == 200
    assert b"Upload the OGRN certificate." in response.content
    assert b'data-testid="application-form"' in response.content


def test_an_applicant_removes_a_document_from_the_draft(client, db):
    user = make_user()
    seller = save_application(
        user=user,
        data=ApplicationInput(trading_name="Moscow Goods"),
        documents=[],
    )
    client.force_login(user)
    client.post(
        APPLY,
        {
            "trading_name": "Moscow Goods",
            "action": "save",
            "document_kind": "tax",
            "document": pdf_upload(),
        },
    )
    document = seller.documents.get()

    response = client.post(
        reverse("seller_portal:apply_document_remove", args=[document.public_id])
    )

    assert response.status_code == 302
    assert seller.documents.count() == 0


def test_staff_of_an_approved_shop_are_sent_to_their_dashboard(client, db):
    seller = make_seller()
    client.force_login(seller.memberships.get().user)

    response = client.get(APPLY)

    assert (response.status_code, response["Location"]) == (302, reverse("seller_portal:dashboard"))


def test_a_document_declaring_30000_by_30000_pixels_is_a_form_error_not_a_crash(client, db):
    client.force_login(make_user())
    bomb = SimpleUploadedFile("scan.png", png_declaring(30000, 30000), content_type="image/png")

    response = client.post(APPLY, {**_post_data(RUSSIAN_COMPANY, "submit"), "document": bomb})

    assert response.status_code == 400
    assert b"The picture has too many pixels (at most 40 megapixels)." in response.content
    assert SellerDocument.objects.count() == 0
    assert Seller.objects.count() == 0


def test_html_behind_a_pdf_header_is_refused_as_a_document(client, db):
    client.force_login(make_user())
    html = SimpleUploadedFile(
        "extract.pdf",
        b"%PDF-1.7\n<html><body><script>document.location='//evil'</script></body></html>",
        content_type="application/pdf",
    )

    response = client.post(APPLY, {**_post_data(RUSSIAN_COMPANY, "submit"), "document": html})

    assert response.status_code == 400
    assert b"This file is not a readable PDF." in response.content
    assert SellerDocument.objects.count() == 0


def test_a_scanned_picture_is_stored_re_encoded_without_its_exif(client, db):
    client.force_login(make_user())
    scan = SimpleUploadedFile("passport.pdf", jpeg_with_exif(), content_type="application/pdf")

    response = client.post(APPLY, {**_post_data(RUSSIAN_COMPANY, "submit"), "document": scan})

    assert response.status_code == 302
    document = SellerDocument.objects.get()
    stored = document.file.read()
    assert (document.content_type, document.original_name) == ("image/jpeg", "passport.pdf")
    assert document.file.name.endswith(".jpg")
    assert document.size == len(stored)
    assert b"SERIAL-12345" not in stored
