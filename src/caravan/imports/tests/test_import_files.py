"""Files refused whole: wrong columns, wrong encoding, empty, garbage, too large. A refused
file leaves nothing behind: no offer, no import record, no stored file."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from caravan.imports.models import OfferImport
from caravan.imports.readers import MAX_UPLOAD_BYTES, FileRejected
from caravan.imports.services import preview_import

from .helpers import all_offers_state, csv_bytes, gtin, upload, xlsx_bytes


def refused(shop, data: bytes, name: str = "offers.csv") -> FileRejected:
    before = all_offers_state()
    with pytest.raises(FileRejected) as caught:
        preview_import(
            seller=shop.seller,
            uploaded_by=shop.seller.memberships.get().user,
            upload=upload(data, name=name),
        )
    assert all_offers_state() == before
    assert OfferImport.objects.count() == 0
    assert sorted(Path(settings.IMPORTS_DIR).glob("*")) == []
    return caught.value


def test_missing_and_unknown_columns_are_named(shop):
    data = csv_bytes([["seller_sku", "gtin", "prise", "colour"], ["HP-1", gtin(1), "10", "red"]])

    error = refused(shop, data)

    assert error.code == "import_columns"
    assert error.message == (
        "Missing columns: price, stock. "
        "Unknown column “prise” (did you mean price?). "
        "Unknown column “colour”. "
        "The first row must name the columns: seller_sku, product_id, variant, gtin, brand, "
        "mpn, name_en, name_ru, price, currency, stock, handling_days, ships_from, active, "
        "condition, compare_at_price, min_per_order, max_per_order, category, description_en, "
        "description_ru, options."
    )


def test_a_column_given_twice_is_refused(shop):
    data = csv_bytes([["seller_sku", "price", "stock", "Price"], ["HP-1", "1", "1", "2"]])

    error = refused(shop, data)

    assert error.code == "import_columns"
    assert error.message.startswith("Columns given twice: price. ")


def test_a_windows_1251_file_gets_one_clear_encoding_error(shop):
    data = csv_bytes(
        [["seller_sku", "name_ru", "price", "stock"], ["HP-1", "Наушники беспроводные", "10", "1"]],
        encoding="cp1251",
    )

    error = refused(shop, data)

    assert error.code == "import_encoding"
    assert error.message == (
        "The file is not in UTF-8. Save it as “CSV UTF-8” (Excel) or choose the UTF-8 "
        "encoding when you export it, then upload it again."
    )


def test_windows_1251_far_down_the_file_is_caught_where_it_starts(shop):
    rows = [["seller_sku", "gtin", "price", "stock"]] + [
        [f"SKU-{number}", gtin(1), "10", "1"] for number in range(4000)
    ]
    data = csv_bytes(rows) + "SKU-X,,Цена,1\r\n".encode("cp1251")

    error = refused(shop, data)

    assert error.code == "import_encoding"
    assert error.message.startswith("The file is not in UTF-8 (line 4002).")


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "import_empty", "The file is empty."),
        (b"\xef\xbb\xbf\r\n\r\n", "import_empty", "The file is empty."),
        (
            b"seller_sku,price,stock\r\n,,\r\n",
            "import_no_rows",
            "The file has the column names but no rows below them.",
        ),
    ],
)
def test_an_empty_file_is_refused(shop, data, code, message):
    error = refused(shop, data)

    assert (error.code, error.message) == (code, message)


def test_ten_megabytes_of_garbage_are_refused_by_size(shop):
    data = random.Random(7).randbytes(10 * 1000 * 1000)

    error = refused(shop, data, name="offers.xlsx")

    assert error.code == "import_too_large"
    assert error.message == "The file is larger than 8 MB; split it into several files."


def test_garbage_under_the_size_limit_is_refused_by_its_content(shop):
    data = random.Random(8).randbytes(MAX_UPLOAD_BYTES - 1)

    error = refused(shop, data, name="offers.csv")

    assert error.code == "import_not_a_table"
    assert error.message == (
        "This is not a CSV or XLSX file. Save the sheet as XLSX or as CSV UTF-8."
    )


def test_a_zip_that_is_not_a_workbook_is_refused(shop):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    error = refused(shop, buffer.getvalue(), name="offers.xlsx")

    assert error.code == "import_not_a_table"
    assert error.message == (
        "This archive is not an XLSX workbook. Save the sheet as XLSX or as CSV UTF-8."
    )


def test_a_damaged_workbook_is_refused(shop):
    data = xlsx_bytes([["seller_sku", "price", "stock"], ["HP-1", 10, 1]])

    error = refused(shop, data[: len(data) // 2], name="offers.xlsx")

    assert error.code == "import_not_a_table"


def test_a_workbook_with_wrong_columns_is_refused_like_a_csv(shop):
    error = refused(shop, xlsx_bytes([["sku", "price", "stock"], ["HP-1", 10, 1]]), "a.xlsx")

    assert error.code == "import_columns"
    assert error.message.startswith(
        "Missing columns: seller_sku. Unknown column “sku” (did you mean seller_sku?)."
    )


def test_a_cell_longer_than_the_limit_is_refused(shop):
    data = csv_bytes([["seller_sku", "price", "stock", "name_en"], ["HP-1", "1", "1", "x" * 5001]])

    error = refused(shop, data)

    assert (error.code, error.message) == (
        "import_cell_too_long",
        "Line 2: a cell is longer than 5000 characters.",
    )
