"""Polling the carriers: for each parcel still on its way, ask its carrier's adapter (outside
any transaction), then record the answer (ingest_carrier_events, one short transaction).
Run by Celery beat in production and by `caravan track-parcels` anywhere."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from caravan.kernel.clock import now

from .carriers.base import CarrierAdapter, CarrierUnavailable, TrackedParcel
from .carriers.cdek import CdekCarrier
from .carriers.sandbox import SandboxCarrier
from .models import Carrier, Parcel, TrackingEvent
from .routes import is_cross_border, origin_label
from .selectors import parcels_to_poll
from .services import ingest_carrier_events

logger = logging.getLogger(__name__)

POLL_BATCH = 200


@dataclass(frozen=True)
class PollResult:
    parcels: int
    events: int
    failures: int


def available_adapters() -> dict[str, CarrierAdapter]:
    """The sandbox always; CDEK when the operator has configured its API keys."""
    adapters: dict[str, CarrierAdapter] = {Carrier.SANDBOX: SandboxCarrier()}
    if settings.CDEK_CLIENT_ID and settings.CDEK_CLIENT_SECRET:
        adapters[Carrier.CDEK] = CdekCarrier(
            base_url=settings.CDEK_API_URL,
            client_id=settings.CDEK_CLIENT_ID,
            client_secret=settings.CDEK_CLIENT_SECRET,
        )
    return adapters


def tracked(parcel: Parcel) -> TrackedParcel:
    seller_order = parcel.seller_order
    return TrackedParcel(
        tracking_number=parcel.tracking_number,
        shipped_at=parcel.shipped_at,
        cross_border=is_cross_border(seller_order),
        origin=origin_label(seller_order),
        destination=seller_order.order.ship_to_city,
    )


def poll_parcels(
    *,
    adapters: dict[str, CarrierAdapter] | None = None,
    at: datetime | None = None,
    limit: int = POLL_BATCH,
) -> PollResult:
    adapters = adapters if adapters is not None else available_adapters()
    moment = at or now()
    parcels = list(parcels_to_poll(carriers=adapters, limit=limit))
    recorded = failures = 0
    for parcel in parcels:
        adapter = adapters[parcel.carrier]
        try:
            events = adapter.fetch_events(tracked(parcel), at=moment)
        except CarrierUnavailable as error:
            failures += 1
            logger.warning("tracking %s %s: %s", parcel.carrier, parcel.tracking_number, error)
            continue
        source = (
            TrackingEvent.Source.SANDBOX
            if parcel.carrier == Carrier.SANDBOX
            else TrackingEvent.Source.CARRIER
        )
        fresh = ingest_carrier_events(parcel_id=parcel.id, events=events, source=source, at=moment)
        recorded += len(fresh)
    return PollResult(parcels=len(parcels), events=recorded, failures=failures)
