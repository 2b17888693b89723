"""Payouts: a seller's available balance sent to their bank, grouped per currency in a batch
file the operator uploads to the bank. The money itself moves in the ledger (ADR 0006)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.ids import public_id
from caravan.kernel.money import CURRENCY_CHOICES, Money
from caravan.kernel.transitions import TransitionTable
from caravan.sellers.models import Seller


class PayoutBatch(models.Model):
    """One run's payouts in one currency and the bank file that pays them."""

    class Format(models.TextChoices):
        CLIENT_BANK_1C = "1c-client-bank-exchange", _("1C client bank exchange (RUB)")
        PAIN_001 = "pain.001.001.03", _("ISO 20022 pain.001 credit transfer")

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    created_at = models.DateTimeField(_("created"))
    file_format = models.CharField(_("file format"), max_length=32, choices=Format.choices)
    file_name = models.CharField(_("file name"), max_length=120, blank=True)
    file_content = models.TextField(_("file content"), blank=True)
    payout_count = models.PositiveIntegerField(_("payouts"), default=0)
    total_amount = models.DecimalField(_("total"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name or f"{self.currency} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> Money:
        return Money(self.total_amount, self.currency)


class Payout(models.Model):
    class Status(models.TextChoices):
        IN_TRANSIT = "in_transit", _("in transit")
        SETTLED = "settled", _("settled")
        FAILED = "failed", _("failed")

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="payouts")
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="payouts")
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_TRANSIT
    )
    # The beneficiary as it was sent: later edits of the seller's details do not rewrite it.
    account_holder = models.CharField(_("account holder"), max_length=200)
    inn = models.CharField(_("INN"), max_length=32, blank=True)
    bik = models.CharField(_("BIK"), max_length=9, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    iban = models.CharField(_("IBAN"), max_length=42, blank=True)
    bic = models.CharField(_("BIC (SWIFT)"), max_length=11, blank=True)
    bank_name = models.CharField(_("bank name"), max_length=200, blank=True)
    bank_country = models.CharField(_("bank country"), max_length=2, blank=True)
    purpose = models.CharField(_("payment purpose"), max_length=210)
    failure_reason = models.TextField(_("failure reason"), blank=True)
    created_at = models.DateTimeField(_("created"))
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive")
        ]
        indexes = [models.Index(fields=["seller", "-created_at"], name="payout_seller_recent")]

    def __str__(self) -> str:
        return f"{self.public_id} {self.amount} {self.currency} ({self.status})"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


P = Payout.Status
PAYOUT_TRANSITIONS = TransitionTable(
    "payout",
    {
        P.IN_TRANSIT: frozenset({P.SETTLED, P.FAILED}),
        P.SETTLED: frozenset(),
        P.FAILED: frozenset(),
    },
)


class PayoutEvent(models.Model):
    """One audited status change of a payout (the creation is one, from no status)."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("payout status change")
        verbose_name_plural = _("payout status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.payout_id}: {self.from_status or '-'} -> {self.to_status}"
