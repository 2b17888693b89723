"""The offers file format: its columns, what each cell may hold, and how a cell becomes a value.

One row is one offer of the seller on one catalog variant. `seller_sku` identifies the row
across uploads; the variant is found by `product_id` (+ `variant`), by `gtin`, or by `brand`
+ `mpn`; a row naming a product the catalog does not have proposes it (category and both
names required). The same columns come out of the export, so a file goes back in unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caravan.kernel.countries import COUNTRIES

SELLER_SKU = "seller_sku"
PRODUCT_ID = "product_id"
VARIANT = "variant"
GTIN = "gtin"
BRAND = "brand"
MPN = "mpn"
NAME_RU = "name_ru"
NAME_EN = "name_en"
PRICE = "price"
CURRENCY = "currency"
STOCK = "stock"
HANDLING_DAYS = "handling_days"
SHIPS_FROM = "ships_from"
ACTIVE = "active"
CONDITION = "condition"
COMPARE_AT_PRICE = "compare_at_price"
MIN_PER_ORDER = "min_per_order"
MAX_PER_ORDER = "max_per_order"
CATEGORY = "category"
DESCRIPTION_RU = "description_ru"
DESCRIPTION_EN = "description_en"
OPTIONS = "options"


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise
    example: str


COLUMNS: tuple[Column, ...] = (
    Column(
        SELLER_SKU,
        gettext_lazy(
            "Required. Your own code for the offer, unique in your shop: a row with a code "
            "you already use updates that offer."
        ),
        "HP-100-BLK",
    ),
    Column(
        PRODUCT_ID,
        gettext_lazy("The catalog product's id (as in the export), to offer on it."),
        "",
    ),
    Column(
        VARIANT,
        gettext_lazy(
            "With product_id: the variant's id or its options as shown (Black / 42); may "
            "stay empty when the product has one variant."
        ),
        "",
    ),
    Column(GTIN, gettext_lazy("Barcode (GTIN / EAN, 8 to 14 digits) of the variant."), ""),
    Column(BRAND, gettext_lazy("Brand; with mpn it identifies the variant."), "Acme"),
    Column(MPN, gettext_lazy("Manufacturer part number."), "HP-100-B"),
    Column(
        NAME_EN,
        gettext_lazy("Product name in English: required to propose a new product."),
        "Wireless headphones HP-100",
    ),
    Column(
        NAME_RU,
        gettext_lazy("Product name in Russian: required to propose a new product."),
        "Беспроводные наушники HP-100",
    ),
    Column(
        PRICE,
        gettext_lazy("Required. The price in your shop's currency, e.g. 1990.00."),
        "1990.00",
    ),
    Column(CURRENCY, gettext_lazy("Your shop's currency; may stay empty."), ""),
    Column(STOCK, gettext_lazy("Required. Units in stock, a whole number."), "25"),
    Column(
        HANDLING_DAYS,
        gettext_lazy("Days to hand the parcel to the carrier (0 to 60); new offers: 1."),
        "1",
    ),
    Column(
        SHIPS_FROM,
        gettext_lazy("Country code the parcel leaves from (RU, CN ...); new offers: your shop's."),
        "",
    ),
    Column(
        ACTIVE, gettext_lazy("yes or no: whether buyers see the offer; new offers: yes."), "yes"
    ),
    Column(CONDITION, gettext_lazy("new, used or refurbished; new offers: new."), "new"),
    Column(
        COMPARE_AT_PRICE,
        gettext_lazy("The former price shown struck through, above the price; empty: none."),
        "",
    ),
    Column(MIN_PER_ORDER, gettext_lazy("Smallest quantity a buyer may order; new offers: 1."), "1"),
    Column(MAX_PER_ORDER, gettext_lazy("Largest quantity a buyer may order; empty: no limit."), ""),
    Column(
        CATEGORY,
        gettext_lazy("New products: the category's code (its last part of the address)."),
        "",
    ),
    Column(DESCRIPTION_EN, gettext_lazy("New products: the description in English."), ""),
    Column(DESCRIPTION_RU, gettext_lazy("New products: the description in Russian."), ""),
    Column(
        OPTIONS,
        gettext_lazy(
            "New products: this variant's options as code=value, English|Russian when they "
            "differ, separated by semicolons: colour=Black|Чёрный; size=42."
        ),
        "",
    ),
)
COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = (SELLER_SKU, PRICE, STOCK)
# What the export writes: the offer and what locates it; the new-product columns stay out.
EXPORT_COLUMNS: tuple[str, ...] = (
    SELLER_SKU,
    PRODUCT_ID,
    VARIANT,
    GTIN,
    BRAND,
    MPN,
    NAME_EN,
    NAME_RU,
    PRICE,
    CURRENCY,
    STOCK,
    HANDLING_DAYS,
    SHIPS_FROM,
    ACTIVE,
    CONDITION,
    COMPARE_AT_PRICE,
    MIN_PER_ORDER,
    MAX_PER_ORDER,
)

MAX_CELL_LENGTH = 5000
MAX_SKU_LENGTH = 64
MAX_AMOUNT = Decimal("999999999999.99")

# A spreadsheet evaluates a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell that cannot become a value; the message is shown to the seller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_header(text: str) -> str:
    return text.strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")


def _formula_like(text: str) -> bool:
    # Quotes in front count too, so that a value that already starts with one survives.
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """Export: a text cell a spreadsheet would run as a formula is prefixed with a quote."""
    return "'" + text if _formula_like(text) else text


def restore(text: str) -> str:
    """Import: the quote that neutralise() put in front comes off again, so an exported file
    goes back in unchanged. Every cell is plain text; nothing is ever evaluated."""
    if text.startswith("'") and _formula_like(text[1:]):
        return text[1:]
    return text


YES = frozenset({"yes", "y", "true", "1", "да", "д", "on"})
NO = frozenset({"no", "n", "false", "0", "нет", "н", "off"})


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(_("Write yes or no"))


def parse_amount(text: str) -> Decimal:
    """1990, 1990.50, 1 990,50 (a decimal comma from a Russian spreadsheet); never a float."""
    cleaned = "".join(text.split()).replace("\u202f", "")
    if "," in cleaned:
        if "." in cleaned or cleaned.count(",") > 1:
            raise CellError(_("Write the amount as digits with a decimal point: 1990.50"))
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise CellError(_("Not an amount: write digits with a decimal point, 1990.50")) from error
    if not amount.is_finite():
        raise CellError(_("Not an amount: write digits with a decimal point, 1990.50"))
    if amount > MAX_AMOUNT:
        raise CellError(_("The amount is too large"))
    return amount


def parse_whole_number(text: str) -> int:
    cleaned = "".join(text.split())
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise CellError(_("Not a whole number")) from error
    if not number.is_finite() or number != number.to_integral_value():
        raise CellError(_("Not a whole number"))
    if abs(number) > 10**9:
        raise CellError(_("The number is too large"))
    return int(number)


def parse_country(text: str) -> str:
    code = text.strip().upper()
    if code not in COUNTRIES:
        raise CellError(
            _("Unknown country code %(code)s: use one of %(codes)s")
            % {"code": text.strip(), "codes": ", ".join(sorted(COUNTRIES))}
        )
    return code


def format_bool(value: bool) -> str:
    return "yes" if value else "no"
