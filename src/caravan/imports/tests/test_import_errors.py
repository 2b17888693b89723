"""Bad rows: each one reported with its line, column and reason; the good rows still go in."""

from __future__ import annotations

from decimal import Decimal

from caravan.imports.services import apply_import, preview_import
from caravan.offers.models import Offer

from .helpers import all_offers_state, csv_upload, gtin, xlsx_upload

HEADER = [
    "seller_sku", "gtin", "product_id", "variant", "brand", "mpn", "price", "currency", "stock",
    "handling_days", "ships_from", "active", "condition", "compare_at_price", "min_per_order",
    "max_per_order",
]  # fmt: skip


def row(sku, *, gtin_code="", product_id="", variant="", brand="", mpn="", price="1990",
        currency="", stock="5", handling="", ships_from="", active="", condition="",
        compare_at="", minimum="", maximum=""):  # fmt: skip
    return [
        sku, gtin_code, product_id, variant, brand, mpn, price, currency, stock, handling,
        ships_from, active, condition, compare_at, minimum, maximum,
    ]  # fmt: skip


def bad_file(shop):
    return [
        HEADER,
        row("HP-1", gtin_code=gtin(1)),  # line 2: good
        row("", gtin_code=gtin(2)),
        row("BAD-PRICE", gtin_code=gtin(2), price="abc", ships_from="XX"),
        row("USD", gtin_code=gtin(2), currency="usd"),
        row("NEG", gtin_code=gtin(2), stock="-3"),
        row("CMP", gtin_code=gtin(2), compare_at="100"),
        row("LIMITS", gtin_code=gtin(2), minimum="5", maximum="2"),
        row("SHORT", gtin_code="123"),
        row("UNKNOWN", gtin_code=gtin(99)),  # line 10
        row("NOPE", product_id="nope"),
        row("KETTLE", product_id=shop.kettle.public_id),
        row("HP-1", gtin_code=gtin(3)),
        row("HP-AGAIN", gtin_code=gtin(1)),
        row("WORDS", gtin_code=gtin(2), condition="mint", active="maybe"),
        row("CB-1", brand="acme", mpn="CB-1", price="10", stock="1"),  # line 16: good
        row("CENTS", gtin_code=gtin(2), price="1.999"),
        row("SLOW", gtin_code=gtin(2), handling="99"),
        row("NOWHERE"),
    ]


EXPECTED_ERRORS = [
    {"line": 3, "column": "seller_sku", "message": "The seller SKU is required"},
    {"line": 4, "column": "price", "message": "Not an amount: write digits with a decimal point, 1990.50"},
    {"line": 4, "column": "ships_from", "message": "Unknown country code XX: use one of AM, BY, CN, DE, FR, GB, IT, KZ, RU, TR, US, UZ"},
    {"line": 5, "column": "currency", "message": "Your shop prices in RUB, not USD"},
    {"line": 6, "column": "stock", "message": "Stock must be between 0 and 1000000"},
    {"line": 7, "column": "compare_at_price", "message": "The compare-at price must be above the price"},
    {"line": 8, "column": "max_per_order", "message": "The maximum per order must be between the minimum and 99"},
    {"line": 9, "column": "gtin", "message": "Not a GTIN: 8, 12, 13 or 14 digits with a valid check digit (format the column as text to keep leading zeros)"},
    {"line": 10, "column": "gtin", "message": "No product with this GTIN in the catalog; to propose it fill category, name_en and name_ru"},
    {"line": 11, "column": "product_id", "message": "No product nope in the catalog"},
    {"line": 12, "column": "variant", "message": "This product has several variants; name one: Red, Blue"},
    {"line": 13, "column": "seller_sku", "message": "This SKU is already on line 2"},
    {"line": 14, "column": "gtin", "message": "Line 2 already sets your offer on this variant"},
    {"line": 15, "column": "active", "message": "Write yes or no"},
    {"line": 15, "column": "condition", "message": "Write new, used or refurbished"},
    {"line": 17, "column": "price", "message": "Too many decimal places in the price"},
    {"line": 18, "column": "handling_days", "message": "Handling time must be 0 to 60 days"},
    {"line": 19, "column": "product_id", "message": "Say which product: product_id, gtin, or brand and mpn (or category and names for a new product)"},
]  # fmt: skip


