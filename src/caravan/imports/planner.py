"""The import itself: rows in, a decision per row (create, update, unchanged, error, or part
of a proposed product), and, when applying, batched writes.

The same code runs the dry run and the real thing, so the preview shows what confirming
does. Rows are taken in chunks: each chunk costs a few queries (offers by SKU, variants by
product id / GTIN / brand + part number, offers on those variants) and, when applying, one
bulk insert and one bulk update; every touched product's listing summary is recomputed once,
at the end. What is kept across chunks is small: the SKUs and variants already seen (to catch
repeats), the touched product ids, and the rows of the one new product being assembled.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from caravan.catalog.identifiers import brand_mpn_key
from caravan.catalog.models import Category, Variant
from caravan.catalog.selectors import list_attributes, list_leaf_categories
from caravan.catalog.services import ProductInput, VariantInput
from caravan.fx.models import ExchangeRate
from caravan.fx.services import base_currency, convert, latest_rates
from caravan.kernel.clock import now
from caravan.kernel.errors import DomainError, NotFound
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.proposals import propose_product
from caravan.offers.services import announce_product_changes, validate_offer_terms
from caravan.sellers.models import Seller

from . import columns as c
from .lineindex import LineIndex, text_key
from .locating import locate
from .offer_writes import update_offers
from .readers import MAX_ROWS, SourceRow
from .row_checks import contradiction, locating_column, significant
from .rows import COLUMN_OF_FIELD, ParsedRow, RowError, parse_row

CHUNK_SIZE = 500
CHUNKS_PER_COLLECTION = 2
MAX_REPORTED_ERRORS = 500
MAX_VARIANTS_PER_PRODUCT = 50

# Every term an import may change, with what a new offer starts from.
TERM_DEFAULTS: dict[str, Any] = {
    "handling_days": 1,
    "is_active": True,
    "condition": Offer.Condition.NEW,
    "compare_at_amount": None,
    "min_order_quantity": 1,
    "max_order_quantity": None,
}
# Which column a broken offer rule points at (offers.services.validate_offer_terms codes).
RULE_COLUMNS: dict[str, str] = {
    "price_not_positive": c.PRICE,
    "currency_mismatch": c.CURRENCY,
    "compare_at_currency": c.COMPARE_AT_PRICE,
    "compare_at_not_above_price": c.COMPARE_AT_PRICE,
    "invalid_stock": c.STOCK,
    "invalid_handling_days": c.HANDLING_DAYS,
    "invalid_condition": c.CONDITION,
    "invalid_min_order": c.MIN_PER_ORDER,
    "invalid_max_order": c.MAX_PER_ORDER,
}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    products: int = 0
    errors: list[RowError] = field(default_factory=list)
    _unsorted: list[RowError] = field(default_factory=list)

    def reject(self, errors: list[RowError]) -> None:
        self.error_rows += 1
        self._unsorted.extend(errors)

    def sort_errors(self) -> None:
        """A chunk's cell errors come before its lookup errors; the report reads by line."""
        self._unsorted.sort(key=lambda error: error.line)
        room = MAX_REPORTED_ERRORS - len(self.errors)
        self.errors.extend(self._unsorted[: max(room, 0)])
        self._unsorted = []


@dataclass
class _NewProduct:
    """Consecutive rows naming the same new product: one proposal, one variant per row."""

    key: tuple[object, ...]
    category: Category
    rows: list[tuple[ParsedRow, dict[str, Any]]] = field(default_factory=list)
    option_lines: dict[tuple[tuple[str, str], ...], int] = field(default_factory=dict)


