"""The seller's statement as the portal shows and exports it: the ledger's rows for the seller's
own party, each with the seller's order number where the entry is about one of its orders.

Reads only; every lookup is scoped to the seller (the party is derived from the seller, and
order numbers are read among the seller's own orders).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from caravan.imports.columns import neutralise
from caravan.kernel.money import MINOR_UNITS
from caravan.ledger.models import Account, JournalEntry
from caravan.ledger.selectors import StatementRow, list_statement
from caravan.ledger.services import party_for_seller
from caravan.orders.models import SellerOrder
from caravan.sellers.models import Seller

Kind = JournalEntry.Kind
Purpose = Account.Purpose

# The entry kinds that ever touch a seller's accounts, in the order a sale lives them.
SELLER_KINDS = (
    Kind.CAPTURE,
    Kind.RELEASE,
    Kind.REFUND,
    Kind.CLAWBACK,
    Kind.PAYOUT,
    Kind.PAYOUT_SETTLED,
    Kind.PAYOUT_FAILED,
    Kind.ADJUSTMENT,
)

# The seller's words for its own accounts.
ACCOUNT_LABELS: dict[str, Promise] = {
    Purpose.ESCROW: _("In escrow"),
    Purpose.SELLER_PAYABLE: _("Available"),
    Purpose.SELLER_RECEIVABLE: _("Owed to the marketplace"),
    Purpose.PAYOUTS_IN_TRANSIT: _("Payout in transit"),
}

SELLER_ORDER_PREFIX = "seller_order:"


@dataclass(frozen=True)
class SellerStatementRow:
    row: StatementRow
    kind_label: str
    account_label: str
    order_number: str
    order_public_id: str


def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind


def account_label(purpose: str) -> str:
    label = ACCOUNT_LABELS.get(purpose)
    return str(label) if label is not None else purpose


def _order_ids(rows: Sequence[StatementRow]) -> set[int]:
    ids = set()
    for row in rows:
        suffix = row.reference.removeprefix(SELLER_ORDER_PREFIX)
        if row.reference.startswith(SELLER_ORDER_PREFIX) and suffix.isdigit():
            ids.add(int(suffix))
    return ids


def seller_statement(
    *,
    seller: Seller,
    currency: str | None = None,
    kinds: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[SellerStatementRow]:
    """The seller's postings oldest first, with running balances (see list_statement)."""
    rows = list_statement(
        party=party_for_seller(seller.id),
        currency=currency,
        kinds=kinds,
        since=since,
        until=until,
    )
    orders = {
        order_id: (number, public_id)
        for order_id, number, public_id in SellerOrder.objects.filter(
            seller=seller, id__in=_order_ids(rows)
        ).values_list("id", "number", "public_id")
    }
    enriched = []
    for row in rows:
        suffix = row.reference.removeprefix(SELLER_ORDER_PREFIX)
        number, public_id = orders.get(int(suffix), ("", "")) if suffix.isdigit() else ("", "")
        enriched.append(
            SellerStatementRow(
                row=row,
                kind_label=kind_label(row.kind),
                account_label=account_label(row.purpose),
                order_number=number,
                order_public_id=public_id,
            )
        )
    return enriched


def _plain(amount: Decimal, currency: str) -> str:
    return str(amount.quantize(Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))))


CSV_HEADER = (
    "date",
    "entry",
    "kind",
    "order",
    "account",
    "memo",
    "currency",
    "amount",
    "balance",
)


def statement_csv_rows(rows: Sequence[SellerStatementRow]) -> Iterator[list[str]]:
    """The header, then one line per posting. Text cells a spreadsheet would run as a formula
    are neutralised (OWASP CSV injection); amounts are plain numbers in the minor unit."""
    yield list(CSV_HEADER)
    for item in rows:
        row = item.row
        currency = row.amount.currency
        yield [
            f"{timezone.localtime(row.created_at):%Y-%m-%d %H:%M}",
            str(row.entry_id),
            neutralise(item.kind_label),
            neutralise(item.order_number),
            neutralise(item.account_label),
            neutralise(row.memo),
            currency,
            _plain(row.amount.amount, currency),
            _plain(row.balance.amount, currency),
        ]
