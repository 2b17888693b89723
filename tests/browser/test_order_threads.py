"""An order's message thread in the browser, both sides: the buyer writes to one seller from
the order page, the seller's staff see the badge, read and answer, and the buyer finds the
reply marked new; on a phone too (no sideways scroll). axe-core checks every page opened."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from caravan.conversations.models import Thread
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Membership
from tests.factories import PASSWORD, build_market, place_market_order

from .conftest import PHONE
from .helpers import assert_no_sideways_scroll, phase, shot, sign_in

pytestmark = pytest.mark.browser


def test_buyer_and_seller_talk_about_an_order(new_page, screenshot_dir):  # type: ignore[no-untyped-def]
    market = build_market()
    order = place_market_order(market)
    seller_order = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    owner = Membership.objects.get(seller=market.seller_ru, role=Membership.Role.OWNER).user
    order_url = f"/orders/{order.number}/"

    with phase("the buyer writes to one seller from the order page"):
        buyer = new_page()
        sign_in(buyer, email=market.buyer.email, password=PASSWORD, next_url=order_url)
        thread = buyer.locator(f"#thread-{seller_order.public_id}")
        thread.get_by_text("Message the seller").click()
        thread.get_by_label("Your message to Moscow Goods").fill("Could you gift-wrap it?\nThanks")
        thread.get_by_test_id("thread-send").click()
        thread = buyer.locator(f"#thread-{seller_order.public_id}")
        expect(thread.get_by_test_id("thread-message")).to_have_count(1)
        expect(thread.get_by_test_id("thread-message")).to_contain_text("Could you gift-wrap it?")

    with phase("the seller sees the badge, reads and answers"):
        seller = new_page()
        sign_in(seller, email=owner.email, password=PASSWORD, next_url="/seller/orders/")
        expect(seller.get_by_test_id("nav-orders-unread")).to_contain_text("1")
        seller.get_by_test_id("order-unread").click()
        expect(seller.get_by_test_id("thread-unread")).to_have_text("1 new")
        expect(seller.get_by_test_id("order-thread")).to_contain_text(order.ship_to_name)
        expect(seller.get_by_test_id("order-thread")).not_to_contain_text(market.buyer.email)
        shot(seller, screenshot_dir, "order-thread-01-seller")
        seller.get_by_label("Your reply").fill("Of course, free of charge.")
        seller.get_by_test_id("thread-send").click()
        expect(seller.get_by_test_id("thread-message")).to_have_count(2)
        expect(seller.get_by_test_id("nav-orders-unread")).to_have_count(0)

    with phase("the buyer finds the reply marked new, then read"):
        buyer.goto(order_url)
        thread = buyer.locator(f"#thread-{seller_order.public_id}")
        expect(thread.get_by_test_id("thread-unread")).to_have_text("1 new")
        expect(thread.get_by_test_id("thread-message").last).to_contain_text(
            "Of course, free of charge."
        )
        shot(buyer, screenshot_dir, "order-thread-02-buyer")
        assert Thread.objects.get(seller_order=seller_order).unread_by_buyer == 0

    with phase("both pages on a phone"):
        phone = new_page(viewport=PHONE)
        sign_in(phone, email=market.buyer.email, password=PASSWORD, next_url=order_url)
        expect(phone.get_by_test_id("thread-message")).to_have_count(2)
        assert_no_sideways_scroll(phone)
        shot(phone, screenshot_dir, "order-thread-03-buyer-phone")
        seller_phone = new_page(viewport=PHONE)
        sign_in(
            seller_phone,
            email=owner.email,
            password=PASSWORD,
            next_url=f"/seller/orders/{seller_order.public_id}/",
        )
        expect(seller_phone.get_by_test_id("thread-message")).to_have_count(2)
        assert_no_sideways_scroll(seller_phone)
        shot(seller_phone, screenshot_dir, "order-thread-04-seller-phone")
