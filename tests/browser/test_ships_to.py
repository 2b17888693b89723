"""Issue 12: "an offer that cannot ship to the buyer's country says so on the product page,
and the buy box and listings skip it (with a 'ships to' facet)", as a visitor who chose
Germany in the header sees it on a desktop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from caravan.storefront.tests.borders import build_border

from .conftest import DESKTOP, PHONE
from .helpers import assert_no_sideways_scroll, phase, shot

pytestmark = pytest.mark.browser


def chooses_germany(page: Page) -> None:
    page.goto("/")
    countries = page.get_by_test_id("country-switch")
    countries.locator("summary").click()
    countries.get_by_test_id("country-DE").click()
    expect(countries.locator("summary .country-code")).to_have_text("DE")


def test_a_visitor_in_germany_sees_what_is_delivered_there_and_can_show_the_rest(  # type: ignore[no-untyped-def]
    new_page, screenshot_dir
):
    border = build_border()
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(viewport=viewport)
        chooses_germany(page)
        with phase(f"{name}: the category lists the kettle only, from the exporter"):
            page.goto("/c/kitchen/")
            cards = page.get_by_test_id("product-card")
            expect(cards).to_have_count(1)
            expect(cards.first).to_contain_text("Kettle")
            expect(cards.first).to_contain_text("Global Export")
            expect(page.get_by_test_id("delivery-scope")).to_contain_text("delivered to Germany")
            expect(
                page.get_by_test_id("facet-ships_to").locator("input[type=checkbox][value=DE]")
            ).to_be_checked()
            assert_no_sideways_scroll(page)
            shot(page, screenshot_dir, f"ships-to-{name}-01-category", full_page=False)
        with phase(f"{name}: show all brings the boots back, saying they are not delivered"):
            page.get_by_test_id("delivery-scope").get_by_role("link").click()
            expect(cards).to_have_count(2)
            expect(page.get_by_test_id("card-no-delivery")).to_have_count(1)
            expect(page.get_by_test_id("delivery-scope")).to_contain_text(
                "including sellers who don't deliver to Germany"
            )
            shot(page, screenshot_dir, f"ships-to-{name}-02-show-all", full_page=False)
        with phase(f"{name}: the boots' page says nobody delivers them to Germany"):
            page.goto(f"/p/{border.boots.public_id}/")
            expect(page.get_by_test_id("buy-box-no-delivery")).to_contain_text(
                "No seller delivers this to Germany"
            )
            expect(page.get_by_test_id("no-delivery-button")).to_be_disabled()
            expect(page.get_by_test_id("add-to-cart")).to_have_count(0)
            assert_no_sideways_scroll(page)
            shot(page, screenshot_dir, f"ships-to-{name}-03-product", full_page=False)
