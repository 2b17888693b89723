"""The double-entry journal: accounts, entries and their postings.

A posting's amount is signed: debit positive, credit negative. An entry's postings sum to
zero per currency. Entries and postings are never updated or deleted (a mistake is corrected
by a reversing entry). A seller-owned account's `balance_amount` is a cache of the sum of its
postings, moved in the same transaction as the postings (under the account's row lock, so a
posting that would overdraw it is refused) and checked by `ledger-verify`. The platform's own
accounts keep no cache (NULL): every capture, refund and release touches them, and a cached
balance would make each of those wait for the previous one's commit on the same row; their
balances are summed from the postings when read (ADR 0006, "No hot rows").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from caravan.kernel.clock import now
from caravan.kernel.money import CURRENCY_CHOICES, Money

# The operator's own accounts' party; every other party (a seller) keeps a cached balance.
PLATFORM = "platform"


class Account(models.Model):
    class Purpose(models.TextChoices):
        PROVIDER_CLEARING = "provider_clearing", _("provider clearing")
        ESCROW = "escrow", _("escrow")
        SELLER_PAYABLE = "seller_payable", _("seller payable")
        SELLER_RECEIVABLE = "seller_receivable", _("seller receivable")
        COMMISSION_REVENUE = "commission_revenue", _("commission revenue")
        FX_MARGIN_REVENUE = "fx_margin_revenue", _("FX margin revenue")
        FX_POSITION = "fx_position", _("FX position")
        REFUNDS_PAYABLE = "refunds_payable", _("refunds payable")
        PAYOUTS_IN_TRANSIT = "payouts_in_transit", _("payouts in transit")
        PAYOUT_BANK = "payout_bank", _("payout bank")
        ROUNDING = "rounding", _("rounding")
        # Duties and import VAT the marketplace collects at checkout (DDP) for a customs
        # authority, in the currency the buyer paid (ADR 0010): never the seller's money.
        CUSTOMS_DUTY_PAYABLE = "customs_duty_payable", _("customs duty payable")
        IMPORT_VAT_PAYABLE = "import_vat_payable", _("import VAT payable")

    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    party = models.CharField(max_length=64)
    reference = models.CharField(max_length=64, blank=True, default="")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    # NULL for the platform's accounts: derived from the postings at read time.
    balance_amount = models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True, default=0
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "party", "reference", "currency"],
                name="ledger_account_unique",
            ),
            # A backstop under the flows' own checks: money held for sellers is never
            # overdrawn, and a receivable never turns into a debt of ours.
            models.CheckConstraint(
                condition=~Q(purpose__in=["escrow", "seller_payable", "payouts_in_transit"])
                | Q(balance_amount__lte=0),
                name="ledger_account_credit_side",
            ),
            models.CheckConstraint(
                condition=~Q(purpose="seller_receivable") | Q(balance_amount__gte=0),
                name="ledger_account_debit_side",
            ),
            models.CheckConstraint(
                condition=Q(party=PLATFORM, balance_amount__isnull=True)
                | (~Q(party=PLATFORM) & Q(balance_amount__isnull=False)),
                name="ledger_account_cached_unless_platform",
            ),
        ]
        indexes = [models.Index(fields=["party", "currency"], name="ledger_account_party")]

    def __str__(self) -> str:
        reference = f" {self.reference}" if self.reference else ""
        return f"{self.purpose} {self.party}{reference} {self.currency}"

    @property
    def keeps_balance(self) -> bool:
        return keeps_balance(self.party)


def keeps_balance(party: str) -> bool:
    """Whether the account's balance is cached on its row (locked and moved with every
    posting) rather than summed from its postings when read."""
    return party != PLATFORM


class JournalEntry(models.Model):
    class Kind(models.TextChoices):
        CAPTURE = "capture", _("payment captured")
        RELEASE = "release", _("escrow released")
        REFUND = "refund", _("refund")
        REFUND_SENT = "refund_sent", _("refund sent")
        CLAWBACK = "clawback", _("clawback")
        PAYOUT = "payout", _("payout")
        PAYOUT_SETTLED = "payout_settled", _("payout settled")
        PAYOUT_FAILED = "payout_failed", _("payout failed")
        DUPLICATE_CAPTURE = "duplicate_capture", _("duplicate capture")
        ADJUSTMENT = "adjustment", _("adjustment")
        REVERSAL = "reversal", _("reversal")

    # The business event's id ("capture:pay_abc"): posting the same event twice is a no-op.
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, db_index=True)
    memo = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=now, db_index=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.key


class Posting(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.DecimalField(max_digits=20, decimal_places=2)
    # Copied from the account so per-currency sums need no join.
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["id"]
        indexes = [models.Index(fields=["account", "id"], name="ledger_posting_account")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_posting_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    @property
    def money(self) -> Money:
        """The signed amount: debit positive, credit negative."""
        return Money(self.amount, self.currency)
