"""Back office seller pages: the application queue, decisions with reasons, bulk actions, the
documents streamed to operators only, suspension reflected on the storefront."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from tests.factories import make_offer, make_seller, make_user, place_cart_order

from caravan.orders.models import SellerOrder
from caravan.orders.services import mark_order_paid
from caravan.sellers.models import Seller, SellerEvent
from caravan.sellers.services.lifecycle import start_review
from caravan.sellers.services.onboarding import submit_application
from caravan.sellers.tests.helpers import (
    RUSSIAN_COMPANY,
    make_operator,
    png_upload,
    registration_document,
    submitted_seller,
)

QUEUE = reverse("backoffice:seller_queue")


def _status(seller: Seller) -> str:
    seller.refresh_from_db()
    return seller.status


def test_the_queue_lists_applications_waiting_for_a_decision(client, db):
    waiting = submitted_seller()
    in_review = submitted_seller()
    start_review(seller=in_review, actor=make_operator("first@example.com"))
    make_seller(name="Already Active")
    client.force_login(make_operator())

    response = client.get(QUEUE)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="seller-row"') == 2
    assert waiting.public_id in page and in_review.public_id in page
    assert "Already Active" not in page


def test_the_queue_is_for_operators_only(client, db):
    anonymous = client.get(QUEUE)
    client.force_login(make_user())
    buyer = client.get(QUEUE)

    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('storefront:login')}?next={quote(QUEUE)}"
    assert buyer.status_code == 403


def test_an_operator_approves_from_the_record(client, db):
    seller = submitted_seller()
    client.force_login(make_operator())

    record = client.get(reverse("backoffice:seller_detail", args=[seller.public_id]))
    response = client.post(reverse("backoffice:seller_approve", args=[seller.public_id]))

    assert record.status_code == 200
    assert b'data-testid="approve-seller"' in record.content
    assert response.status_code == 302
    assert _status(seller) == "active"


def test_rejecting_without_a_reason_is_refused_and_changes_nothing(client, db):
    seller = submitted_seller()
    client.force_login(make_operator())
    events = SellerEvent.objects.count()

    response = client.post(
        reverse("backoffice:seller_reject", args=[seller.public_id]), {"reason": " "}
    )

    assert response.status_code == 400
    assert b"Give a reason: the seller reads it." in response.content
    assert _status(seller) == "submitted"
    assert SellerEvent.objects.count() == events


def test_rejecting_with_a_reason_shows_it_in_the_history(client, db):
    seller = submitted_seller()
    operator = make_operator()
    client.force_login(operator)

    client.post(
        reverse("backoffice:seller_reject", args=[seller.public_id]),
        {"reason": "The tax certificate is unreadable."},
    )
    record = client.get(reverse("backoffice:seller_detail", args=[seller.public_id]))

    assert _status(seller) == "rejected"
    page = record.content.decode()
    assert page.count('data-testid="history-row"') == 4
    assert "The tax certificate is unreadable." in page
    assert operator.email in page


def test_bulk_approve_and_review(client, db):
    first, second, third = submitted_seller(), submitted_seller(), submitted_seller()
    client.force_login(make_operator())

    client.post(
        reverse("backoffice:seller_bulk"),
        {"seller": [first.public_id, second.public_id], "action": "approve"},
    )
    client.post(
        reverse("backoffice:seller_bulk"), {"seller": [third.public_id], "action": "review"}
    )

    assert [_status(first), _status(second), _status(third)] == [
        "active",
        "active",
        "under_review",
    ]


def test_bulk_with_nothing_ticked_says_so(client, db):
    seller = submitted_seller()
    client.force_login(make_operator())

    response = client.post(reverse("backoffice:seller_bulk"), {"action": "approve"}, follow=True)

    assert b"Select at least one application." in response.content
    assert _status(seller) == "submitted"


def test_suspend_and_reinstate_from_the_record_hide_and_show_the_offers(client, db):
    seller = make_seller(name="Moscow Goods")
    offer = make_offer(seller=seller)
    product_url = reverse("storefront:product", args=[offer.product.public_id])
    listing_before = client.get(product_url).content.decode()
    client.force_login(make_operator())

    client.post(
        reverse("backoffice:seller_suspend", args=[seller.public_id]),
        {"reason": "Counterfeit complaints"},
    )
    client.logout()
    suspended = client.get(product_url).content.decode()
    client.force_login(make_operator("second@example.com"))
    client.post(reverse("backoffice:seller_reinstate", args=[seller.public_id]))
    client.logout()
    reinstated = client.get(product_url).content.decode()

    assert listing_before.count('data-testid="offer"') == 1
    assert suspended.count('data-testid="offer"') == 0
    assert reinstated.count('data-testid="offer"') == 1
    assert _status(seller) == "active"


def test_a_suspended_seller_still_works_its_orders(client, market):
    order = place_cart_order(
        user=market.buyer, address=market.address, lines=[(market.offer_ru, 1)]
    )
    mark_order_paid(order_id=order.id)
    seller_order = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    owner = market.seller_ru.memberships.get(role="owner").user
    client.force_login(make_operator())
    client.post(
        reverse("backoffice:seller_suspend", args=[market.seller_ru.public_id]),
        {"reason": "Late shipments"},
    )
    client.force_login(owner)
    url = reverse("seller_portal:order", args=[seller_order.public_id])

    orders = client.get(reverse("seller_portal:orders"))
    shipped = client.post(url, {"carrier": "CDEK", "tracking_number": "CDEK-1"})

    assert orders.status_code == 200
    assert b'data-testid="suspended-banner"' in orders.content
    assert b"Late shipments" in orders.content
    assert shipped.status_code == 302
    seller_order.refresh_from_db()
    assert seller_order.status == "shipped"


# --- Documents: staff only, never a public URL ---------------------------------------------


@pytest.fixture
def document(db):
    seller = submit_application(
        user=make_user(email="applicant@example.com"),
        data=RUSSIAN_COMPANY,
        documents=[registration_document(png_upload("passport.png"))],
    )
    return seller.documents.get()


def _document_url(document) -> str:
    return reverse(
        "backoffice:seller_document", args=[document.seller.public_id, document.public_id]
    )


def test_staff_open_the_document(client, document):
    client.force_login(make_operator())

    response = client.get(_document_url(document))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == Path(document.file.path).read_bytes()


def test_anonymous_visitors_the_applicant_and_buyers_cannot_open_it(client, document):
    url = _document_url(document)

    anonymous = client.get(url)
    client.force_login(document.seller.memberships.get().user)
    applicant = client.get(url)
    client.force_login(make_user())
    buyer = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("storefront:login"))
    assert (applicant.status_code, buyer.status_code) == (403, 403)


def test_no_public_url_reaches_the_stored_file(client, document):
    path = Path(document.file.path)
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    relative = path.resolve().relative_to(private_root).as_posix()

    guesses = [
        f"/media/{relative}",
        f"/media/{path.name}",
        f"/media/../private/{relative}",
        f"/static/{relative}",
    ]

    assert not str(path.resolve()).startswith(str(Path(settings.MEDIA_ROOT).resolve()))
    # The traversal attempt is refused as a suspicious path (400), the others are not there.
    assert [client.get(url).status_code for url in guesses] == [404, 404, 400, 404]


def test_another_sellers_document_id_is_a_404_even_for_staff(client, document):
    other = submitted_seller()
    client.force_login(make_operator())

    response = client.get(
        reverse("backoffice:seller_document", args=[other.public_id, document.public_id])
    )

    assert response.status_code == 404
