"""Reads of the journal: balances, seller figures, statements, the trial balance.

Seller-owned balances come from the accounts' cached `balance_amount` (kept in step with the
postings in the same transaction and checked by `ledger-verify`); the platform's own accounts
keep no cache and are summed from their postings here; histories come from the postings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from caravan.kernel.money import Money

from .models import Account, JournalEntry, Posting, keeps_balance
from .services import PLATFORM, AccountKey, party_for_seller

Purpose = Account.Purpose
Day = date  # StatementRow.date would shadow the type inside the class

# The side a balance normally sits on; `get_balance` reports it positive there.
CREDIT_NORMAL = frozenset(
    {
        Purpose.ESCROW,
        Purpose.SELLER_PAYABLE,
        Purpose.COMMISSION_REVENUE,
        Purpose.FX_MARGIN_REVENUE,
        Purpose.REFUNDS_PAYABLE,
        Purpose.PAYOUTS_IN_TRANSIT,
        Purpose.CUSTOMS_DUTY_PAYABLE,
        Purpose.IMPORT_VAT_PAYABLE,
    }
)

_AMOUNT = DecimalField(max_digits=20, decimal_places=2)
CENT = Decimal("0.01")


def _sum(expression: str) -> Coalesce:
    return Coalesce(Sum(expression), Value(Decimal(0)), output_field=_AMOUNT)


def _cents(amount: Decimal) -> Decimal:
    """An aggregate to the cent: SQLite sums REALs, whose residues must not show."""
    return amount.quantize(CENT)


def _normal(purpose: str, amount: Decimal) -> Decimal:
    return _cents(-amount if purpose in CREDIT_NORMAL else amount)


def get_balance(*, purpose: str, party: str, currency: str, reference: str | None = None) -> Money:
    """The balance on the account's normal side: positive when escrow holds money, when a
    seller is owed (payable), when a seller owes (receivable), when revenue was earned.
    fx_position and rounding have no normal side: debit positive. `reference=None` sums every
    reference (a seller's escrow over all their seller orders)."""
    accounts = Account.objects.filter(purpose=purpose, party=party, currency=currency)
    if reference is not None:
        accounts = accounts.filter(reference=reference)
    if keeps_balance(party):
        total = accounts.aggregate(total=_sum("balance_amount"))["total"]
    else:
        total = Posting.objects.filter(account__in=accounts).aggregate(total=_sum("amount"))[
            "total"
        ]
    return Money(_normal(purpose, total), currency)


def account_balances() -> dict[AccountKey, Decimal]:
    """Every account's signed balance (debit positive), cached or summed from its postings;
    an account never posted to reads zero."""
    balances: dict[AccountKey, Decimal] = {}
    for purpose, party, reference, currency, cached in Account.objects.values_list(
        "purpose", "party", "reference", "currency", "balance_amount"
    ):
        balances[(purpose, party, reference, currency)] = _cents(cached or Decimal(0))
    for purpose, party, reference, currency, total in (
        Posting.objects.filter(account__balance_amount__isnull=True)
        .values_list("account__purpose", "account__party", "account__reference", "currency")
        .annotate(total=_sum("amount"))
        .order_by()
    ):
        balances[(purpose, party, reference, currency)] = _cents(total)
    return balances


def escrow_held(*, currency: str) -> Money:
    """All money held in escrow for sellers in this currency (positive)."""
    total = Account.objects.filter(purpose=Purpose.ESCROW, currency=currency).aggregate(
        total=_sum("balance_amount")
    )["total"]
    return Money(_cents(-total), currency)


def provider_clearing(*, currency: str) -> Money:
    """What the payment provider owes the platform for captures not yet refunded."""
    return get_balance(purpose=Purpose.PROVIDER_CLEARING, party=PLATFORM, currency=currency)


@dataclass(frozen=True)
class SellerBalance:
    """A seller's figures in one currency, all positive for display."""

    currency: str
    in_escrow: Money  # paid by buyers, held until delivery is confirmed
    available: Money  # released, not yet paid out (seller_payable)
    receivable: Money  # clawbacks the payable could not cover; settled by later releases
    in_transit: Money  # payouts sent to the bank, not yet settled
    paid_out: Money  # settled payouts, all time


def seller_balances(*, seller_id: int) -> list[SellerBalance]:
    """One row per currency the seller has ever had an account in, by currency."""
    party = party_for_seller(seller_id)
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in (
        Account.objects.filter(party=party)
        .values("currency", "purpose")
        .annotate(total=_sum("balance_amount"))
        .order_by()
    ):
        totals[row["currency"]][row["purpose"]] = _cents(row["total"])
    paid_out = dict(
        Posting.objects.filter(
            account__party=party,
            account__purpose=Purpose.PAYOUTS_IN_TRANSIT,
            entry__kind=JournalEntry.Kind.PAYOUT_SETTLED,
        )
        .values("currency")
        .annotate(total=_sum("amount"))
        .order_by()
        .values_list("currency", "total")
    )
    for currency in paid_out:
        # A currency with settled payouts only (every account back at zero) still gets a row.
        totals.setdefault(currency, defaultdict(Decimal))
    return [
        SellerBalance(
            currency=currency,
            in_escrow=Money(-figures[Purpose.ESCROW], currency),
            available=Money(-figures[Purpose.SELLER_PAYABLE], currency),
            receivable=Money(figures[Purpose.SELLER_RECEIVABLE], currency),
            in_transit=Money(-figures[Purpose.PAYOUTS_IN_TRANSIT], currency),
            paid_out=Money(_cents(paid_out.get(currency, Decimal(0))), currency),
        )
        for currency, figures in sorted(totals.items())
    ]


@dataclass(frozen=True)
class CurrencyTotals:
    """The trial balance of one currency: debit balances equal credit balances."""

    currency: str
    debit: Money  # sum of the accounts with a debit balance
    credit: Money  # sum of the accounts with a credit balance, positive
    by_purpose: dict[str, Money] = field(default_factory=dict)  # signed, debit positive

    @property
    def balanced(self) -> bool:
        return self.debit == self.credit


def trial_balance() -> list[CurrencyTotals]:
    debit: dict[str, Decimal] = defaultdict(Decimal)
    credit: dict[str, Decimal] = defaultdict(Decimal)
    by_purpose: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (purpose, _party, _reference, currency), amount in account_balances().items():
        if amount == 0:
            continue
        if amount > 0:
            debit[currency] += amount
        else:
            credit[currency] -= amount
        by_purpose[currency][purpose] += amount
    return [
        CurrencyTotals(
            currency=currency,
            debit=Money(debit[currency], currency),
            credit=Money(credit[currency], currency),
            by_purpose={
                purpose: Money(amount, currency)
                for purpose, amount in sorted(by_purpose[currency].items())
            },
        )
        for currency in sorted(by_purpose)
    ]


@dataclass(frozen=True)
class StatementRow:
    entry_id: int
    created_at: datetime
    kind: str
    memo: str
    purpose: str
    reference: str
    amount: Money  # from the party's point of view: positive is money the platform owes it
    balance: Money  # running total of that, over every account of the party in the currency

    @property
    def date(self) -> Day:
        """The day of the entry in the current time zone."""
        return timezone.localdate(self.created_at)


def list_statement(
    *,
    party: str,
    currency: str | None = None,
    kinds: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[StatementRow]:
    """The party's postings, oldest first, with a running balance per currency.

    Amounts are seen from the party's side (a seller: escrow credited at capture is money
    coming to them, positive; a settled payout leaves, negative). The running balance counts
    every posting of the party in the currency, including those before `since` and those of
    kinds filtered out, so it always matches `seller_balances`.
    """
    postings = Posting.objects.filter(account__party=party)
    if currency is not None:
        postings = postings.filter(currency=currency)
    running: dict[str, Decimal] = defaultdict(Decimal)
    if since is not None:
        opening = (
            postings.filter(entry__created_at__date__lt=since)
            .values("currency")
            .annotate(total=_sum("amount"))
            .order_by()
            .values_list("currency", "total")
        )
        for row_currency, total in opening:
            running[row_currency] = _cents(-total)
        postings = postings.filter(entry__created_at__date__gte=since)
    if until is not None:
        postings = postings.filter(entry__created_at__date__lte=until)
    wanted_kinds = set(kinds) if kinds is not None else None
    rows: list[StatementRow] = []
    for posting in postings.select_related("entry", "account").order_by("entry_id", "id"):
        amount = -posting.amount
        running[posting.currency] += amount
        if wanted_kinds is not None and posting.entry.kind not in wanted_kinds:
            continue
        rows.append(
            StatementRow(
                entry_id=posting.entry_id,
                created_at=posting.entry.created_at,
                kind=posting.entry.kind,
                memo=posting.entry.memo,
                purpose=posting.account.purpose,
                reference=posting.account.reference,
                amount=Money(amount, posting.currency),
                balance=Money(running[posting.currency], posting.currency),
            )
        )
    return rows


def list_entries(
    *,
    party: str | None = None,
    kind: str | None = None,
    key: str | None = None,
    reference: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[JournalEntry]:
    """Entries newest first, each with its postings and their accounts prefetched."""
    entries = JournalEntry.objects.all()
    if party is not None or reference is not None:
        touching = Posting.objects.all()
        if party is not None:
            touching = touching.filter(account__party=party)
        if reference is not None:
            touching = touching.filter(account__reference=reference)
        entries = entries.filter(pk__in=touching.values("entry_id"))
    if kind is not None:
        entries = entries.filter(kind=kind)
    if key is not None:
        entries = entries.filter(key=key)
    if since is not None:
        entries = entries.filter(created_at__date__gte=since)
    if until is not None:
        entries = entries.filter(created_at__date__lte=until)
    return entries.order_by("-id").prefetch_related(
        Prefetch("postings", queryset=Posting.objects.select_related("account").order_by("id"))
    )


def get_entry(*, key: str) -> JournalEntry | None:
    return list_entries(key=key).first()
