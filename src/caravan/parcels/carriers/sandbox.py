"""The demo's carrier: it moves a parcel along a fixed route from the moment it was shipped,
one step every SANDBOX_CARRIER_STEP_HOURS, through customs when the parcel crosses a
border. Deterministic, so a poll at the same moment always says the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from ..models import Carrier, TrackingStatus
from .base import CarrierEvent, TrackedParcel


@dataclass(frozen=True)
class _Step:
    status: str
    description: str
    at_origin: bool


DOMESTIC = [
    _Step(TrackingStatus.ACCEPTED, "Accepted at the sorting centre", True),
    _Step(TrackingStatus.IN_TRANSIT, "Left the sorting centre", True),
    _Step(TrackingStatus.IN_TRANSIT, "Arrived at the delivery depot", False),
    _Step(TrackingStatus.OUT_FOR_DELIVERY, "Out for delivery with the courier", False),
    _Step(TrackingStatus.DELIVERED, "Delivered to the recipient", False),
]
CROSS_BORDER = [
    _Step(TrackingStatus.ACCEPTED, "Accepted at the sorting centre", True),
    _Step(TrackingStatus.IN_TRANSIT, "Left the country of origin", True),
    _Step(TrackingStatus.CUSTOMS, "Customs clearance", False),
    _Step(TrackingStatus.IN_TRANSIT, "Released by customs, on its way", False),
    _Step(TrackingStatus.OUT_FOR_DELIVERY, "Out for delivery with the courier", False),
    _Step(TrackingStatus.DELIVERED, "Delivered to the recipient", False),
]


class SandboxCarrier:
    code: str = Carrier.SANDBOX

    def __init__(self, *, step_hours: float | None = None) -> None:
        self.step = timedelta(
            hours=step_hours if step_hours is not None else settings.SANDBOX_CARRIER_STEP_HOURS
        )

    def scan_offset(self, index: int) -> timedelta:
        """How long after the hand-over the route's step `index` is scanned: the first scan an
        hour after, the others a step apart."""
        return timedelta(hours=1) + self.step * index

    def fetch_events(self, parcel: TrackedParcel, *, at: datetime) -> list[CarrierEvent]:
        route = CROSS_BORDER if parcel.cross_border else DOMESTIC
        events = []
        for index, step in enumerate(route):
            moment = parcel.shipped_at + self.scan_offset(index)
            if moment > at:
                break
            events.append(
                CarrierEvent(
                    status=step.status,
                    occurred_at=moment,
                    location=parcel.origin if step.at_origin else parcel.destination,
                    description=step.description,
                    key=f"step-{index}",
                )
            )
        return events
