"""What a carrier adapter is: given a parcel, the carrier's events for it, mapped to our
statuses. Adapters call out over HTTP, so they run outside any transaction (house rule 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class CarrierUnavailable(Exception):
    """The carrier did not answer usefully this time (network, 5xx, a body we cannot read);
    the poller tries the parcel again on its next round."""


@dataclass(frozen=True)
class TrackedParcel:
    tracking_number: str
    shipped_at: datetime
    cross_border: bool
    origin: str  # where the seller ships from (a city or a country's name)
    destination: str  # the buyer's city


@dataclass(frozen=True)
class CarrierEvent:
    status: str  # a TrackingStatus value
    occurred_at: datetime
    location: str
    description: str
    # Stable across reads of the same feed: the event's identity for deduplication.
    key: str


class CarrierAdapter(Protocol):
    code: str

    def fetch_events(self, parcel: TrackedParcel, *, at: datetime) -> list[CarrierEvent]: ...