def test_each_bad_row_is_listed_with_line_column_and_reason(shop):
    before = all_offers_state()

    preview = preview_import(
        seller=shop.seller,
        uploaded_by=shop.seller.memberships.get().user,
        upload=csv_upload(bad_file(shop)),
    )

    assert preview.errors == EXPECTED_ERRORS
    assert (
        preview.row_count,
        preview.create_count,
        preview.update_count,
        preview.unchanged_count,
        preview.error_count,
    ) == (18, 2, 0, 0, 16)
    assert all_offers_state() == before


def test_a_workbook_reports_the_same_rows(shop):
    preview = preview_import(
        seller=shop.seller,
        uploaded_by=shop.seller.memberships.get().user,
        upload=xlsx_upload(bad_file(shop)),
    )

    assert preview.errors == EXPECTED_ERRORS


def test_applying_writes_the_good_rows_only(shop):
    preview = preview_import(
        seller=shop.seller,
        uploaded_by=shop.seller.memberships.get().user,
        upload=csv_upload(bad_file(shop)),
    )

    applied = apply_import(seller=shop.seller, public_id=preview.public_id)

    assert (applied.create_count, applied.error_count, applied.errors) == (2, 16, EXPECTED_ERRORS)
    assert sorted(
        Offer.objects.filter(seller=shop.seller).values_list("seller_sku", "price_amount")
    ) == [("CB-1", Decimal("10.00")), ("HP-1", Decimal("1990.00"))]


def test_a_known_sku_cannot_move_to_another_product(shop):
    first = preview_import(
        seller=shop.seller,
        uploaded_by=shop.seller.memberships.get().user,
        upload=csv_upload([["seller_sku", "gtin", "price", "stock"], ["HP-1", gtin(1), "10", "1"]]),
    )
    apply_import(seller=shop.seller, public_id=first.public_id)
    before = all_offers_state()
    rows = [
        ["seller_sku", "gtin", "product_id", "price", "stock"],
        ["HP-1", gtin(2), "", "10", "1"],
        ["HP-1", "", shop.cable.public_id, "10", "1"],
    ]

    second = preview_import(
        seller=shop.seller, uploaded_by=shop.seller.memberships.get().user, upload=csv_upload(rows)
    )
    apply_import(seller=shop.seller, public_id=second.public_id)

    assert second.errors == [
        {
            "line": 2,
            "column": "gtin",
            "message": f"The catalog has GTIN {gtin(1)} for this SKU's variant",
        },
        {"line": 3, "column": "seller_sku", "message": "This SKU is already on line 2"},
    ]
    assert all_offers_state() == before


def test_a_variant_offered_under_another_sku_is_not_offered_twice(shop):
    first = preview_import(
        seller=shop.seller,
        uploaded_by=shop.seller.memberships.get().user,
        upload=csv_upload([["seller_sku", "gtin", "price", "stock"], ["HP-1", gtin(1), "10", "1"]]),
    )
    apply_import(seller=shop.seller, public_id=first.public_id)
    before = all_offers_state()

    second = preview_import(
        seller=shop.seller,
        uploaded_by=shop.seller.memberships.get().user,
        upload=csv_upload([["seller_sku", "gtin", "price", "stock"], ["HP-2", gtin(1), "10", "1"]]),
    )
    apply_import(seller=shop.seller, public_id=second.public_id)

    assert second.errors == [
        {
            "line": 2,
            "column": "gtin",
            "message": "You already offer this variant under SKU HP-1; use that SKU to change it",
        }
    ]
    assert all_offers_state() == before
