"""Staff management, store profile and payout pages: who may open them and what they do."""

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import add_member, make_seller, make_user

from caravan.kernel.tests.pictures import jpeg_with_exif, png_declaring
from caravan.sellers.models import Invitation
from caravan.sellers.services.staff import invite_member
from caravan.sellers.tokens import invitation_token, read_invitation_token

from .portal_helpers import owner_of, png_upload

PAGES = ["seller_portal:staff", "seller_portal:store_profile", "seller_portal:payout"]
ALLOWED = {
    "owner": {"seller_portal:staff", "seller_portal:store_profile", "seller_portal:payout"},
    "manager": {"seller_portal:staff", "seller_portal:store_profile"},
    "catalog": {"seller_portal:store_profile"},
    "fulfilment": set(),
    "finance": {"seller_portal:payout"},
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_opens_exactly_its_pages(client, db, role):
    seller = make_seller()
    member = owner_of(seller) if role == "owner" else add_member(seller=seller, role=role)
    client.force_login(member)

    opened = {name for name in PAGES if client.get(reverse(name)).status_code == 200}

    assert opened == ALLOWED[role]


def test_an_owner_invites_from_the_staff_page(client, db, django_capture_on_commit_callbacks):
    seller = make_seller(name="Moscow Goods")
    client.force_login(owner_of(seller))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("seller_portal:staff"), {"email": "packer@example.com", "role": "fulfilment"}
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("packer@example.com", "fulfilment")
    # The token is signed with the second it was made: read it back from the mail rather
    # than signing again (a second later it would differ).
    link = re.search(r"http://testserver/seller/invitations/([^/\s]+)/", mail.outbox[0].body)
    assert link is not None
    assert read_invitation_token(link.group(1)) == invitation.public_id


def test_removing_the_last_owner_shows_the_error_and_changes_nothing(client, db):
    seller = make_seller()
    owner = owner_of(seller)
    client.force_login(owner)
    membership = seller.memberships.get()

    response = client.post(
        reverse("seller_portal:member_remove", args=[membership.id]), follow=True
    )

    assert b"A shop needs an owner: make someone else an owner first." in response.content
    assert list(seller.memberships.values_list("user", "role")) == [(owner.id, "owner")]


def test_another_shops_member_is_a_404(client, db):
    seller = make_seller()
    other = make_seller().memberships.get()
    client.force_login(owner_of(seller))

    response = client.post(reverse("seller_portal:member_remove", args=[other.id]))

    assert response.status_code == 404
    assert other.seller.memberships.count() == 1


def test_the_invitee_signs_in_and_accepts(client, db):
    seller = make_seller(name="Moscow Goods")
    invitation = invite_member(
        seller=seller,
        actor=owner_of(seller),
        email="packer@example.com",
        role="fulfilment",
        site_url="http://testserver",
    )
    url = reverse("seller_portal:invitation", args=[invitation_token(invitation.public_id)])

    anonymous = client.get(url)
    client.force_login(make_user(email="packer@example.com"))
    accepted = client.post(url)

    assert b"Sign in" in anonymous.content and quote_next(url) in anonymous.content.decode()
    assert (accepted.status_code, accepted["Location"]) == (302, reverse("seller_portal:orders"))
    assert seller.memberships.get(user__email="packer@example.com").role == "fulfilment"


def quote_next(url: str) -> str:
    return f"?next={quote(url)}"


def test_a_wrong_account_sees_why_it_cannot_accept(client, db):
    seller = make_seller()
    invitation = invite_member(
        seller=seller,
        actor=owner_of(seller),
        email="packer@example.com",
        role="catalog",
        site_url="http://testserver",
    )
    client.force_login(make_user(email="someone@example.com"))

    response = client.get(
        reverse("seller_portal:invitation", args=[invitation_token(invitation.public_id)])
    )

    assert b"This invitation is for packer@example.com" in response.content
    assert b'data-testid="accept-invitation"' not in response.content


def test_a_forged_invitation_link_is_a_404(client, db):
    response = client.get(reverse("seller_portal:invitation", args=["forged:token"]))

    assert response.status_code == 404


def test_store_profile_saves_descriptions_and_a_logo(client, db):
    seller = make_seller()
    client.force_login(owner_of(seller))

    response = client.post(
        reverse("seller_portal:store_profile"),
        {"description_ru": "Лучшие товары", "description_en": "Best goods", "logo": png_upload()},
    )

    assert response.status_code == 302
    seller.refresh_from_db()
    assert (seller.description_ru, seller.description_en) == ("Лучшие товары", "Best goods")
    assert seller.logo.name.startswith("sellers/logos/")


def test_a_logo_that_is_not_a_picture_is_refused(client, db):
    seller = make_seller()
    client.force_login(owner_of(seller))

    response = client.post(
        reverse("seller_portal:store_profile"),
        {
            "description_ru": "Новое",
            "description_en": "New",
            "logo": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"),
        },
    )

    assert response.status_code == 400
    assert b"The logo must be a JPEG, PNG or WebP picture." in response.content
    seller.refresh_from_db()
    assert (seller.description_ru, seller.logo.name) == ("", "")


def test_finance_updates_the_payout_account_with_checks(client, db):
    seller = make_seller()
    client.force_login(add_member(seller=seller, role="finance"))
    url = reverse("seller_portal:payout")
    base = {"currency": "RUB", "bank_country": "RU", "account_holder": "OOO Moscow Goods"}

    refused = client.post(
        url, {**base, "bik": "044525225", "account_number": "40702810938000012346"}
    )
    saved = client.post(url, {**base, "bik": "044525225", "account_number": "40702810938000012345"})

    assert refused.status_code == 400
    assert b"does not match the bank" in refused.content
    assert saved.status_code == 302
    details = seller.payout_details
    details.refresh_from_db()
    assert (details.bik, details.account_number) == ("044525225", "40702810938000012345")


def test_a_logo_declaring_30000_by_30000_pixels_is_a_form_error_not_a_crash(client, db):
    seller = make_seller()
    client.force_login(owner_of(seller))
    bomb = SimpleUploadedFile("logo.png", png_declaring(30000, 30000), content_type="image/png")

    response = client.post(
        reverse("seller_portal:store_profile"),
        {"description_ru": "Новое", "description_en": "New", "logo": bomb},
    )

    assert response.status_code == 400
    assert b"The picture has too many pixels (at most 40 megapixels)." in response.content
    seller.refresh_from_db()
    assert (seller.description_ru, seller.logo.name) == ("", "")


def test_an_svg_logo_is_refused(client, db):
    seller = make_seller()
    client.force_login(owner_of(seller))
    svg = SimpleUploadedFile(
        "logo.svg",
        b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        content_type="image/svg+xml",
    )

    response = client.post(
        reverse("seller_portal:store_profile"),
        {"description_ru": "", "description_en": "", "logo": svg},
    )

    assert response.status_code == 400
    assert b"The logo must be a JPEG, PNG or WebP picture." in response.content
    seller.refresh_from_db()
    assert seller.logo.name == ""


def test_a_logo_is_stored_re_encoded_under_its_real_type(client, db):
    seller = make_seller()
    client.force_login(owner_of(seller))
    logo = SimpleUploadedFile("logo.gif", jpeg_with_exif(), content_type="image/gif")

    client.post(
        reverse("seller_portal:store_profile"),
        {"description_ru": "", "description_en": "", "logo": logo},
    )

    seller.refresh_from_db()
    stored = seller.logo.read()
    assert seller.logo.name.endswith(".jpg")
    assert b"SERIAL-12345" not in stored


def test_the_invitation_form_offers_the_least_privileged_role_first(client, db):
    seller = make_seller()
    client.force_login(owner_of(seller))

    response = client.get(reverse("seller_portal:staff"))

    invite_form = (
        response.content.decode().split('data-testid="invite-form"')[1].split("</form>")[0]
    )
    assert response.context["form"]["role"].value() == "fulfilment"
    assert '<option value="fulfilment" selected>' in invite_form
    assert invite_form.count(" selected>") == 1
