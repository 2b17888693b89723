from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from caravan.kernel.money import CURRENCY_CHOICES, Money
from caravan.orders.models import Order


class Payment(models.Model):
    """One charge in one currency within a provider checkout session.

    Until conversion arrives an order may hold several currencies; the provider session
    then carries one amount per currency and every row shares the session reference.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        CAPTURED = "captured", _("captured")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("expired")
        REFUND_REQUIRED = "refund_required", _("refund required")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=32)
    session_reference = models.CharField(max_length=64, db_index=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "session_reference", "currency"],
                name="payment_one_per_currency",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_reference} {self.money} {self.status}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


class ProviderEvent(models.Model):
    """Every webhook event accepted, by the provider's event id: a repeat is a no-op."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=64)
    session_reference = models.CharField(max_length=64)
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
    """The sandbox provider's own record of a checkout session (its side, not Caravan's)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    reference = models.CharField(max_length=64, unique=True)
    merchant_reference = models.CharField(max_length=64)
    amounts = models.JSONField(help_text="[[amount, currency], ...] as strings")
    return_url = models.CharField(max_length=500)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sandbox session")
        verbose_name_plural = _("sandbox sessions")

    def __str__(self) -> str:
        return self.reference

    @property
    def money(self) -> list[Money]:
        return [Money(amount, currency) for amount, currency in self.amounts]
