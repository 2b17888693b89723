"""Recompute every ledger invariant from the postings (`caravan ledger-verify`).

Amounts are whole multiples of the minor unit, so any real difference is at least 0.01;
comparisons allow half of that, which keeps SQLite's floating-point sums from reporting
phantom differences while PostgreSQL's exact ones are unaffected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from caravan.kernel.money import Money

from .models import PLATFORM, Account, JournalEntry, Posting

Purpose = Account.Purpose

HALF_CENT = Decimal("0.005")
# Accounts that must never sit on the debit side, and those that must never sit on the credit.
NEVER_DEBIT = (
    Purpose.ESCROW,
    Purpose.SELLER_PAYABLE,
    Purpose.PAYOUTS_IN_TRANSIT,
    Purpose.REFUNDS_PAYABLE,
    Purpose.CUSTOMS_DUTY_PAYABLE,
    Purpose.IMPORT_VAT_PAYABLE,
)
NEVER_CREDIT = (Purpose.SELLER_RECEIVABLE, Purpose.PROVIDER_CLEARING)

POSTGRESQL_TRIGGERS = {
    "ledger_journalentry_append_only": "ledger_journalentry",
    "ledger_posting_append_only": "ledger_posting",
    "ledger_posting_balanced": "ledger_posting",
}
SQLITE_TRIGGERS = {
    "ledger_journalentry_append_only": "ledger_journalentry",
    "ledger_posting_append_only": "ledger_posting",
}

_AMOUNT = DecimalField(max_digits=20, decimal_places=2)


@dataclass(frozen=True)
class Violation:
    code: str  # unbalanced_entry, short_entry, currency_mismatch, stale_balance, wrong_side,
    # missing_trigger, totals_differ, cache_misplaced
    detail: str


@dataclass(frozen=True)
class PostingTotals:
    currency: str
    debit: Money  # sum of the debit postings
    credit: Money  # sum of the credit postings, positive


@dataclass
class VerifyReport:
    totals: list[PostingTotals] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


def _off(expression: str) -> Q:
    return Q(**{f"{expression}__gte": HALF_CENT}) | Q(**{f"{expression}__lte": -HALF_CENT})


def _sum(expression: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(expression, filter=condition), Value(Decimal(0)), output_field=_AMOUNT)


def _quantized(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"))


def _posting_totals(report: VerifyReport) -> None:
    for row in (
        Posting.objects.values("currency")
        .annotate(debit=_sum("amount", Q(amount__gt=0)))
        .annotate(credit=_sum("amount", Q(amount__lt=0)))
        .order_by("currency")
    ):
        currency = row["currency"]
        debit, credit = _quantized(row["debit"]), _quantized(-row["credit"])
        report.totals.append(
            PostingTotals(
                currency=currency, debit=Money(debit, currency), credit=Money(credit, currency)
            )
        )
        if debit != credit:
            report.violations.append(
                Violation("totals_differ", f"{currency}: debit {debit} != credit {credit}")
            )


def _entries(report: VerifyReport) -> None:
    unbalanced = (
        Posting.objects.values("entry_id", "entry__key", "currency")
        .annotate(total=_sum("amount"))
        .filter(_off("total"))
        .order_by("entry_id", "currency")
    )
    for row in unbalanced:
        report.violations.append(
            Violation(
                "unbalanced_entry",
                f"entry {row['entry__key']} sums to {_quantized(row['total'])} {row['currency']}",
            )
        )
    for key, count in (
        JournalEntry.objects.annotate(count=Count("postings"))
        .filter(count__lt=2)
        .values_list("key", "count")
    ):
        report.violations.append(Violation("short_entry", f"entry {key} has {count} posting(s)"))
    for entry_key, currency, account_currency in Posting.objects.exclude(
        currency=F("account__currency")
    ).values_list("entry__key", "currency", "account__currency"):
        report.violations.append(
            Violation(
                "currency_mismatch",
                f"entry {entry_key} posts {currency} to a {account_currency} account",
            )
        )


def _accounts(report: VerifyReport) -> None:
    accounts = (
        Account.objects.annotate(total=_sum("postings__amount"))
        .annotate(difference=F("balance_amount") - F("total"))
        .order_by("purpose", "party", "reference", "currency")
    )
    # A platform account keeps no cache (NULL, summed when read): its difference is NULL and
    # matches no filter; the CHECK constraint keeps the cache where it belongs, and this
    # reports it wherever that constraint is missing.
    for account in accounts.filter(
        Q(party=PLATFORM, balance_amount__isnull=False)
        | (~Q(party=PLATFORM) & Q(balance_amount__isnull=True))
    ):
        expected = "no cached balance" if account.party == PLATFORM else "a cached balance"
        report.violations.append(Violation("cache_misplaced", f"{account}: should keep {expected}"))
    for account, total in (
        (account, account.total) for account in accounts.filter(_off("difference"))
    ):
        report.violations.append(
            Violation(
                "stale_balance",
                f"{account}: cached {account.balance_amount}, postings sum to {_quantized(total)}",
            )
        )
    wrong_side = accounts.filter(
        Q(purpose__in=NEVER_DEBIT, total__gte=HALF_CENT)
        | Q(purpose__in=NEVER_CREDIT, total__lte=-HALF_CENT)
    )
    for account in wrong_side:
        side = "debit" if account.total > 0 else "credit"
        report.violations.append(
            Violation("wrong_side", f"{account} is on the {side} side: {_quantized(account.total)}")
        )


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'ledger%'"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger%'"
            )
        else:
            return set()
        return {name for (name,) in cursor.fetchall()}


def _triggers(report: VerifyReport) -> None:
    expected = {"postgresql": POSTGRESQL_TRIGGERS, "sqlite": SQLITE_TRIGGERS}.get(
        connection.vendor, {}
    )
    installed = installed_triggers()
    for name, table in sorted(expected.items()):
        if name not in installed:
            report.violations.append(
                Violation("missing_trigger", f"trigger {name} on {table} is missing")
            )


def verify_ledger() -> VerifyReport:
    """Every invariant, recomputed from the postings; an empty `violations` means all hold."""
    report = VerifyReport()
    _posting_totals(report)
    _entries(report)
    _accounts(report)
    _triggers(report)
    return report
