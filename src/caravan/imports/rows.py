"""One source row turned into typed values, every bad cell reported with its column.

Blank cells: price and stock are needed on every row; a blank compare_at_price or
max_per_order means "none"; any other blank cell (or a column the file leaves out) keeps the
offer's current value, and a new offer takes the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from caravan.catalog.identifiers import is_valid_gtin
from caravan.catalog.services import AttributeInput
from caravan.offers.models import Offer
from caravan.sellers.models import Seller

from . import columns as c
from .columns import CellError
from .readers import SourceRow

MAX_NAME_LENGTH = 200
MAX_BRAND_LENGTH = 80
MAX_MPN_LENGTH = 64
MAX_OPTIONS = 5


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class ProductFields:
    """What a row says about a product the catalog may not have yet."""

    category: str
    name_en: str
    name_ru: str
    description_en: str
    description_ru: str
    options: tuple[AttributeInput, ...]

    @property
    def is_given(self) -> bool:
        return bool(self.category or self.name_en or self.name_ru)


@dataclass
class ParsedRow:
    line: int
    sku: str
    product_id: str
    variant: str
    gtin: str
    brand: str
    mpn: str
    # Offer model field -> value; a field not here keeps its current value (or default).
    terms: dict[str, Any] = field(default_factory=dict)
    product: ProductFields | None = None


# Offer model field per column, for the terms a row sets.
TERM_FIELDS: dict[str, str] = {
    c.PRICE: "price_amount",
    c.STOCK: "stock_quantity",
    c.HANDLING_DAYS: "handling_days",
    c.SHIPS_FROM: "ships_from",
    c.ACTIVE: "is_active",
    c.CONDITION: "condition",
    c.COMPARE_AT_PRICE: "compare_at_amount",
    c.MIN_PER_ORDER: "min_order_quantity",
    c.MAX_PER_ORDER: "max_order_quantity",
}
COLUMN_OF_FIELD: dict[str, str] = {value: key for key, value in TERM_FIELDS.items()}
# A blank cell in these columns clears the value instead of keeping it.
CLEARED_WHEN_BLANK = frozenset({c.COMPARE_AT_PRICE, c.MAX_PER_ORDER})
CONDITIONS: dict[str, str] = {
    "new": Offer.Condition.NEW,
    "used": Offer.Condition.USED,
    "refurbished": Offer.Condition.REFURBISHED,
    "новый": Offer.Condition.NEW,
    "новое": Offer.Condition.NEW,
    "б/у": Offer.Condition.USED,
    "восстановленный": Offer.Condition.REFURBISHED,
}


def parse_row(*, source: SourceRow, seller: Seller) -> ParsedRow | list[RowError]:
    cells = source.cells
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line=source.line, column=column, message=message))

    sku = cells.get(c.SELLER_SKU, "")
    if not sku:
        fail(c.SELLER_SKU, _("The seller SKU is required"))
    elif len(sku) > c.MAX_SKU_LENGTH:
        fail(c.SELLER_SKU, _("At most %(count)s characters") % {"count": c.MAX_SKU_LENGTH})
    currency = cells.get(c.CURRENCY, "").upper()
    if currency and currency != seller.currency:
        fail(
            c.CURRENCY,
            _("Your shop prices in %(currency)s, not %(given)s")
            % {"currency": seller.currency, "given": currency[:8]},
        )
    gtin = cells.get(c.GTIN, "")
    if gtin and not is_valid_gtin(gtin):
        fail(
            c.GTIN,
            _(
                "Not a GTIN: 8, 12, 13 or 14 digits with a valid check digit (format the column as text to keep leading zeros)"
            ),
        )
    brand = cells.get(c.BRAND, "")
    if len(brand) > MAX_BRAND_LENGTH:
        fail(c.BRAND, _("At most %(count)s characters") % {"count": MAX_BRAND_LENGTH})
    mpn = cells.get(c.MPN, "")
    if len(mpn) > MAX_MPN_LENGTH or any(not character.isprintable() for character in mpn):
        fail(c.MPN, _("At most %(count)s printable characters") % {"count": MAX_MPN_LENGTH})
    terms: dict[str, Any] = {}
    for column, model_field in TERM_FIELDS.items():
        if column not in cells:
            continue
        text = cells[column]
        if not text:
            if column in (c.PRICE, c.STOCK):
                fail(column, _("Required"))
            elif column in CLEARED_WHEN_BLANK:
                terms[model_field] = None
            continue
        try:
            terms[model_field] = _parse_term(column, text)
        except CellError as error:
            fail(column, error.message)
    product = _product_fields(cells, fail)
    if errors:
        return errors
    return ParsedRow(
        line=source.line,
        sku=sku,
        product_id=cells.get(c.PRODUCT_ID, ""),
        variant=cells.get(c.VARIANT, ""),
        gtin=gtin,
        brand=brand,
        mpn=mpn,
        terms=terms,
        product=product if product.is_given else None,
    )


def _parse_term(column: str, text: str) -> object:
    if column in (c.PRICE, c.COMPARE_AT_PRICE):
        return c.parse_amount(text)
    if column in (c.STOCK, c.HANDLING_DAYS, c.MIN_PER_ORDER, c.MAX_PER_ORDER):
        return c.parse_whole_number(text)
    if column == c.SHIPS_FROM:
        return c.parse_country(text)
    if column == c.ACTIVE:
        return c.parse_bool(text)
    if column == c.CONDITION:
        condition = CONDITIONS.get(text.strip().lower())
        if condition is None:
            raise CellError(_("Write new, used or refurbished"))
        return condition
    raise AssertionError(column)


def _product_fields(cells: dict[str, str], fail: Any) -> ProductFields:
    for column in (c.NAME_EN, c.NAME_RU):
        if len(cells.get(column, "")) > MAX_NAME_LENGTH:
            fail(column, _("At most %(count)s characters") % {"count": MAX_NAME_LENGTH})
    options: tuple[AttributeInput, ...] = ()
    if cells.get(c.OPTIONS):
        try:
            options = parse_options(cells[c.OPTIONS])
        except CellError as error:
            fail(c.OPTIONS, error.message)
    return ProductFields(
        category=cells.get(c.CATEGORY, "").lower(),
        name_en=cells.get(c.NAME_EN, ""),
        name_ru=cells.get(c.NAME_RU, ""),
        description_en=cells.get(c.DESCRIPTION_EN, ""),
        description_ru=cells.get(c.DESCRIPTION_RU, ""),
        options=options,
    )


def parse_options(text: str) -> tuple[AttributeInput, ...]:
    """colour=Black|Чёрный; size=42 -> (colour, Black, Чёрный), (size, 42, 42)."""
    options: list[AttributeInput] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        code, separator, value = part.partition("=")
        code = code.strip().lower()
        if not separator or not code or not value.strip():
            raise CellError(_("Write options as code=value; code=value: colour=Black; size=42"))
        value_en, _bar, value_ru = value.partition("|")
        value_en, value_ru = value_en.strip(), (value_ru.strip() or value_en.strip())
        if len(value_en) > MAX_NAME_LENGTH or len(value_ru) > MAX_NAME_LENGTH:
            raise CellError(_("An option value is too long"))
        if any(option.code == code for option in options):
            raise CellError(_("Option %(code)s is given twice") % {"code": code[:40]})
        options.append(AttributeInput(code=code, value_ru=value_ru, value_en=value_en))
    if len(options) > MAX_OPTIONS:
        raise CellError(_("At most %(count)s options") % {"count": MAX_OPTIONS})
    return tuple(options)


def format_options(options: list[tuple[str, str, str]]) -> str:
    """The inverse of parse_options for (code, value_en, value_ru) triples."""
    parts = []
    for code, value_en, value_ru in options:
        parts.append(
            f"{code}={value_en}" if value_ru == value_en else f"{code}={value_en}|{value_ru}"
        )
    return "; ".join(parts)


def amount_or_none(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None
