"""The sandbox provider: a hosted payment page served by Caravan itself for the demo.

It behaves like a real one-currency provider from Caravan's side: a payment created with an
idempotency key, a redirect out, a signed notification in, refunds, a list for
reconciliation. Production refuses it unless the operator says otherwise (payments.checks).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from datetime import time as day_time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from caravan.kernel.money import Money

from .gateways.base import (
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
from .models import SandboxRefund, SandboxSession
from .signing import SIGNATURE_HEADER, sign, verify_signature

STATUS = {
    SandboxSession.Status.OPEN: ProviderStatus.PENDING,
    SandboxSession.Status.APPROVED: ProviderStatus.SUCCEEDED,
    SandboxSession.Status.DECLINED: ProviderStatus.CANCELED,
    SandboxSession.Status.CANCELED: ProviderStatus.CANCELED,
}


def _as_payment(session: SandboxSession) -> ProviderPayment:
    refunded = sum(
        (Money(refund.amount, refund.currency) for refund in session.refunds.all()),
        Money.zero(session.currency),
    )
    return ProviderPayment(
        reference=session.reference,
        status=STATUS[SandboxSession.Status(session.status)],
        amount=session.money,
        merchant_reference=session.merchant_reference,
        created_at=session.created_at,
        captured_at=session.resolved_at
        if session.status == SandboxSession.Status.APPROVED
        else None,
        refunded=refunded,
    )


def _session(reference: str) -> SandboxSession:
    try:
        return SandboxSession.objects.get(reference=reference)
    except SandboxSession.DoesNotExist as error:
        raise ProviderRefused(
            f"sandbox: no payment {reference}", code="provider_refused"
        ) from error


class SandboxGateway:
    name = "sandbox"

    def create_payment(
        self,
        *,
        amount: Money,
        merchant_reference: str,
        description: str,
        return_url: str,
        idempotency_key: str,
    ) -> HostedPayment:
        try:
            with transaction.atomic():
                session = SandboxSession.objects.create(
                    reference=f"sbx_{secrets.token_hex(12)}",
                    idempotency_key=idempotency_key,
                    merchant_reference=merchant_reference,
                    description=description[:255],
                    currency=amount.currency,
                    amount=amount.amount,
                    return_url=return_url,
                )
        except IntegrityError:
            # Like a real provider: the same idempotency key answers with the first payment.
            session = SandboxSession.objects.get(idempotency_key=idempotency_key)
        return HostedPayment(
            reference=session.reference,
            redirect_url=reverse("sandbox:pay", kwargs={"reference": session.reference}),
            status=STATUS[SandboxSession.Status(session.status)],
        )

    def parse_notification(
        self, *, body: bytes, headers: Mapping[str, str], remote_addr: str
    ) -> Notification:
        verify_signature(
            body=body,
            signature=headers.get(SIGNATURE_HEADER, ""),
            secret=settings.PAYMENT_WEBHOOK_SECRET,
            tolerance=settings.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
        )
        try:
            payload = json.loads(body)
            data = payload["data"]
            event_id, kind = str(payload["id"]), str(payload["type"])
            reference = str(data["payment"])
            amount = Money(str(data["amount"]), str(data["currency"]))
            status = str(data["status"])
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise NotificationRejected(
                "malformed notification body", code="body_malformed"
            ) from error
        if not 0 < len(event_id) <= 64 or not 0 < len(reference) <= 64:
            raise NotificationRejected("event or payment id out of bounds", code="body_malformed")
        payment = ProviderPayment(
            reference=reference,
            status=status,
            amount=amount,
            merchant_reference=str(data.get("merchant_reference", "")),
        )
        return Notification(
            event_id=event_id,
            kind=kind,
            payment_reference=reference,
            payment=payment,
            reason=str(data.get("reason", "")),
            payload=payload,
        )

    def fetch_payment(self, *, reference: str) -> ProviderPayment:
        return _as_payment(_session(reference))

    def capture(self, *, reference: str, amount: Money, idempotency_key: str) -> ProviderPayment:
        # The sandbox captures on approval, like a one-step card payment.
        return self.fetch_payment(reference=reference)

    def cancel(self, *, reference: str, idempotency_key: str) -> ProviderPayment:
        with transaction.atomic():
            session = SandboxSession.objects.select_for_update().get(reference=reference)
            if session.status == SandboxSession.Status.OPEN:
                session.status = SandboxSession.Status.CANCELED
                session.resolved_at = timezone.now()
                session.save(update_fields=["status", "resolved_at"])
        return self.fetch_payment(reference=reference)

    def refund(
        self, *, payment_reference: str, amount: Money, idempotency_key: str, reason: str
    ) -> ProviderRefund:
        with transaction.atomic():
            session = SandboxSession.objects.select_for_update().get(reference=payment_reference)
            existing = SandboxRefund.objects.filter(idempotency_key=idempotency_key).first()
            if existing is None:
                if session.status != SandboxSession.Status.APPROVED:
                    raise ProviderRefused("sandbox: the payment was not captured")
                refunded = sum((refund.amount for refund in session.refunds.all()), 0)
                if amount.currency != session.currency or amount.amount + refunded > session.amount:
                    raise ProviderRefused("sandbox: the refund exceeds the payment")
                existing = SandboxRefund.objects.create(
                    reference=f"sbr_{secrets.token_hex(12)}",
                    idempotency_key=idempotency_key,
                    session=session,
                    currency=amount.currency,
                    amount=amount.amount,
                )
        return ProviderRefund(
            reference=existing.reference,
            payment_reference=payment_reference,
            amount=Money(existing.amount, existing.currency),
            status=RefundStatus.SUCCEEDED,
            created_at=existing.created_at,
        )

    def list_payments(self, *, day: date) -> list[ProviderPayment]:
        start, end = _day_bounds(day)
        sessions = SandboxSession.objects.filter(created_at__gte=start, created_at__lt=end)
        return [_as_payment(session) for session in sessions.prefetch_related("refunds")]

    def list_refunds(self, *, day: date) -> list[ProviderRefund]:
        start, end = _day_bounds(day)
        refunds = SandboxRefund.objects.filter(created_at__gte=start, created_at__lt=end)
        return [
            ProviderRefund(
                reference=refund.reference,
                payment_reference=refund.session.reference,
                amount=Money(refund.amount, refund.currency),
                status=RefundStatus.SUCCEEDED,
                created_at=refund.created_at,
            )
            for refund in refunds.select_related("session")
        ]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, day_time.min))
    return start, start + timedelta(days=1)


def build_event(*, session: SandboxSession, approved: bool, event_id: str | None = None) -> bytes:
    payload = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "type": NotificationKind.PAYMENT_SUCCEEDED if approved else NotificationKind.PAYMENT_FAILED,
        "created": int(time.time()),
        "data": {
            "payment": session.reference,
            "merchant_reference": session.merchant_reference,
            "amount": str(session.amount),
            "currency": session.currency,
            "status": ProviderStatus.SUCCEEDED if approved else ProviderStatus.CANCELED,
            "reason": "" if approved else "card_declined",
        },
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def signed_headers(body: bytes) -> dict[str, str]:
    signature = sign(body=body, secret=settings.PAYMENT_WEBHOOK_SECRET, timestamp=int(time.time()))
    return {SIGNATURE_HEADER: signature}


def resolve_session(*, reference: str, approved: bool) -> SandboxSession:
    """The buyer pressed Approve or Decline on the hosted page: record it and notify Caravan
    by the signed notification, exactly as the provider would, before redirecting back."""
    from .services import handle_notification

    with transaction.atomic():
        session = SandboxSession.objects.select_for_update().get(reference=reference)
        if session.status != SandboxSession.Status.OPEN:
            return session
        session.status = (
            SandboxSession.Status.APPROVED if approved else SandboxSession.Status.DECLINED
        )
        session.resolved_at = timezone.now()
        session.save(update_fields=["status", "resolved_at"])
    body = build_event(session=session, approved=approved)
    handle_notification(body=body, headers=signed_headers(body), remote_addr="127.0.0.1")
    return session
