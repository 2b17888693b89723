"""Payments: one charge in the buyer's currency per attempt, its state machine and audit
trail, the refunds taken from it, and what the operator must look at (docs/decisions/0006).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.ids import public_id
from caravan.kernel.money import CURRENCY_CHOICES, Money
from caravan.kernel.transitions import TransitionTable
from caravan.orders.models import Order, SellerOrder


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        CAPTURED = "captured", _("captured")
        PARTIALLY_REFUNDED = "partially_refunded", _("partially refunded")
        REFUNDED = "refunded", _("refunded")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")
        VOIDED = "voided", _("voided")

    TRANSITIONS = TransitionTable(
        "payment",
        {
            "pending": frozenset({"captured", "failed", "expired", "voided"}),
            "captured": frozenset({"partially_refunded", "refunded"}),
            "partially_refunded": frozenset({"partially_refunded", "refunded"}),
            # The provider may still capture what we gave up on (a late webhook, a second
            # tab): the money is taken, so the row must say so before it is refunded.
            "failed": frozenset({"captured"}),
            "expired": frozenset({"captured"}),
            "voided": frozenset({"captured"}),
        },
    )

    # Our id, also the provider's idempotency key for creating the payment: a retry after a
    # crash gets the same provider payment back, never a second one.
    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=32)
    provider_reference = models.CharField(max_length=255, blank=True, db_index=True)
    redirect_url = models.CharField(max_length=500, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    refunded_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # True for the one capture that paid the order; any other capture is refunded in full.
    settles_order = models.BooleanField(default=False)
    failure_reason = models.CharField(max_length=255, blank=True)
    # When a request started asking the provider for this payment's page (one at a time).
    session_claimed_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~models.Q(provider_reference=""),
                name="payment_reference_once",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(settles_order=True),
                name="payment_one_settles_order",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0)
                & models.Q(refunded_amount__lte=models.F("amount")),
                name="payment_refunds_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.money} {self.status}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def refunded(self) -> Money:
        return Money(self.refunded_amount, self.currency)


class PaymentEvent(models.Model):
    """Audit trail of a payment: one row per transition, never updated."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.from_status or '-'} -> {self.to_status}"


class Refund(models.Model):
    """Money going back to the buyer through the provider, from one payment (and, unless it
    undoes a duplicate capture, for one seller order)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        BUYER_CANCELLED = "buyer_cancelled", _("cancelled by the buyer")
        SELLER_CANCELLED = "seller_cancelled", _("cancelled by the seller")
        OPERATOR = "operator", _("refund by the operator")
        DUPLICATE_CAPTURE = "duplicate_capture", _("second payment for one order")

    TRANSITIONS = TransitionTable(
        "refund",
        {"pending": frozenset({"succeeded", "failed"}), "failed": frozenset({"pending"})},
    )

    public_id = models.CharField(max_length=16, unique=True, default=public_id, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    seller_order = models.ForeignKey(
        SellerOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # The seller order's side of it, split by the order's frozen figures (ADR 0006).
    seller_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, blank=True)
    seller_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    fx_margin_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    commission_returned_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # The DDP customs duty and import VAT returned with it, in the buyer currency, included
    # in `amount` (which is what the provider sends back); the rest of `amount` is goods
    # and delivery (finance.refunds, ADR 0010).
    duty_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    vat_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    after_release = models.BooleanField(default=False)
    lines = models.JSONField(default=list, blank=True, help_text="[[order line id, quantity]]")
    reason = models.CharField(max_length=255)
    provider_reference = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.money} {self.status}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def seller_money(self) -> Money:
        return Money(self.seller_amount, self.seller_currency or self.currency)


class PaymentAnomaly(models.Model):
    """Something the provider said that does not match our rows: never applied, shown to the
    operator until resolved."""

    class Kind(models.TextChoices):
        AMOUNT_MISMATCH = "amount_mismatch", _("amount differs")
        UNKNOWN_PAYMENT = "unknown_payment", _("payment unknown to Caravan")
        CAPTURED_NOT_PAID = "captured_not_paid", _("captured there, no paid order here")
        PAID_NOT_CAPTURED = "paid_not_captured", _("paid here, no capture there")
        REFUND_MISMATCH = "refund_mismatch", _("refund differs")
        REFUND_FAILED = "refund_failed", _("refund refused by the provider")

    class Source(models.TextChoices):
        NOTIFICATION = "notification", _("provider notification")
        RECONCILIATION = "reconciliation", _("reconciliation")
        REFUND = "refund", _("refund")

    provider = models.CharField(max_length=32)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    source = models.CharField(max_length=16, choices=Source.choices)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="anomalies"
    )
    provider_reference = models.CharField(max_length=255, blank=True)
    expected = models.CharField(max_length=64, blank=True)
    observed = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    # One row per finding: reconciling the same day twice does not repeat it.
    fingerprint = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment anomaly")
        verbose_name_plural = _("payment anomalies")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.provider_reference}"


class ProviderEvent(models.Model):
    """Every notification accepted, by the provider's event id: a repeat is a no-op."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=200)
    event_type = models.CharField(max_length=64)
    session_reference = models.CharField(max_length=255)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id} {self.event_type}"


class SandboxSession(models.Model):
    """The sandbox provider's own record of a payment (its side, not Caravan's)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        CANCELED = "canceled", _("canceled")

    reference = models.CharField(max_length=64, unique=True)
    # The merchant's idempotency key: creating twice with one key returns the first session.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True)
    merchant_reference = models.CharField(max_length=64)
    description = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    return_url = models.CharField(max_length=500)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sandbox session")
        verbose_name_plural = _("sandbox sessions")

    def __str__(self) -> str:
        return self.reference

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


class SandboxRefund(models.Model):
    """The sandbox provider's record of a refund, unique per merchant idempotency key."""

    reference = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    session = models.ForeignKey(SandboxSession, on_delete=models.CASCADE, related_name="refunds")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox refund")
        verbose_name_plural = _("sandbox refunds")

    def __str__(self) -> str:
        return self.reference
