"""Writes to the journal: `post_entry` is the only way postings are made.

The flows (capture, release, refund, payout...) in `ledger.flows` build their lines and call
it; nothing else writes postings or moves a cached balance. Only seller-owned accounts are
locked and keep a cached balance; the platform's own accounts are read, never locked or
updated (models.py), so concurrent captures do not queue on them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, Q, Value, When
from django.db.models.functions import Round

from caravan.kernel.clock import now
from caravan.kernel.errors import DomainError
from caravan.kernel.money import Money

from .models import PLATFORM, Account, JournalEntry, Posting, keeps_balance

__all__ = ["PLATFORM"]  # re-exported: the flows and selectors name the platform from here

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
    insufficient_in_transit, insufficient_receivable, entry_missing; the flows add invalid_amount (a
    negative amount, a margin in one currency, a commission above what it is taken from)."""

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
    """Lock the seller-owned accounts that exist among `keys`, by primary key (the house
    lock order), and read the platform's among them without a lock (nothing is cached on
    their rows, so there is nothing to guard).

    Must run inside a transaction. One statement per kind present; an account not there yet
    is simply absent from the result (its balance is zero).
    """
    wanted = set(keys)
    cached = {key for key in wanted if keeps_balance(key[1])}
    found: dict[AccountKey, Account] = {}
    if cached:
        found.update(
            (_key_of(account), account)
            for account in Account.objects.select_for_update()
            .filter(_account_filter(cached))
            .order_by("pk")
        )
    if wanted - cached:
        found.update(
            (_key_of(account), account)
            for account in Account.objects.filter(_account_filter(wanted - cached))
        )
    return found


def locked_balances(*, keys: Iterable[AccountKey]) -> dict[AccountKey, Decimal]:
    """The signed balances of the seller-owned accounts among `keys`, locked (zero for an
    account not there yet). The platform's accounts are left out: they are not locked, and
    no posting rule depends on their balance."""
    wanted = [key for key in keys if keeps_balance(key[1])]
    accounts = lock_accounts(keys=wanted)
    if len(accounts) < len(set(wanted)):
        # The statement's snapshot predates the locks it waited for: an account that the
        # writer holding them created meanwhile (the receivable of a racing clawback) is
        # seen only by a new statement.
        accounts = lock_accounts(keys=wanted)
    return {key: _cached_balance(accounts.get(key)) for key in wanted}


def _cached_balance(account: Account | None) -> Decimal:
    if account is None:
        return Decimal(0)
    assert account.balance_amount is not None, f"{account} keeps no balance"
    return account.balance_amount


def _create_accounts(keys: set[AccountKey]) -> dict[AccountKey, Account]:
    """Create the missing accounts and lock them.

    New rows are invisible to other transactions until commit, so locking them after the
    existing ones cannot deadlock with a writer that follows the pk order; a concurrent
    creator of the same account makes the insert wait, then skip it.
    """
    _insert_accounts(keys)
    return lock_accounts(keys=keys)


def _insert_accounts(keys: Iterable[AccountKey]) -> None:
    """Insert the accounts, skipping those that exist (a skipped committed row takes no lock;
    on PostgreSQL it costs a sequence value)."""
    Account.objects.bulk_create(
        [
            Account(
                purpose=purpose,
                party=party,
                reference=reference,
                currency=currency,
                balance_amount=Decimal(0) if keeps_balance(party) else None,
            )
            for purpose, party, reference, currency in sorted(keys)
        ],
        ignore_conflicts=True,
    )


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
        purpose = account_key[0]
        if purpose not in CREDIT_ONLY and purpose not in DEBIT_ONLY:
            continue
        balance = _cached_balance(accounts.get(account_key))
        if (purpose in CREDIT_ONLY and balance + delta > 0) or (
            purpose in DEBIT_ONLY and balance + delta < 0
        ):
            name = " ".join(part for part in account_key if part)
            raise LedgerError(
                f"{name} holds {balance}; {delta} would overdraw it",
                code=INSUFFICIENT_CODES[Account.Purpose(purpose)],
            )


def own_transaction() -> AbstractContextManager[object]:
    """A transaction when the caller has none; inside the caller's, no savepoint: every
    refusal is raised before the first write, so the caller's transaction stays usable."""
    if transaction.get_connection().in_atomic_block:
        return nullcontext()
    return transaction.atomic()