def _chunks(rows: Iterable[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ImportRun:
    def __init__(self, *, seller: Seller, apply: bool) -> None:
        self.seller = seller
        self.apply = apply
        self.report = ImportReport()
        # Fixed-size tables, not dicts: the memory a run keeps does not grow with the file.
        self._sku_lines = LineIndex(capacity=MAX_ROWS)
        self._variant_lines = LineIndex(capacity=MAX_ROWS)
        # GTINs and brand + part number keys of the products this file proposes.
        self._proposed_identifiers: LineIndex | None = None
        self._touched_products: LineIndex | None = None
        self._new_product: _NewProduct | None = None
        self._creates: list[Offer] = []
        self._updates: list[Offer] = []
        self._categories: dict[str, Category] | None = None
        self._attribute_codes: set[str] | None = None
        self._rates: dict[str, ExchangeRate] | None = None
        self._started_at = now()

    def run(self, rows: Iterable[SourceRow]) -> ImportReport:
        for number, chunk in enumerate(_chunks(rows, CHUNK_SIZE), start=1):
            self._process(chunk)
            if number % CHUNKS_PER_COLLECTION == 0:
                # Django's model and queryset objects form reference cycles that only the
                # cyclic collector frees, and it runs when it likes: collecting every few
                # chunks keeps the peak the same for any length of file (about 40 ms each).
                gc.collect()
        self._close_new_product()
        self._write()
        self.report.sort_errors()
        if self.apply:
            # Once for every product, after every offer is in: one projection task for
            # the whole import, once it commits (ADR 0007).
            touched = self._touched_products.keys() if self._touched_products else ()
            announce_product_changes(product_ids=touched)
        return self.report

    # --- one chunk ---

    def _process(self, chunk: list[SourceRow]) -> None:
        parsed: list[ParsedRow] = []
        for source in chunk:
            self.report.rows += 1
            result = parse_row(source=source, seller=self.seller)
            if isinstance(result, list):
                self.report.reject(result)
            else:
                parsed.append(result)
        by_sku = self._offers_by_sku([row.sku for row in parsed])
        targets = locate([row for row in parsed if row.sku not in by_sku])
        by_variant = self._offers_by_variant(
            [target.id for target in targets.values() if isinstance(target, Variant)]
        )
        for row in parsed:
            self._decide(row, by_sku=by_sku, targets=targets, by_variant=by_variant)
        self._write()
        self.report.sort_errors()

    def _decide(
        self,
        row: ParsedRow,
        *,
        by_sku: dict[str, Offer],
        targets: dict[int, Variant | RowError | None],
        by_variant: dict[int, Offer],
    ) -> None:
        first_line = self._sku_lines.setdefault(text_key(row.sku), row.line)
        if first_line != row.line:
            self._reject(
                row, c.SELLER_SKU, _("This SKU is already on line %(line)s") % {"line": first_line}
            )
            return
        offer = by_sku.get(row.sku)
        if offer is not None:
            error = contradiction(row, offer)
            if error is not None:
                self.report.reject([error])
                return
            self._update(row, offer, assign_sku=False, column=c.SELLER_SKU)
            return
        target = targets[row.line]
        if target is None:
            self._propose(row)
            return
        if isinstance(target, RowError):
            self.report.reject([target])
            return
        existing = by_variant.get(target.id)
        column = locating_column(row)
        if existing is None:
            self._create(row, target, column=column)
        elif existing.seller_sku:
            self._reject(
                row,
                column,
                _("You already offer this variant under SKU %(sku)s; use that SKU to change it")
                % {"sku": existing.seller_sku},
            )
        else:
            # An offer made in the portal has no SKU yet: this row gives it one.
            self._update(row, existing, assign_sku=True, column=column)

    def _touch(self, product_id: int) -> None:
        if self._touched_products is None:
            # A proposal's product and each row's product: never more than the rows.
            self._touched_products = LineIndex(capacity=MAX_ROWS)
        self._touched_products.setdefault(product_id, 0)

    def _reject(self, row: ParsedRow, column: str, message: str) -> None:
        self.report.reject([RowError(line=row.line, column=column, message=message)])

    def _claim_variant(self, row: ParsedRow, variant_id: int, column: str) -> bool:
        first_line = self._variant_lines.setdefault(variant_id, row.line)
        if first_line != row.line:
            self._reject(
                row,
                column,
                _("Line %(line)s already sets your offer on this variant") % {"line": first_line},
            )
            return False
        return True

    # --- terms ---

    def _terms(self, row: ParsedRow, current: Offer | None) -> dict[str, Any] | None:
        """The offer's terms after this row, checked as a whole; None when they break a rule
        (the row is rejected)."""
        if current is None:
            terms = {**TERM_DEFAULTS, "ships_from": self.seller.country}
        else:
            terms = {
                name: getattr(current, name)
                for name in (*TERM_DEFAULTS, "ships_from", "price_amount", "stock_quantity")
            }
        terms.update(row.terms)
        currency = self.seller.currency
        price = Money(terms["price_amount"], currency)
        compare_at = terms["compare_at_amount"]
        try:
            validate_offer_terms(
                seller=self.seller,
                price=price,
                stock_quantity=terms["stock_quantity"],
                handling_days=terms["handling_days"],
                compare_at_price=Money(compare_at, currency) if compare_at is not None else None,
                condition=terms["condition"],
                min_order_quantity=terms["min_order_quantity"],
                max_order_quantity=terms["max_order_quantity"],
            )
        except DomainError as error:
            column = RULE_COLUMNS.get(error.code, "")
            if error.code == "price_precision":
                column = c.PRICE if price.rounded() != price else c.COMPARE_AT_PRICE
            self._reject(row, column, error.message)
            return None
        if current is None or terms["price_amount"] != current.price_amount:
            try:
                terms["reference_price_amount"] = self._reference_amount(price)
            except NotFound:
                self._reject(
                    row,
                    c.PRICE,
                    _("No exchange rate for %(currency)s yet; try again later")
                    % {"currency": currency},
                )
                return None
        return terms

    def _reference_amount(self, price: Money) -> Decimal:
        base = base_currency()
        if self._rates is None:
            self._rates = latest_rates(quote=base)
        return convert(money=price, to=base, rates=self._rates).converted.amount

    def _create(self, row: ParsedRow, variant: Variant, *, column: str) -> None:
        terms = self._terms(row, None)
        if terms is None or not self._claim_variant(row, variant.id, column):
            return
        self._close_new_product()
        self.report.created += 1
        if self.apply:
            self._creates.append(self._new_offer(row, variant, terms))
            self._touch(variant.product_id)

    def _new_offer(self, row: ParsedRow, variant: Variant, terms: dict[str, Any]) -> Offer:
        return Offer(
            seller=self.seller,
            variant_id=variant.id,
            product_id=variant.product_id,
            seller_sku=row.sku,
            currency=self.seller.currency,
            **terms,
        )

    def _update(self, row: ParsedRow, offer: Offer, *, assign_sku: bool, column: str) -> None:
        terms = self._terms(row, offer)
        if terms is None or not self._claim_variant(row, offer.variant_id, column):
            return
        self._close_new_product()
        changed = [name for name, value in terms.items() if getattr(offer, name) != value]
        if assign_sku:
            changed.append("seller_sku")
        if not changed:
            self.report.unchanged += 1
            return
        self.report.updated += 1
        if self.apply:
            for name, value in terms.items():
                setattr(offer, name, value)
            if assign_sku:
                offer.seller_sku = row.sku
            offer.updated_at = self._started_at
            self._updates.append(offer)
            self._touch(offer.product_id)

    # --- new products ---

    def _propose(self, row: ParsedRow) -> None:
        fields = row.product
        assert fields is not None  # locate only leaves rows naming a product unresolved
        missing = [
            column
            for column, value in (
                (c.CATEGORY, fields.category),
                (c.NAME_EN, fields.name_en),
                (c.NAME_RU, fields.name_ru),
            )
            if not value
        ]
        if missing:
            self.report.reject(
                [
                    RowError(row.line, column, _("Required to propose a new product"))
                    for column in missing
                ]
            )
            return
        category = self._category(fields.category)
        if category is None:
            self._reject(
                row,
                c.CATEGORY,
                _("No category with the code %(code)s; the import page lists the codes")
                % {"code": fields.category[:60]},
            )
            return
        unknown = sorted({option.code for option in fields.options} - self._attributes())
        if unknown:
            self._reject(
                row,
                c.OPTIONS,
                _("Unknown option %(codes)s; use one of: %(known)s")
                % {
                    "codes": ", ".join(unknown)[:80],
                    "known": ", ".join(sorted(self._attributes())),
                },
            )
            return
        if not self._claim_identifiers(row):
            return
        key = (category.id, row.brand.casefold(), fields.name_en, fields.name_ru)
        group = self._new_product
        if group is None or group.key != key or len(group.rows) >= MAX_VARIANTS_PER_PRODUCT:
            # Rejected rows leave the product being assembled open; anything else closes it.
            group = _NewProduct(key=key, category=category)
        options = tuple((option.code, option.value_en.casefold()) for option in fields.options)
        same = group.option_lines.setdefault(options, row.line)
        if same != row.line:
            self._reject(
                row,
                c.OPTIONS,
                _("Line %(line)s already proposes this product with the same options")
                % {"line": same},
            )
            return
        terms = self._terms(row, None)
        if terms is None:
            return
        if group is not self._new_product:
            self._close_new_product()
            self._new_product = group
        if not group.rows:
            self.report.products += 1
        group.rows.append((row, terms))
        self.report.created += 1

    def _claim_identifiers(self, row: ParsedRow) -> bool:
        for column, identifier in (
            (c.GTIN, f"gtin:{significant(row.gtin)}" if row.gtin else ""),
            (c.MPN, brand_mpn_key(brand=row.brand, mpn=row.mpn)),
        ):
            if not identifier:
                continue
            if self._proposed_identifiers is None:
                # Two identifiers (GTIN, brand + part number) at most per row.
                self._proposed_identifiers = LineIndex(capacity=2 * MAX_ROWS)
            first_line = self._proposed_identifiers.setdefault(text_key(identifier), row.line)
            if first_line != row.line:
                self._reject(
                    row,
                    column,
                    _("Line %(line)s already proposes a product with this identifier")
                    % {"line": first_line},
                )
                return False
        return True

    def _close_new_product(self) -> None:
        group, self._new_product = self._new_product, None
        if group is None or not group.rows or not self.apply:
            return
        first = group.rows[0][0]
        fields = first.product
        assert fields is not None
        data = ProductInput(
            category=group.category,
            name_ru=fields.name_ru,
            name_en=fields.name_en,
            brand=first.brand,
            description_ru=fields.description_ru,
            description_en=fields.description_en,
            variants=[
                VariantInput(
                    options=row.product.options if row.product else (), gtin=row.gtin, mpn=row.mpn
                )
                for row, _terms in group.rows
            ],
        )
        try:
            with transaction.atomic():
                outcome = propose_product(seller=self.seller, data=data)
        except DomainError as error:
            self.report.products -= 1
            self.report.created -= len(group.rows)
            for row, _terms in group.rows:
                self._reject(row, "", error.message)
            return
        if outcome.match is not None:
            # Someone listed it between the dry run's lookups and now: offer on theirs.
            variants = outcome.match.variants
        else:
            variants = list(outcome.product.variants.order_by("position", "id"))
        for variant, (row, terms) in zip(variants, group.rows, strict=True):
            self._creates.append(self._new_offer(row, variant, terms))
        self._touch(outcome.product.id)

    def _category(self, slug: str) -> Category | None:
        if self._categories is None:
            self._categories = {category.slug: category for category in list_leaf_categories()}
        return self._categories.get(slug)

    def _attributes(self) -> set[str]:
        if self._attribute_codes is None:
            self._attribute_codes = set(list_attributes().values_list("code", flat=True))
        return self._attribute_codes

    # --- lookups, one query each per chunk ---

    def _offers_by_sku(self, skus: list[str]) -> dict[str, Offer]:
        if not skus:
            return {}
        offers = (
            Offer.objects.filter(seller=self.seller)
            # An offer without a SKU is exported under its own id; that id finds it again.
            .filter(Q(seller_sku__in=skus) | Q(seller_sku="", public_id__in=skus))
            .select_related("variant", "product")
            .order_by("id")
        )
        if self.apply:
            offers = offers.select_for_update(of=("self",))
        found: dict[str, Offer] = {}
        for offer in offers:
            found.setdefault(offer.seller_sku or offer.public_id, offer)
        return found

    def _offers_by_variant(self, variant_ids: list[int]) -> dict[int, Offer]:
        if not variant_ids:
            return {}
        offers = Offer.objects.filter(seller=self.seller, variant_id__in=variant_ids)
        if self.apply:
            offers = offers.select_for_update()
        return {offer.variant_id: offer for offer in offers}

    # --- writes ---

    def _write(self) -> None:
        if not self.apply:
            return
        if self._creates:
            Offer.objects.bulk_create(self._creates, batch_size=CHUNK_SIZE)
            self._creates = []
        if self._updates:
            update_offers(self._updates)
            self._updates = []


__all__ = ["COLUMN_OF_FIELD", "ImportReport", "ImportRun"]
