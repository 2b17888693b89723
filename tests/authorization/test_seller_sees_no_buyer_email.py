"""Sellers see what they need to ship (name, address, phone) and never the buyer's email:
not on any page of the portal, not in its CSV exports (issue 11). The portal's pages come
from the authorization matrix, so a new page is covered as soon as it is listed there."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse

from caravan.finance.services import cancel_by_buyer
from caravan.seller_portal.tests.portal_helpers import owner_of

from .test_seller_portal_matrix import MATRIX, build_world, call


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_no_portal_page_or_export_shows_a_buyers_email(client):
    world = build_world()
    buyer = world.market.buyer
    with TestCase.captureOnCommitCallbacks(execute=True):
        # The buyer's own action lands in the order's history with the buyer as its actor.
        cancel_by_buyer(
            buyer=buyer,
            seller_order_public_id=world.paid_seller_order.public_id,
            reason="Changed my mind",
        )
    buyer_emails = {buyer.email.encode(), world.seller_order.order.buyer.email.encode()}
    client.force_login(owner_of(world.market.seller_ru))
    pages = {
        name: call(client, name, world) for name, route in MATRIX.items() if route.method == "get"
    }
    cancelled = client.get(
        reverse("seller_portal:order", kwargs={"public_id": world.paid_seller_order.public_id})
    )

    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(
        pages, 200
    )
    leaks = {
        name: sorted(email.decode() for email in buyer_emails if email in body_of(response))
        for name, response in [*pages.items(), ("cancelled order", cancelled)]
    }
    assert leaks == {name: [] for name in leaks}
    page = cancelled.content.decode()
    assert "· the buyer" in page
    assert world.paid_seller_order.order.ship_to_name in page
    # The phone (+79001234567 stored) as it is dialled from abroad.
    assert world.paid_seller_order.order.ship_to_phone == "+79001234567"
    assert "+7 900 123-45-67" in page