def post_entry(
    *, key: str, kind: str, memo: str, lines: Sequence[Line], accounts_new: bool = False
) -> tuple[JournalEntry, bool]:
    """Post one balanced entry; `(entry, True)` when posted, `(first entry, False)` on replay.

    The key is the business event: the same key with the same lines returns the entry
    already posted and writes nothing; the same key with other lines is a bug (key_conflict).
    Zero lines are dropped; every amount must be rounded to its currency's minor unit and
    every currency must sum to zero. Seller-owned accounts are locked by pk and created as
    needed, and one that must stay on one side (escrow, payable, in transit, receivable) is
    never pushed across: that is refused with an `insufficient_*` code. Every refusal comes
    before the first write, so nothing is written and the caller's transaction stays usable.

    Runs in the caller's transaction when there is one (no savepoint: this is on the payment
    path, where statements count), else in its own. The entry is inserted only if its key is
    new (`ON CONFLICT DO NOTHING`): a concurrent post of the same key makes the insert wait
    for that transaction's commit, then finds its entry, so no key lookup precedes the
    insert. Statements: the seller accounts' lock, the platform accounts' read, the entry,
    the postings, the cached balances; new accounts add an insert and a lock. A caller that
    expects new accounts (`accounts_new`: a capture opens each seller order's escrow) has
    them all inserted first, existing ones skipped: one insert instead of a lock finding
    them missing, the insert and a second lock.
    """
    kept = _checked_lines(lines)
    deltas: dict[AccountKey, Decimal] = defaultdict(Decimal)
    for line in kept:
        deltas[line.account_key] += line.money.amount
    with own_transaction():
        if accounts_new:
            _insert_accounts(deltas.keys())
        accounts = lock_accounts(keys=deltas.keys())
        try:
            _check_sides(accounts, deltas)
        except LedgerError:
            # A replay is not refused: its money has moved already, so the sides of the
            # balances it once moved say nothing about it.
            existing = get_entry_by_key(key=key)
            if existing is None:
                raise
            check_replay(entry=existing, kind=kind, lines=kept)
            return existing, False
        # The key is claimed before a missing account is created: a replay with other lines
        # (key_conflict) must leave no empty account behind.
        entry = _insert_entry_once(key=key, kind=kind, memo=memo[:255])
        if entry is None:
            existing = get_entry_by_key(key=key)
            assert existing is not None  # the insert found its key taken
            check_replay(entry=existing, kind=kind, lines=kept)
            return existing, False
        missing = deltas.keys() - accounts.keys()
        if missing:
            accounts.update(_create_accounts(missing))
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
        moves = {
            accounts[name].pk: delta
            for name, delta in deltas.items()
            if delta != 0 and keeps_balance(name[1])
        }
        if moves:
            # Rounded to the cent in SQL: SQLite adds decimal columns in binary floating
            # point, and an unrounded sum stores -1534.47 + 1024.13 + 510.34 as 5.7e-14,
            # which the credit-side CHECK refuses and the balance sums report as money.
            Account.objects.filter(pk__in=moves).update(
                balance_amount=Round(
                    F("balance_amount")
                    + Case(
                        *[When(pk=pk, then=Value(delta)) for pk, delta in moves.items()],
                        output_field=DecimalField(max_digits=20, decimal_places=2),
                    ),
                    2,
                )
            )
    return entry, True


def _insert_entry_once(*, key: str, kind: str, memo: str) -> JournalEntry | None:
    """Insert the entry unless its key is taken (then None). PostgreSQL and SQLite (3.35+)
    both take `ON CONFLICT DO NOTHING ... RETURNING`; the ORM's ignore_conflicts would not
    say which happened."""
    moment = now()
    table = connection.ops.quote_name(JournalEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "kind", "memo", "created_at") VALUES (%s, %s, %s, %s) '
            'ON CONFLICT ("key") DO NOTHING RETURNING "id"',
            [key, kind, memo, connection.ops.adapt_datetimefield_value(moment)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    entry = JournalEntry(id=row[0], key=key, kind=kind, memo=memo, created_at=moment)
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def post_reversal(*, key: str, memo: str, entry_key: str) -> JournalEntry:
    """Correct a mistaken entry the only way the journal allows: post its exact opposite.

    Refused like any entry when it would overdraw an account (escrow already released, a
    payable already paid out): correct that money's later entries first.
    """
    original = get_entry_by_key(key=entry_key)
    if original is None:
        raise LedgerError(f"no ledger entry {entry_key!r} to reverse", code="entry_missing")
    lines = [
        Line(
            purpose=posting.account.purpose,
            party=posting.account.party,
            reference=posting.account.reference,
            money=-posting.money,
        )
        for posting in original.postings.select_related("account").order_by("id")
    ]
    entry, _ = post_entry(key=key, kind=JournalEntry.Kind.REVERSAL, memo=memo, lines=lines)
    return entry
