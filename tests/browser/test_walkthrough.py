"""Issue 2, steps 1-7, through the real pages in headless Chromium against the live server.

One long test with named phases (a failure names its phase): the steps build on each other,
the buyer's order is what the seller ships. The demo generator seeds the data, so the pages
show what `make demo` shows; expected values come from the database, never from the page.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from caravan.catalog.selectors import list_category_tree

from . import buyer_steps as buyer
from . import search_steps as search
from . import seller_steps as seller
from .helpers import phase, product_path

pytestmark = pytest.mark.browser

# Enough products that the largest category fills more than one listing page.
SEED_PRODUCTS = 120


def seed() -> None:
    call_command("seed_demo", products=SEED_PRODUCTS, stdout=io.StringIO())


def test_walkthrough_of_steps_1_to_7(  # type: ignore[no-untyped-def]
    new_page, page_cache, screenshot_dir, tmp_path
):
    seed()
    page = new_page()
    visitor = new_page()  # an anonymous shopper who watches the storefront change

    with phase("1. browse: home, category listing, filters, sorting, search"):
        product = buyer.browse_home(page, screenshot_dir)
        buyer.browse_category(page, screenshot_dir)
        search.narrow_a_search_by_facets(page, screenshot_dir)
        buyer.search_for(page, product)
    with phase("2. product page"):
        offers = buyer.check_product_page(page, product, screenshot_dir)
        visitor.goto(product_path(product))
        expect(visitor.get_by_test_id("offer")).to_have_count(len(offers))
        buyer.phone_pages(new_page, product, screenshot_dir)
    with phase("3. cart"):
        pick = buyer.fill_cart(page, offers, screenshot_dir)
    with phase("4. checkout, register, sandbox approve"):
        order = buyer.check_out_and_pay(page, pick, screenshot_dir)
    with phase("4. a declined payment"):
        declined = buyer.declined_order(page, offers, pick.first)
    with phase("5. seller orders and order history"):
        buyer.check_split_and_history(page, order, declined, pick)
    with phase("6. seller ships, buyer confirms delivery"):
        shipped = seller.seller_ships(page, order, pick.first.seller, screenshot_dir)
        seller.buyer_confirms(page, order, shipped)
    with phase("7. seller adds a product and edits an offer"):
        seller.visitor_looks_before_changes(visitor, pick.first)
        new_product = seller.seller_creates_product(
            page, pick.first.seller, seller.make_png(tmp_path / "lamp.png"), screenshot_dir
        )
        seller.seller_gives_customs_details(page, new_product)
        new_price = seller.seller_edits_offer_inline(page, pick.first, screenshot_dir)
        seller.operator_approves_product(new_page, new_product, screenshot_dir)
        seller.visitor_sees_changes(visitor, new_product, pick.first, new_price)
    with phase("5. the order's prices stay frozen after the price change"):
        assert new_price != pick.prices[pick.first.id]
        buyer.assert_frozen(order, pick)


def test_language_switcher_turns_the_home_page_russian_and_back(  # type: ignore[no-untyped-def]
    new_page, page_cache
):
    call_command("seed_demo", products=12, stdout=io.StringIO())
    english = "Goods from sellers across borders, in one cart"
    with translation.override("ru"):
        russian = gettext(english)
    assert russian != english and re.search("[а-яё]", russian)
    tree = list_category_tree()
    page = new_page()
    page.goto("/")
    expect(page.locator("h1")).to_have_text(english)

    page.get_by_test_id("lang-ru").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text(russian)
    expect(page.locator(".category-tile-head > span:last-child")).to_have_text(
        [node.category.name_ru for node in tree]
    )
    expect(page.get_by_test_id("lang-ru")).to_have_class(re.compile(r"\bis-current\b"))

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(english)
    expect(page.locator(".category-tile-head > span:last-child")).to_have_text(
        [node.category.name_en for node in tree]
    )
