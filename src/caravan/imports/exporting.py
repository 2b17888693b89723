"""The seller's offers written out in the import's own format, streamed: a CSV is produced
row by row as the response is sent; an XLSX is written row by row (openpyxl's write-only
mode) into a temporary file that is then streamed. Text cells that a spreadsheet would run
as a formula are prefixed with a quote (OWASP: CSV injection); the importer takes it off.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO

from caravan.kernel.money import MINOR_UNITS
from caravan.offers.models import Offer
from caravan.sellers.models import Seller

from . import columns as c
from .columns import COLUMN_NAMES, EXPORT_COLUMNS, neutralise
from .selectors import iter_export_offers

Cell = str | int | Decimal


def _amount(amount: Decimal | None, currency: str) -> Decimal | None:
    if amount is None:
        return None
    return amount.quantize(Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2)))


def offer_cells(offer: Offer) -> dict[str, Cell | None]:
    """One offer as the columns of the file, typed (numbers stay numbers for XLSX)."""
    variant = offer.variant
    product = offer.product
    return {
        c.SELLER_SKU: offer.seller_sku or offer.public_id,
        c.PRODUCT_ID: product.public_id,
        c.VARIANT: variant.public_id,
        c.GTIN: variant.gtin,
        c.BRAND: product.brand,
        c.MPN: variant.mpn,
        c.NAME_EN: product.name_en,
        c.NAME_RU: product.name_ru,
        c.PRICE: _amount(offer.price_amount, offer.currency),
        c.CURRENCY: offer.currency,
        c.STOCK: offer.stock_quantity,
        c.HANDLING_DAYS: offer.handling_days,
        c.SHIPS_FROM: offer.ships_from,
        c.ACTIVE: c.format_bool(offer.is_active),
        c.CONDITION: offer.condition,
        c.COMPARE_AT_PRICE: _amount(offer.compare_at_amount, offer.currency),
        c.MIN_PER_ORDER: offer.min_order_quantity,
        c.MAX_PER_ORDER: offer.max_order_quantity,
    }


def export_rows(*, seller: Seller) -> Iterator[list[Cell | None]]:
    yield list(EXPORT_COLUMNS)
    for offer in iter_export_offers(seller=seller):
        cells = offer_cells(offer)
        yield [cells[name] for name in EXPORT_COLUMNS]


def template_rows(*, category_slug: str) -> Iterator[list[Cell | None]]:
    """The header with every column and two rows proposing one product in two colours."""
    yield list(COLUMN_NAMES)
    common: dict[str, Cell] = {
        c.BRAND: "Acme",
        c.NAME_EN: "Wireless headphones HP-100",
        c.NAME_RU: "Беспроводные наушники HP-100",
        c.PRICE: Decimal("1990.00"),
        c.STOCK: 25,
        c.HANDLING_DAYS: 1,
        c.ACTIVE: "yes",
        c.CONDITION: "new",
        c.MIN_PER_ORDER: 1,
        c.CATEGORY: category_slug,
        c.DESCRIPTION_EN: "Closed-back Bluetooth headphones, 30 hours on one charge.",
        c.DESCRIPTION_RU: "Закрытые Bluetooth-наушники, 30 часов без подзарядки.",
    }
    for sku, mpn, options in (
        ("HP-100-BLK", "HP-100-B", "colour=Black|Чёрный"),
        ("HP-100-WHT", "HP-100-W", "colour=White|Белый"),
    ):
        cells: dict[str, Cell] = {**common, c.SELLER_SKU: sku, c.MPN: mpn, c.OPTIONS: options}
        yield [cells.get(name) for name in COLUMN_NAMES]


def _text(value: Cell | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


class _Line:
    """csv.writer writes into this; each row comes straight back out as a string."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(rows: Iterable[list[Cell | None]]) -> Iterator[str]:
    # The byte order mark makes Excel read the file as UTF-8.
    yield "\ufeff"
    writer = csv.writer(_Line(), lineterminator="\r\n")
    for row in rows:
        yield writer.writerow([_text(value) for value in row])


def write_xlsx(rows: Iterable[list[Cell | None]]) -> IO[bytes]:
    """The rows in a workbook of one sheet, in a temporary file positioned at its start."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("offers")
    for row in rows:
        sheet.append(
            [
                neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
                if isinstance(value, str)
                else value
                for value in row
            ]
        )
    # Handed to the response, which closes it once sent.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(target)
    target.seek(0)
    return target
