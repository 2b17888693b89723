"""Export in the import's format: formula cells neutralised, and a round trip changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.factories import make_offer

from caravan.imports.exporting import csv_chunks, export_rows, write_xlsx
from caravan.imports.services import apply_import, preview_import
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.services import update_offer

from .helpers import all_offers_state, csv_upload, gtin, read_csv, read_xlsx, upload

HYPERLINK = '=HYPERLINK("http://evil.example","click")'


def export_csv(seller) -> bytes:
    return "".join(csv_chunks(export_rows(seller=seller))).encode()


def export_xlsx(seller) -> bytes:
    with write_xlsx(export_rows(seller=seller)) as handle:
        return handle.read()


def import_file(shop, data: bytes, name: str):
    return preview_import(
        seller=shop.seller,
        uploaded_by=shop.seller.memberships.get().user,
        upload=upload(data, name=name),
    )


def formula_offers(shop) -> None:
    rows = [
        ["seller_sku", "gtin", "product_id", "variant", "price", "stock"],
        [HYPERLINK, gtin(1), "", "", "100", "1"],
        ["+7 SKU", "", shop.kettle.public_id, "Red", "100", "1"],
        ["-cmd", "", shop.kettle.public_id, "Blue", "100", "1"],
        ["@SUM(A1)", "", shop.cable.public_id, "", "100", "1"],
    ]
    preview = preview_import(
        seller=shop.seller, uploaded_by=shop.seller.memberships.get().user, upload=csv_upload(rows)
    )
    apply_import(seller=shop.seller, public_id=preview.public_id)


def test_formula_cells_are_imported_as_plain_text(shop):
    formula_offers(shop)

    assert sorted(
        Offer.objects.filter(seller=shop.seller).values_list("seller_sku", flat=True)
    ) == [
        "+7 SKU",
        "-cmd",
        HYPERLINK,
        "@SUM(A1)",
    ]


def test_csv_export_neutralises_formula_cells(shop):
    formula_offers(shop)

    rows = read_csv(export_csv(shop.seller))

    assert rows[0][:3] == ["seller_sku", "product_id", "variant"]
    assert sorted(row[0] for row in rows[1:]) == ["'+7 SKU", "'-cmd", "'" + HYPERLINK, "'@SUM(A1)"]


def test_xlsx_export_writes_formula_cells_as_text(shop):
    formula_offers(shop)
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export_xlsx(shop.seller))).worksheets[0]

    skus = [sheet.cell(row=line, column=1) for line in range(2, 6)]
    assert sorted(cell.value for cell in skus) == ["'+7 SKU", "'-cmd", "'" + HYPERLINK, "'@SUM(A1)"]
    assert {cell.data_type for cell in skus} == {"s"}


def test_csv_export_has_every_offer_with_its_terms(shop):
    offer = make_offer(
        seller=shop.seller,
        variant=shop.headphones.variants.get(),
        price="1990.5",
        stock=4,
        handling_days=2,
    )
    update_offer(
        seller=shop.seller,
        offer_public_id=offer.public_id,
        compare_at_price=Money("2500", "RUB"),
        max_order_quantity=3,
        condition="used",
    )

    rows = read_csv(export_csv(shop.seller))

    variant = shop.headphones.variants.get()
    assert rows == [
        [
            "seller_sku", "product_id", "variant", "gtin", "brand", "mpn", "name_en", "name_ru",
            "price", "currency", "stock", "handling_days", "ships_from", "active", "condition",
            "compare_at_price", "min_per_order", "max_per_order",
        ],
        [
            offer.public_id, shop.headphones.public_id, variant.public_id, gtin(1), "Acme", "",
            "Headphones", "Headphones (ru)", "1990.50", "RUB", "4", "2", "RU", "yes", "used",
            "2500.00", "1", "3",
        ],
    ]  # fmt: skip


def test_export_lists_only_the_sellers_own_offers(shop):
    make_offer(seller=shop.rival, variant=shop.headphones.variants.get(), price="150")
    mine = make_offer(seller=shop.seller, variant=shop.cable.variants.get(), price="10")

    rows = read_csv(export_csv(shop.seller))

    assert [row[0] for row in rows[1:]] == [mine.public_id]


def market_offers(shop) -> None:
    """Offers made in the portal (no SKU), one with every term set, a formula SKU."""
    make_offer(seller=shop.seller, variant=shop.headphones.variants.get(), price="1990", stock=4)
    red = make_offer(
        seller=shop.seller, variant=shop.kettle.variants.get(gtin=gtin(2)), price="99.90", stock=0
    )
    update_offer(
        seller=shop.seller,
        offer_public_id=red.public_id,
        seller_sku="-KT-RED",
        compare_at_price=Money("120", "RUB"),
        condition="refurbished",
        ships_from="CN",
        min_order_quantity=2,
        max_order_quantity=10,
        is_active=False,
    )
    make_offer(seller=shop.rival, variant=shop.cable.variants.get(), price="15")


@pytest.mark.parametrize(
    ("exporter", "name"), [(export_csv, "offers.csv"), (export_xlsx, "offers.xlsx")]
)
def test_a_round_trip_changes_nothing(shop, exporter, name):
    market_offers(shop)
    before = all_offers_state()

    preview = import_file(shop, exporter(shop.seller), name)
    applied = apply_import(seller=shop.seller, public_id=preview.public_id)

    assert (preview.row_count, preview.unchanged_count, preview.error_count, preview.errors) == (
        2,
        2,
        0,
        [],
    )
    assert (applied.create_count, applied.update_count, applied.unchanged_count) == (0, 0, 2)
    assert all_offers_state() == before


def test_an_exported_file_with_a_changed_price_updates_that_offer_only(shop):
    market_offers(shop)
    rows = read_csv(export_csv(shop.seller))
    price = rows[0].index("price")
    red_line = next(row for row in rows if row[0] == "'-KT-RED")
    red_line[price] = "89.90"
    from .helpers import csv_bytes

    preview = import_file(shop, csv_bytes(rows), "offers.csv")
    apply_import(seller=shop.seller, public_id=preview.public_id)

    assert (preview.update_count, preview.unchanged_count) == (1, 1)
    assert Offer.objects.get(seller_sku="-KT-RED").price_amount == Decimal("89.90")


def test_xlsx_export_keeps_numbers_as_numbers(shop):
    make_offer(seller=shop.seller, variant=shop.headphones.variants.get(), price="1990.5", stock=4)

    rows = read_xlsx(export_xlsx(shop.seller))

    header = rows[0]
    assert (rows[1][header.index("price")], rows[1][header.index("stock")]) == (1990.5, 4)
    assert rows[1][header.index("gtin")] == gtin(1)
