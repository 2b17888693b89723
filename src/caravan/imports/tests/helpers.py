"""Files for the import tests, built in memory (not a test module)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from caravan.catalog.identifiers import gtin_check_digit
from caravan.catalog.models import Category, Product
from caravan.catalog.services import AttributeInput, ProductInput, VariantInput, create_product
from caravan.offers.models import Offer

Rows = Sequence[Sequence[object]]


def gtin(number: int) -> str:
    """A valid EAN-13 (GS1 check digit) made from a small number."""
    body = f"460{number:09d}"
    return body + str(gtin_check_digit(body))


def csv_bytes(
    rows: Rows, *, delimiter: str = ",", bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: Rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "offers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def csv_upload(rows: Rows, **options: object) -> SimpleUploadedFile:
    return upload(csv_bytes(rows, **options))  # type: ignore[arg-type]


def xlsx_upload(rows: Rows) -> SimpleUploadedFile:
    return upload(xlsx_bytes(rows), name="offers.xlsx")


def read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(data: bytes) -> list[list[object]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def catalog_product(
    *,
    category: Category,
    name_en: str,
    gtins: Sequence[str] = ("",),
    mpns: Sequence[str] = (),
    brand: str = "Acme",
    colours: Sequence[str] = (),
) -> Product:
    """An approved catalog product, one variant per GTIN (colours name them)."""
    variants = [
        VariantInput(
            options=[AttributeInput("colour", colours[index], colours[index])] if colours else (),
            gtin=code,
            mpn=mpns[index] if mpns else "",
        )
        for index, code in enumerate(gtins)
    ]
    return create_product(
        data=ProductInput(
            category=category,
            name_ru=f"{name_en} (ru)",
            name_en=name_en,
            brand=brand,
            variants=variants,
        )
    )


def offer_state(offer: Offer) -> tuple[object, ...]:
    offer.refresh_from_db()
    return (
        offer.seller_sku,
        offer.price_amount,
        offer.stock_quantity,
        offer.handling_days,
        offer.ships_from,
        offer.is_active,
        offer.condition,
        offer.compare_at_amount,
        offer.min_order_quantity,
        offer.max_order_quantity,
        offer.updated_at,
    )


def all_offers_state() -> list[tuple[object, ...]]:
    return [
        (offer.id, offer.seller_id, offer.variant_id, *offer_state(offer))
        for offer in Offer.objects.order_by("id")
    ]
