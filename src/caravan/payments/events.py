"""Events the payments app publishes for the layers above it, after the change commits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaymentDeclined:
    """The provider refused one payment attempt of an order."""

    payment_id: int


@dataclass(frozen=True)
class RefundSucceeded:
    """The provider paid a refund back to the buyer."""

    refund_id: int
