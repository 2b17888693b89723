"""YooKassa (API v3): a hosted payment with a redirect confirmation, capture and cancel,
refunds, and unsigned notifications.

YooKassa does not sign its notifications, so one is believed only this far: it must come from
YooKassa's published addresses, and even then Caravan acts only on the object it fetches back
from the API, never on what the body claims.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

from caravan.kernel.money import Money

from .base import (
    HostedPayment,
    Notification,
    NotificationKind,
    NotificationRejected,
    ProviderPayment,
    ProviderRefund,
    ProviderRefused,
    ProviderStatus,
    RefundStatus,
)
from .http import (
    JsonObject,
    ProviderClient,
    decimal_money,
    decimal_text,
    iso_datetime,
    text,
    unexpected,
)

PROVIDER = "YooKassa"
DEFAULT_API_URL = "https://api.yookassa.ru/v3"
# Where YooKassa sends notifications from (its documentation, "Notifications"); a setting
# YOOKASSA_ALLOWED_NETWORKS replaces the list when YooKassa publishes a new one.
DEFAULT_ALLOWED_NETWORKS = (
    "185.71.76.0/27",
    "185.71.77.0/27",
    "77.75.153.0/25",
    "77.75.156.11",
    "77.75.156.35",
    "77.75.154.128/25",
    "2a02:5180::/32",
)
DESCRIPTION_LIMIT = 128  # YooKassa refuses a longer payment description
REFUND_DESCRIPTION_LIMIT = 250
PAGE_SIZE = 100
# YooKassa's ids are UUID-like; anything else in a notification is not worth a request.
OBJECT_ID = re.compile(r"[A-Za-z0-9-]{1,64}")

PAYMENT_STATUSES = {
    "pending": ProviderStatus.PENDING,
    "waiting_for_capture": ProviderStatus.WAITING_FOR_CAPTURE,
    "succeeded": ProviderStatus.SUCCEEDED,
    "canceled": ProviderStatus.CANCELED,
}
REFUND_STATUSES = {
    "pending": RefundStatus.PENDING,
    "succeeded": RefundStatus.SUCCEEDED,
    "canceled": RefundStatus.FAILED,
}
PAYMENT_KINDS = {
    ProviderStatus.SUCCEEDED: NotificationKind.PAYMENT_SUCCEEDED,
    ProviderStatus.WAITING_FOR_CAPTURE: NotificationKind.PAYMENT_WAITING_FOR_CAPTURE,
    ProviderStatus.CANCELED: NotificationKind.PAYMENT_FAILED,
    ProviderStatus.PENDING: NotificationKind.OTHER,
}
REFUND_KINDS = {
    RefundStatus.SUCCEEDED: NotificationKind.REFUND_SUCCEEDED,
    RefundStatus.FAILED: NotificationKind.REFUND_FAILED,
    RefundStatus.PENDING: NotificationKind.OTHER,
}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _error_detail(payload: object) -> str:
    # {"type": "error", "id": ..., "code": "invalid_request", "description": ..., "parameter": ...}
    if not isinstance(payload, dict):
        return ""
    parts = [str(payload[key]) for key in ("code", "description") if payload.get(key)]
    if payload.get("parameter"):
        parts.append(f"(parameter {payload['parameter']})")
    return " ".join(parts)


def parse_networks(networks: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(network.strip(), strict=False) for network in networks)


class YooKassaGateway:
    name = "yookassa"

    def __init__(
        self,
        *,
        shop_id: str,
        secret_key: str,
        api_url: str = DEFAULT_API_URL,
        timeout_seconds: float = 15,
        allowed_networks: Iterable[str] = DEFAULT_ALLOWED_NETWORKS,
    ) -> None:
        self._client = ProviderClient(
            provider=PROVIDER,
            base_url=api_url,
            auth=httpx.BasicAuth(shop_id, secret_key),
            timeout_seconds=timeout_seconds,
            error_detail=_error_detail,
            secrets=(secret_key,),
        )
        self.allowed_networks = parse_networks(allowed_networks)

    @classmethod
    def from_settings(cls) -> YooKassaGateway:
        networks = getattr(settings, "YOOKASSA_ALLOWED_NETWORKS", DEFAULT_ALLOWED_NETWORKS)
        if isinstance(networks, str):  # "185.71.76.0/27,2a02:5180::/32" from the environment
            networks = [network for network in networks.split(",") if network.strip()]
        return cls(
            shop_id=settings.YOOKASSA_SHOP_ID,
            secret_key=settings.YOOKASSA_SECRET_KEY,
            api_url=settings.YOOKASSA_API_URL,
            timeout_seconds=settings.PAYMENT_HTTP_TIMEOUT_SECONDS,
            allowed_networks=networks,
        )

    def __repr__(self) -> str:
        return f"YooKassaGateway(api_url={self._client.base_url!r})"

    # Payments

    def create_payment(
        self,
        *,
        amount: Money,
        merchant_reference: str,
        description: str,
        return_url: str,
        idempotency_key: str,
    ) -> HostedPayment:
        raw = self._client.request(
            "POST",
            "/payments",
            json_body={
                "amount": _amount(amount),
                "capture": True,
                "confirmation": {"type": "redirect", "return_url": return_url},
                "description": description[:DESCRIPTION_LIMIT],
                "metadata": {"merchant_reference": merchant_reference},
            },
            idempotency_header="Idempotence-Key",
            idempotency_key=idempotency_key,
        )
        confirmation = raw.get("confirmation")
        if not isinstance(confirmation, dict):
            raise unexpected(PROVIDER, "payment (no confirmation)")
        return HostedPayment(
            reference=text(raw, "id", provider=PROVIDER, what="payment"),
            redirect_url=text(confirmation, "confirmation_url", provider=PROVIDER, what="payment"),
            status=_payment_status(raw),
        )

    def fetch_payment(self, *, reference: str) -> ProviderPayment:
        return _payment(self._get_payment(reference))

    def capture(self, *, reference: str, amount: Money, idempotency_key: str) -> ProviderPayment:
        raw = self._client.request(
            "POST",
            f"/payments/{_segment(reference)}/capture",
            json_body={"amount": _amount(amount)},
            idempotency_header="Idempotence-Key",
            idempotency_key=idempotency_key,
        )
        return _payment(raw)

    def cancel(self, *, reference: str, idempotency_key: str) -> ProviderPayment:
        raw = self._client.request(
            "POST",
            f"/payments/{_segment(reference)}/cancel",
            json_body={},
            idempotency_header="Idempotence-Key",
            idempotency_key=idempotency_key,
        )
        return _payment(raw)

    def refund(
        self, *, payment_reference: str, amount: Money, idempotency_key: str, reason: str
    ) -> ProviderRefund:
        body: dict[str, object] = {"payment_id": payment_reference, "amount": _amount(amount)}
        if reason:
            body["description"] = reason[:REFUND_DESCRIPTION_LIMIT]
        raw = self._client.request(
            "POST",
            "/refunds",
            json_body=body,
            idempotency_header="Idempotence-Key",
            idempotency_key=idempotency_key,
        )
        return _refund(raw)

    # Reconciliation: one UTC day, every page.

    def list_payments(self, *, day: date) -> list[ProviderPayment]:
        return [_payment(item) for item in self._list("/payments", day)]

    def list_refunds(self, *, day: date) -> list[ProviderRefund]:
        return [_refund(item) for item in self._list("/refunds", day)]

    def _list(self, path: str, day: date) -> list[JsonObject]:
        params: dict[str, str | int] = {
            "created_at.gte": f"{day.isoformat()}T00:00:00.000Z",
            "created_at.lt": f"{(day + timedelta(days=1)).isoformat()}T00:00:00.000Z",
            "limit": PAGE_SIZE,
        }
        items: list[JsonObject] = []
        while True:
            page = self._client.request("GET", path, params=params)
            page_items = page.get("items")
            if not isinstance(page_items, list) or not all(isinstance(i, dict) for i in page_items):
                raise unexpected(PROVIDER, "list")
            items.extend(page_items)
            cursor = page.get("next_cursor")
            if not isinstance(cursor, str) or not cursor:
                return items
            params = {**params, "cursor": cursor}

    # Notifications

    def is_allowed_sender(self, remote_addr: str) -> bool:
        try:
            address = ipaddress.ip_address(remote_addr.strip())
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in network for network in self.allowed_networks)

    def parse_notification(
        self, *, body: bytes, headers: Mapping[str, str], remote_addr: str
    ) -> Notification:
        if not self.is_allowed_sender(remote_addr):
            raise NotificationRejected(
                f"YooKassa notification from {remote_addr!r}, "
                "outside YooKassa's published addresses"
            )
        payload = _notification_body(body)
        event = payload["event"]
        object_id = payload["object"]["id"]
        if event.startswith("payment."):
            return self._payment_notification(payload, object_id)
        if event.startswith("refund."):
            return self._refund_notification(payload, object_id)
        # Payouts, deals and the like: acknowledged, never acted on.
        return Notification(
            event_id=f"{event}:{object_id}",
            kind=NotificationKind.OTHER,
            payment_reference="",
            payment=None,
            payload=payload,
        )

    def _payment_notification(self, payload: JsonObject, object_id: str) -> Notification:
        try:
            raw = self._get_payment(object_id)
        except ProviderRefused as error:
            raise NotificationRejected(f"YooKassa knows no payment {object_id}") from error
        payment = _payment(raw)
        # The event id names the fetched state, so a repeat (or a second claim about the same
        # state) is recognised whatever event the body named.
        return Notification(
            event_id=f"payment:{payment.reference}:{raw['status']}",
            kind=PAYMENT_KINDS[payment.status],
            payment_reference=payment.reference,
            payment=payment,
            reason=_cancellation_reason(raw),
            payload=payload,
        )

    def _refund_notification(self, payload: JsonObject, object_id: str) -> Notification:
        try:
            raw = self._client.request("GET", f"/refunds/{_segment(object_id)}")
        except ProviderRefused as error:
            raise NotificationRejected(f"YooKassa knows no refund {object_id}") from error
        refund = _refund(raw)
        return Notification(
            event_id=f"refund:{refund.reference}:{raw['status']}",
            kind=REFUND_KINDS[refund.status],
            payment_reference=refund.payment_reference,
            payment=None,
            refund=refund,
            reason=_cancellation_reason(raw),
            payload=payload,
        )

    def _get_payment(self, reference: str) -> JsonObject:
        return self._client.request("GET", f"/payments/{_segment(reference)}")


def _notification_body(body: bytes) -> JsonObject:
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise NotificationRejected("YooKassa notification is not JSON") from error
    if not isinstance(payload, dict) or payload.get("type") != "notification":
        raise NotificationRejected("YooKassa notification has no type 'notification'")
    event = payload.get("event")
    if not isinstance(event, str) or not event:
        raise NotificationRejected("YooKassa notification names no event")
    obj = payload.get("object")
    object_id = obj.get("id") if isinstance(obj, dict) else None
    if not isinstance(object_id, str) or not OBJECT_ID.fullmatch(object_id):
        raise NotificationRejected("YooKassa notification names no valid object id")
    return payload


def _segment(reference: str) -> str:
    return quote(reference, safe="")


def _amount(money: Money) -> dict[str, str]:
    return {"value": decimal_text(money), "currency": money.currency}


def _money(raw: Mapping[str, Any], key: str) -> Money | None:
    amount = raw.get(key)
    if amount is None:
        return None
    if not isinstance(amount, dict):
        raise unexpected(PROVIDER, key)
    return decimal_money(amount.get("value"), amount.get("currency"), provider=PROVIDER)


def _payment_status(raw: Mapping[str, Any]) -> str:
    status = PAYMENT_STATUSES.get(raw.get("status"))  # type: ignore[arg-type]
    if status is None:
        raise unexpected(PROVIDER, f"payment status {raw.get('status')!r}")
    return status


def _payment(raw: JsonObject) -> ProviderPayment:
    amount = _money(raw, "amount")
    if amount is None:
        raise unexpected(PROVIDER, "payment (no amount)")
    metadata = raw.get("metadata")
    merchant_reference = metadata.get("merchant_reference") if isinstance(metadata, dict) else ""
    return ProviderPayment(
        reference=text(raw, "id", provider=PROVIDER, what="payment"),
        status=_payment_status(raw),
        amount=amount,
        merchant_reference=merchant_reference if isinstance(merchant_reference, str) else "",
        created_at=iso_datetime(raw.get("created_at")),
        captured_at=iso_datetime(raw.get("captured_at")),
        refunded=_money(raw, "refunded_amount"),
    )


def _refund(raw: JsonObject) -> ProviderRefund:
    amount = _money(raw, "amount")
    status = REFUND_STATUSES.get(raw.get("status"))  # type: ignore[arg-type]
    if amount is None or status is None:
        raise unexpected(PROVIDER, "refund")
    return ProviderRefund(
        reference=text(raw, "id", provider=PROVIDER, what="refund"),
        payment_reference=text(raw, "payment_id", provider=PROVIDER, what="refund"),
        amount=amount,
        status=status,
        created_at=iso_datetime(raw.get("created_at")),
    )


def _cancellation_reason(raw: Mapping[str, Any]) -> str:
    # {"party": "yoo_money", "reason": "expired_on_confirmation"}
    details = raw.get("cancellation_details")
    if not isinstance(details, dict):
        return ""
    return ":".join(str(details[key]) for key in ("party", "reason") if details.get(key))
