"""CDEK API v2 (https://api-docs.cdek.ru): an OAuth 2.0 client-credentials token from
POST /v2/oauth/token, then GET /v2/orders?cdek_number=... (or ?im_number=... for the
shop's own number), whose `entity.statuses` lists the order's statuses with `code`,
`name`, `date_time` (ISO 8601, offset without a colon: 2024-01-15T14:30:00+0300) and
`city`. Codes are mapped to our statuses; a code we do not map is kept as a NOTE with
CDEK's own words."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import httpx

from ..models import Carrier, TrackingStatus
from .base import CarrierEvent, CarrierUnavailable, TrackedParcel

STATUS_MAP: dict[str, str] = {
    "RECEIVED_AT_SHIPMENT_WAREHOUSE": TrackingStatus.ACCEPTED,
    "POSTOMAT_POSTED": TrackingStatus.ACCEPTED,
    "READY_TO_SHIP_AT_SENDING_OFFICE": TrackingStatus.IN_TRANSIT,
    "PASSED_TO_CARRIER_AT_SENDING_OFFICE": TrackingStatus.IN_TRANSIT,
    "SEND_TO_TRANSIT_OFFICE": TrackingStatus.IN_TRANSIT,
    "MET_AT_TRANSIT_OFFICE": TrackingStatus.IN_TRANSIT,
    "ACCEPTED_TO_OFFICE_TRANSIT_WAREHOUSE": TrackingStatus.IN_TRANSIT,
    "ENTERED_TO_OFFICE_TRANSIT_WAREHOUSE": TrackingStatus.IN_TRANSIT,
    "READY_TO_SHIP_IN_TRANSIT_OFFICE": TrackingStatus.IN_TRANSIT,
    "PASSED_TO_CARRIER_AT_TRANSIT_OFFICE": TrackingStatus.IN_TRANSIT,
    "SEND_TO_SENDING_OFFICE": TrackingStatus.IN_TRANSIT,
    "SEND_TO_RECIPIENT_OFFICE": TrackingStatus.IN_TRANSIT,
    "MET_AT_SENDING_OFFICE": TrackingStatus.IN_TRANSIT,
    "MET_AT_RECIPIENT_OFFICE": TrackingStatus.IN_TRANSIT,
    "ACCEPTED_AT_DELIVERY_WAREHOUSE": TrackingStatus.IN_TRANSIT,
    "ENTERED_TO_DELIVERY_WAREHOUSE": TrackingStatus.IN_TRANSIT,
    "SHIPPED_TO_DESTINATION": TrackingStatus.IN_TRANSIT,
    "PASSED_TO_TRANSIT_CARRIER": TrackingStatus.IN_TRANSIT,
    "IN_CUSTOMS_INTERNATIONAL": TrackingStatus.CUSTOMS,
    "IN_CUSTOMS_LOCAL": TrackingStatus.CUSTOMS,
    "CUSTOMS_COMPLETE": TrackingStatus.CUSTOMS,
    "ISSUED_FOR_DELIVERY": TrackingStatus.OUT_FOR_DELIVERY,
    "TAKEN_BY_COURIER": TrackingStatus.OUT_FOR_DELIVERY,
    "ACCEPTED_AT_PICK_UP_POINT": TrackingStatus.OUT_FOR_DELIVERY,
    "ACCEPTED_AT_WAREHOUSE_ON_DEMAND": TrackingStatus.OUT_FOR_DELIVERY,
    "ENTERED_TO_WAREHOUSE_ON_DEMAND": TrackingStatus.OUT_FOR_DELIVERY,
    "DELIVERED": TrackingStatus.DELIVERED,
    "POSTOMAT_RECEIVED": TrackingStatus.DELIVERED,
    # "Not delivered": the recipient refused or never came; CDEK sends it back.
    "NOT_DELIVERED": TrackingStatus.RETURNED,
}
# Tokens live an hour (`expires_in`); renew a minute early rather than be refused.
TOKEN_MARGIN_SECONDS = 60
TIMEOUT_SECONDS = 10.0


class CdekCarrier:
    code: str = Carrier.CDEK

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        http: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.http = http or httpx.Client(timeout=TIMEOUT_SECONDS)
        self._token: str = ""
        self._token_expires = 0.0

    def fetch_events(self, parcel: TrackedParcel, *, at: datetime) -> list[CarrierEvent]:
        number = parcel.tracking_number
        # A CDEK number is digits; anything else is the number the shop gave the order.
        params = {"cdek_number": number} if number.isdigit() else {"im_number": number}
        response = self._get("/v2/orders", params=params)
        if response.status_code == 404:
            return []  # not registered yet: the seller may have typed it before CDEK did
        if response.status_code >= 400:
            raise CarrierUnavailable(f"CDEK answered {response.status_code} for {number}")
        try:
            body = response.json()
        except ValueError as error:
            raise CarrierUnavailable("CDEK answered with a body that is not JSON") from error
        entity = body.get("entity") if isinstance(body, dict) else None
        if not isinstance(entity, dict):
            return []
        return [
            event
            for raw in entity.get("statuses") or []
            if (event := _event(raw, at=at)) is not None
        ]

    def _get(self, path: str, *, params: dict[str, str]) -> httpx.Response:
        try:
            response = self.http.get(
                f"{self.base_url}{path}", params=params, headers=self._headers()
            )
            if response.status_code == 401:
                # The token was revoked or expired early: one new token, one retry.
                self._token = ""
                response = self.http.get(
                    f"{self.base_url}{path}", params=params, headers=self._headers()
                )
        except httpx.HTTPError as error:
            raise CarrierUnavailable(f"CDEK unreachable: {error}") from error
        return response

    def _headers(self) -> dict[str, str]:
        if not self._token or time.monotonic() >= self._token_expires:
            self._fetch_token()
        return {"Authorization": f"Bearer {self._token}"}

    def _fetch_token(self) -> None:
        response = self.http.post(
            f"{self.base_url}/v2/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
        )
        if response.status_code != 200:
            raise CarrierUnavailable(f"CDEK refused the token request ({response.status_code})")
        try:
            body = response.json()
            self._token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise CarrierUnavailable("CDEK's token answer has no access_token") from error
        self._token_expires = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 0)


def _event(raw: Any, *, at: datetime) -> CarrierEvent | None:
    if not isinstance(raw, dict):
        return None
    code = str(raw.get("code") or "").strip()
    moment = _parse_time(str(raw.get("date_time") or ""))
    if not code or moment is None or moment > at:
        return None
    name = str(raw.get("name") or "").strip()
    status = STATUS_MAP.get(code, TrackingStatus.NOTE)
    description = name if status != TrackingStatus.NOTE else f"{name} ({code})".strip()
    return CarrierEvent(
        status=status,
        occurred_at=moment,
        location=str(raw.get("city") or ""),
        description=description,
        key=f"{code}:{moment.isoformat()}",
    )


def _parse_time(text: str) -> datetime | None:
    for pattern in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None
