"""Writes to the journal: `post_entry` is the only way postings are made.

The flows (capture, release, refund, payout...) in `ledger.flows` build their lines and call
it; nothing else writes postings or moves a cached balance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, F, Q, Value, When

from caravan.kernel.errors import DomainError
from caravan.kernel.money import Money

from .models import Account, JournalEntry, Posting

PLATFORM = "platform"

# Accounts whose balance must stay on one side; a posting that would push one across is
# refused before anything is written (a CHECK constraint backs the seller-owned ones up).
CREDIT_ONLY = frozenset(
    {
        Account.Purpose.ESCROW,
        Account.Purpose.SELLER_PAYABLE,
        Account.Purpose.PAYOUTS_IN_TRANSIT,
    }
)
DEBIT_ONLY = frozenset({Account.Purpose.SELLER_RECEIVABLE})
INSUFFICIENT_CODES = {
    Account.Purpose.ESCROW: "insufficient_escrow",
    Account.Purpose.SELLER_PAYABLE: "insufficient_payable",
    Account.Purpose.PAYOUTS_IN_TRANSIT: "insufficient_in_transit",
    Account.Purpose.SELLER_RECEIVABLE: "insufficient_receivable",
}


class LedgerError(DomainError):
    """A posting the ledger refuses. Codes: unbalanced, not_rounded, too_few_lines,
    unknown_purpose, key_conflict, insufficient_escrow, insufficient_payable,
    insufficient_in_transit, insufficient_receivable."""

    code = "ledger_error"


def party_for_seller(seller_id: int) -> str:
    return f"seller:{seller_id}"


def seller_order_reference(seller_order_id: int) -> str:
    return f"seller_order:{seller_order_id}"


@dataclass(frozen=True)
class Line:
    """One leg of an entry; `money` is signed: debit positive, credit negative."""

    purpose: str
    party: str
    money: Money
    reference: str = ""

    @property
    def account_key(self) -> AccountKey:
        return (self.purpose, self.party, self.reference, self.money.currency)


AccountKey = tuple[str, str, str, str]  # purpose, party, reference, currency


def _checked_lines(lines: Sequence[Line]) -> list[Line]:
    purposes = set(Account.Purpose.values)
    kept: list[Line] = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.purpose not in purposes:
            raise LedgerError(f"unknown account purpose {line.purpose!r}", code="unknown_purpose")
        if line.money.rounded() != line.money:
            raise LedgerError(
                f"{line.money.amount} {line.money.currency} on {line.purpose} is not rounded "
                "to the currency's minor unit",
                code="not_rounded",
            )
        if line.money.is_zero:
            continue
        kept.append(line)
        totals[line.money.currency] += line.money.amount
    unbalanced = {currency: total for currency, total in totals.items() if total != 0}
    if unbalanced:
        detail = ", ".join(f"{total} {currency}" for currency, total in sorted(unbalanced.items()))
        raise LedgerError(f"the entry does not balance: {detail}", code="unbalanced")
    if len(kept) < 2:
        raise LedgerError("an entry needs at least two non-zero lines", code="too_few_lines")
    return kept


def _account_filter(keys: Iterable[AccountKey]) -> Q:
    condition = Q(pk__in=[])
    for purpose, party, reference, currency in keys:
        condition |= Q(purpose=purpose, party=party, reference=reference, currency=currency)
    return condition


def _key_of(account: Account) -> AccountKey:
    return (account.purpose, account.party, account.reference, account.currency)


def lock_accounts(*, keys: Iterable[AccountKey]) -> dict[AccountKey, Account]:
    """Get or create the accounts and lock them, by primary key (the house lock order).

    Must run inside a transaction. One statement when every account exists; a new account
    (a seller order's escrow at capture) adds an insert and a second locking select. The
    new rows are invisible to other transactions until commit, so locking them after the
    existing ones cannot deadlock with a writer that follows the pk order.
    """
    wanted = set(keys)
    found = {
        _key_of(account): account
        for account in Account.objects.select_for_update()
        .filter(_account_filter(wanted))
        .order_by("pk")
    }
    missing = wanted - found.keys()
    if missing:
        Account.objects.bulk_create(
            [
                Account(purpose=purpose, party=party, reference=reference, currency=currency)
                for purpose, party, reference, currency in sorted(missing)
            ],
            ignore_conflicts=True,
        )
        found.update(
            (_key_of(account), account)
            for account in Account.objects.select_for_update()
            .filter(_account_filter(missing))
            .order_by("pk")
        )
    return found


def get_entry_by_key(*, key: str) -> JournalEntry | None:
    return JournalEntry.objects.filter(key=key).first()


def _line_signature(
    lines: Iterable[tuple[str, str, str, str, Decimal]],
) -> Counter[tuple[str, str, str, str, Decimal]]:
    return Counter(lines)


def _posted_signature(entry: JournalEntry) -> Counter[tuple[str, str, str, str, Decimal]]:
    return _line_signature(
        (purpose, party, reference, currency, amount)
        for purpose, party, reference, currency, amount in entry.postings.values_list(
            "account__purpose",
            "account__party",
            "account__reference",
            "account__currency",
            "amount",
        )
    )


def check_replay(
    *, entry: JournalEntry, kind: str, lines: Sequence[Line], partial: bool = False
) -> None:
    """Raise `key_conflict` unless the posted entry is the one these lines describe.

    `partial`: the lines are only those that do not depend on balances at posting time (a
    release's receivable settlement does), so they must be among the postings, not all of them.
    """
    expected = _line_signature(
        (*line.account_key, line.money.amount) for line in lines if not line.money.is_zero
    )
    posted = _posted_signature(entry)
    same = expected <= posted if partial else expected == posted
    if entry.kind != kind or not same:
        raise LedgerError(
            f"the ledger key {entry.key!r} was already posted with other lines",
            code="key_conflict",
        )


def _check_sides(accounts: dict[AccountKey, Account], deltas: dict[AccountKey, Decimal]) -> None:
    for account_key, delta in deltas.items():
        account = accounts[account_key]
        balance = account.balance_amount + delta
        purpose = account.purpose
        if (purpose in CREDIT_ONLY and balance > 0) or (purpose in DEBIT_ONLY and balance < 0):
            raise LedgerError(
                f"{account} holds {account.balance_amount}; {delta} would overdraw it",
                code=INSUFFICIENT_CODES[Account.Purpose(purpose)],
            )


def post_entry(
    *, key: str, kind: str, memo: str, lines: Sequence[Line]
) -> tuple[JournalEntry, bool]:
    """Post one balanced entry; `(entry, True)` when posted, `(first entry, False)` on replay.

    The key is the business event: the same key with the same lines returns the entry
    already posted and writes nothing; the same key with other lines is a bug (key_conflict).
    Zero lines are dropped; every amount must be rounded to its currency's minor unit and
    every currency must sum to zero. Accounts are created as needed and locked by pk, and an
    account that must stay on one side (escrow, payable, in transit, receivable) is never
    pushed across: that is refused with an `insufficient_*` code and nothing is written.
    """
    kept = _checked_lines(lines)
    deltas: dict[AccountKey, Decimal] = defaultdict(Decimal)
    for line in kept:
        deltas[line.account_key] += line.money.amount
    try:
        with transaction.atomic():
            accounts = lock_accounts(keys=deltas.keys())
            # Read after the locks: a concurrent post of the same key (which shares these
            # accounts) has committed by now, so it is seen here rather than as a duplicate.
            existing = get_entry_by_key(key=key)
            if existing is not None:
                check_replay(entry=existing, kind=kind, lines=kept)
                return existing, False
            _check_sides(accounts, deltas)
            entry = JournalEntry.objects.create(key=key, kind=kind, memo=memo[:255])
            Posting.objects.bulk_create(
                [
                    Posting(
                        entry=entry,
                        account=accounts[line.account_key],
                        amount=line.money.amount,
                        currency=line.money.currency,
                    )
                    for line in kept
                ]
            )
            moves = {accounts[account_key].pk: delta for account_key, delta in deltas.items()}
            moves = {pk: delta for pk, delta in moves.items() if delta != 0}
            if moves:
                Account.objects.filter(pk__in=moves).update(
                    balance_amount=F("balance_amount")
                    + Case(
                        *[When(pk=pk, then=Value(delta)) for pk, delta in moves.items()],
                        output_field=DecimalField(max_digits=20, decimal_places=2),
                    )
                )
    except IntegrityError:
        # Only a concurrent post of the same key with disjoint accounts gets here.
        if get_entry_by_key(key=key) is None:
            raise
        raise LedgerError(
            f"the ledger key {key!r} was already posted with other lines", code="key_conflict"
        ) from None
    return entry, True
