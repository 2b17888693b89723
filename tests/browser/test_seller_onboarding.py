"""Issue 3, seller onboarding through the real pages in headless Chromium: a signed-in user
applies to sell (with a document), an operator approves the application in the back office,
and the new seller's portal opens. The product-listing part of the journey extends this file
in its own test function."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from caravan.sellers.models import Seller, SellerEvent
from tests.factories import PASSWORD, make_user

from . import listing_steps as listing
from .helpers import phase, shot, sign_in, sign_out
from .seller_steps import make_png

pytestmark = pytest.mark.browser

APPLICANT = "founder@example.com"
OPERATOR = "operator@example.com"
TRADING_NAME = "Volga Crafts"


def make_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as file:
        writer.write(file)
    return path


def fill_application(page: Page, document: Path) -> None:
    form = page.get_by_test_id("application-form")
    texts = {
        "legal_name": 'OOO "Volga Crafts"',
        "trading_name": TRADING_NAME,
        "tax_id": "7707083893",
        "registration_number": "1027700132195",
        "phone": "+7 900 123-45-67",
        "return_street": "Bolshaya Pokrovskaya 1",
        "return_city": "Nizhny Novgorod",
        "return_postal_code": "603005",
        "account_holder": 'OOO "Volga Crafts"',
        "bank_name": "Sberbank",
        "bik": "044525225",
        "account_number": "40702810938000012345",
    }
    for name, value in texts.items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in {
        "country": "RU",
        "return_country": "RU",
        "price_currency": "RUB",
        "payout_currency": "RUB",
        "bank_country": "RU",
        "document_kind": "registration",
    }.items():
        form.locator(f"select[name={name}]").select_option(value)
    form.locator("input[name=business_type][value=company]").check()
    form.locator("input[name=document]").set_input_files(str(document))


def applicant_applies(page: Page, tmp_path: Path, shots: Path) -> Seller:
    sign_in(page, email=APPLICANT, password=PASSWORD, next_url="/seller/")
    expect(page.get_by_test_id("not-seller")).to_be_visible()
    page.get_by_test_id("apply-to-sell").click()
    expect(page).to_have_url(re.compile(r"/seller/apply/$"))

    # A first try without the phone shows the error next to the field and keeps the rest.
    fill_application(page, make_pdf(tmp_path / "ogrn-certificate.pdf"))
    page.get_by_test_id("application-form").locator("[name=phone]").fill("")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("application-errors")).to_be_visible()
    phone_field = page.locator(".field.has-error").filter(has=page.locator("[name=phone]"))
    expect(phone_field).to_contain_text("This field is required.")
    expect(page.locator("[name=trading_name]")).to_have_value(TRADING_NAME)
    assert Seller.objects.count() == 0, "a refused submission writes nothing"

    page.locator("[name=phone]").fill("+7 900 123-45-67")
    page.locator("input[name=document]").set_input_files(
        str(make_pdf(tmp_path / "ogrn-certificate.pdf"))
    )
    shot(page, shots, "20-seller-application")
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("application-in-review")).to_be_visible()
    expect(page.get_by_test_id("application-status")).to_have_text("submitted")
    seller = Seller.objects.get(name=TRADING_NAME)
    assert (seller.status, seller.phone, seller.documents.count()) == (
        "submitted",
        "+79001234567",
        1,
    )
    return seller


def operator_approves(page: Page, seller: Seller, shots: Path) -> None:
    sign_in(page, email=OPERATOR, password=PASSWORD, next_url="/backoffice/sellers/")
    row = page.get_by_test_id("seller-row").filter(has_text=TRADING_NAME)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=TRADING_NAME).click()
    expect(page.get_by_test_id("seller-facts")).to_contain_text("7707083893")

    # The document opens for the operator from the back office, and nowhere else.
    link = page.get_by_test_id("seller-documents").get_by_role("link")
    expect(link).to_contain_text("ogrn-certificate.pdf")
    href = link.get_attribute("href")
    assert href
    document = page.request.get(href)
    assert (document.status, document.headers["content-type"]) == (200, "application/pdf")
    assert document.body().startswith(b"%PDF-")
    shot(page, shots, "21-backoffice-seller-application")

    page.get_by_test_id("approve-seller").click()
    expect(page.get_by_test_id("seller-status")).to_have_text("Active")
    history = page.get_by_test_id("history-row")
    expect(history).to_have_count(4)
    seller.refresh_from_db()
    assert seller.status == "active"
    assert list(SellerEvent.objects.filter(seller=seller).values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "under_review",
        "active",
    ]


def test_a_user_applies_and_an_operator_approves(  # type: ignore[no-untyped-def]
    new_page, screenshot_dir, tmp_path
):
    make_user(email=APPLICANT, full_name="Anna Volkova")
    operator = make_user(email=OPERATOR, full_name="Olga Operator")
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    page = new_page()
    stranger = new_page()

    with phase("apply to sell"):
        seller = applicant_applies(page, tmp_path, screenshot_dir)
        # Until approval the portal shows the application, not the shop.
        page.goto("/seller/")
        expect(page).to_have_url(re.compile(r"/seller/apply/$"))
    with phase("the documents are not public"):
        document = seller.documents.get()
        url = f"/backoffice/sellers/{seller.public_id}/documents/{document.public_id}/"
        refused = stranger.request.get(url, max_redirects=0)
        assert refused.status == 302 and "/account/login/" in refused.headers["location"]
    with phase("operator approves in the back office"):
        sign_out(page)
        operator_approves(page, seller, screenshot_dir)
    with phase("the new seller's portal opens"):
        sign_out(page)
        sign_in(page, email=APPLICANT, password=PASSWORD, next_url="/seller/")
        expect(page.get_by_test_id("portal-seller")).to_contain_text(TRADING_NAME)
        expect(page.locator(".portal-nav").get_by_role("link", name="Staff")).to_be_visible()


SEED_PRODUCTS = 12


def test_a_new_seller_lists_and_a_buyer_sees_the_buy_box(  # type: ignore[no-untyped-def]
    new_page, screenshot_dir, tmp_path
):
    """Issue 3's chain: apply -> operator approves -> the seller offers on an existing
    product and proposes a new one -> the operator approves the product -> a buyer sees
    both offers and the buy box."""
    call_command("seed_demo", products=SEED_PRODUCTS, stdout=io.StringIO())
    make_user(email=APPLICANT, full_name="Anna Volkova")
    operator = make_user(email=OPERATOR, full_name="Olga Operator")
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    page = new_page()
    buyer = new_page()
    existing, variant = listing.contested_product()

    with phase("apply to sell"):
        sign_in(page, email=APPLICANT, password=PASSWORD, next_url="/seller/apply/")
        fill_application(page, make_pdf(tmp_path / "ogrn-certificate.pdf"))
        page.get_by_test_id("submit-application").click()
        expect(page.get_by_test_id("application-status")).to_have_text("submitted")
        seller = Seller.objects.get(name=TRADING_NAME)
    with phase("operator approves in the back office"):
        sign_out(page)
        operator_approves(page, seller, screenshot_dir)
        seller.refresh_from_db()
        assert (seller.status, seller.currency, seller.country) == ("active", "RUB", "RU")
        listing.seller_sets_up_delivery(seller)
    with phase("the seller offers on an existing product and proposes a new one"):
        sign_out(page)
        sign_in(page, email=APPLICANT, password=PASSWORD, next_url="/seller/")
        price = listing.winning_price(existing)
        offer = listing.seller_offers_on_existing(
            page, seller, existing, variant, price, screenshot_dir
        )
        proposed = listing.seller_proposes_product(
            page, seller, make_png(tmp_path / "birch-box.png"), screenshot_dir
        )
        listing.hidden_from_buyers(buyer, proposed)
    with phase("operator approves the product"):
        sign_out(page)
        sign_in(page, email=OPERATOR, password=PASSWORD, next_url="/backoffice/")
        listing.operator_approves_proposal(page, proposed, screenshot_dir)
    with phase("a buyer sees both offers and the buy box"):
        listing.buyer_sees_buy_box(buyer, existing, offer, screenshot_dir)
        listing.buyer_sees_new_product(buyer, proposed, seller)
