"""The demo's mailbox and the unsubscribe link, in the browser: a buyer who paid reads the
mail Caravan sent them, then a visitor with only the link (no session) unsubscribes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from caravan.notifications import kinds
from caravan.notifications.models import Message, Preference
from caravan.notifications.tokens import unsubscribe_token
from tests.factories import PASSWORD, build_market, pay_market_order

from .conftest import PHONE
from .helpers import assert_no_sideways_scroll, phase, shot, sign_in

pytestmark = pytest.mark.browser


def test_a_buyer_reads_their_mail_and_unsubscribes_with_the_link(  # type: ignore[no-untyped-def]
    new_page, screenshot_dir
):
    market = build_market()
    # The live server's database commits, so the events fire and the mail goes out at once.
    order = pay_market_order(market)
    paid = Message.objects.get(kind=kinds.ORDER_PAID)
    assert paid.status == Message.Status.SENT
    page = new_page()

    with phase("the buyer opens their messages from the header"):
        sign_in(page, email=market.buyer.email, password=PASSWORD, next_url="/orders/")
        page.get_by_test_id("mailbox-link").click()
        expect(page).to_have_url(f"{page.url.split('/account/')[0]}/account/messages/")
        rows = page.get_by_test_id("mailbox-row")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text(f"Payment for order {order.number} received")
        shot(page, screenshot_dir, "notifications-01-mailbox")
        phone = new_page(viewport=PHONE)
        sign_in(phone, email=market.buyer.email, password=PASSWORD, next_url="/account/messages/")
        expect(phone.get_by_test_id("mailbox-row")).to_have_count(2)
        assert_no_sideways_scroll(phone)

    with phase("the buyer reads the payment mail as it was sent"):
        rows.first.get_by_role("link").click()
        expect(page.get_by_test_id("message-subject")).to_have_text(paid.subject)
        expect(page.get_by_test_id("message-text")).to_contain_text(order.number)
        frame = page.frame_locator("[data-testid=message-frame]")
        expect(frame.get_by_role("link", name="Open the order")).to_have_attribute(
            "href", f"http://127.0.0.1:8000/orders/{order.number}/"
        )
        shot(page, screenshot_dir, "notifications-02-message")

    with phase("anyone with the link unsubscribes, without signing in"):
        visitor = new_page()
        visitor.goto(f"/unsubscribe/{unsubscribe_token(user_id=market.buyer.id)}/")
        visitor.get_by_test_id("unsubscribe-confirm").click()
        expect(visitor.get_by_test_id("unsubscribed")).to_be_visible()
        preference = Preference.objects.get(user=market.buyer)
        assert (preference.sms_enabled, kinds.PARCEL_DELIVERED in preference.muted_kinds) == (
            False,
            True,
        )
