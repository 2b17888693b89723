"""Events the payouts app publishes for the layers above it, after the change commits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PayoutSettled:
    """The bank paid a payout to the seller's account."""

    payout_id: int
