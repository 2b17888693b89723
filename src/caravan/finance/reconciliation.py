"""Reconciliation: the provider's payments and refunds of a day against ours.

Every difference becomes a PaymentAnomaly (source "reconciliation") that the back office
lists until an operator resolves it; running the same day twice adds nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from caravan.payments.gateways.base import (
    PaymentGateway,
    ProviderRefused,
    ProviderStatus,
    RefundStatus,
)
from caravan.payments.gateways.registry import get_gateway
from caravan.payments.models import Payment, PaymentAnomaly, Refund
from caravan.payments.services import flag

TAKEN = {
    Payment.Status.CAPTURED,
    Payment.Status.PARTIALLY_REFUNDED,
    Payment.Status.REFUNDED,
}


@dataclass
class ReconciliationReport:
    provider: str
    day: date
    payments_checked: int = 0
    refunds_checked: int = 0
    mismatches: list[str] = field(default_factory=list)


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def reconcile(*, provider: str, day: date) -> ReconciliationReport:
    """Compare, flag, report. Calls the provider outside any transaction."""
    gateway = get_gateway(provider)
    theirs = gateway.list_payments(day=day)
    their_refunds = gateway.list_refunds(day=day)
    report = ReconciliationReport(provider=provider, day=day)
    start, end = _bounds(day)
    ours = {
        payment.provider_reference: payment
        for payment in Payment.objects.filter(provider=provider).filter(
            created_at__gte=start - timedelta(days=1), created_at__lt=end + timedelta(days=1)
        )
        if payment.provider_reference
    }
    seen: set[str] = set()
    for item in theirs:
        report.payments_checked += 1
        seen.add(item.reference)
        payment = (
            ours.get(item.reference)
            or Payment.objects.filter(provider=provider, provider_reference=item.reference).first()
        )
        captured_there = item.status == ProviderStatus.SUCCEEDED
        if payment is None:
            if captured_there:
                _flag(
                    report,
                    provider,
                    PaymentAnomaly.Kind.CAPTURED_NOT_PAID,
                    item.reference,
                    None,
                    "",
                    f"{item.amount.amount} {item.amount.currency}",
                    "captured at the provider, unknown to Caravan",
                )
            continue
        if item.amount != payment.money:
            _flag(
                report,
                provider,
                PaymentAnomaly.Kind.AMOUNT_MISMATCH,
                item.reference,
                payment,
                f"{payment.amount} {payment.currency}",
                f"{item.amount.amount} {item.amount.currency}",
                "amounts differ",
            )
        captured_here = payment.status in TAKEN
        if captured_there and not captured_here:
            _flag(
                report,
                provider,
                PaymentAnomaly.Kind.CAPTURED_NOT_PAID,
                item.reference,
                payment,
                payment.status,
                item.status,
                "captured there, not here",
            )
        elif captured_here and not captured_there:
            _flag(
                report,
                provider,
                PaymentAnomaly.Kind.PAID_NOT_CAPTURED,
                item.reference,
                payment,
                payment.status,
                item.status,
                "captured here, not there",
            )
    for payment in Payment.objects.filter(
        provider=provider, captured_at__gte=start, captured_at__lt=end, status__in=TAKEN
    ):
        if payment.provider_reference not in seen and not _captured_there(gateway, payment):
            _flag(
                report,
                provider,
                PaymentAnomaly.Kind.PAID_NOT_CAPTURED,
                payment.provider_reference,
                payment,
                payment.status,
                "missing",
                "captured here, absent from the provider's list",
            )
    for refund in their_refunds:
        report.refunds_checked += 1
        ours_refund = Refund.objects.filter(
            payment__provider=provider, provider_reference=refund.reference
        ).first()
        if ours_refund is None:
            _flag(
                report,
                provider,
                PaymentAnomaly.Kind.REFUND_MISMATCH,
                refund.reference,
                None,
                "",
                f"{refund.amount.amount} {refund.amount.currency}",
                "refund at the provider unknown to Caravan",
            )
        elif refund.amount != ours_refund.money or (
            refund.status == RefundStatus.SUCCEEDED
            and ours_refund.status != Refund.Status.SUCCEEDED
        ):
            _flag(
                report,
                provider,
                PaymentAnomaly.Kind.REFUND_MISMATCH,
                refund.reference,
                ours_refund.payment,
                f"{ours_refund.amount} {ours_refund.status}",
                f"{refund.amount.amount} {refund.status}",
                "refund differs",
            )
    return report


def _captured_there(gateway: PaymentGateway, payment: Payment) -> bool:
    """A capture of the day missing from the provider's list of the day: the provider lists
    a payment by the day it was created, which may be the day before (opened at 23:59, paid
    after midnight). Asked for by its reference, the provider settles it (its amount is
    compared on the day the provider lists it)."""
    if not payment.provider_reference:
        return False
    try:
        theirs = gateway.fetch_payment(reference=payment.provider_reference)
    except ProviderRefused:
        return False  # unknown to the provider
    return theirs.status == ProviderStatus.SUCCEEDED


def _flag(
    report: ReconciliationReport,
    provider: str,
    kind: str,
    reference: str,
    payment: Payment | None,
    expected: str,
    observed: str,
    detail: str,
) -> None:
    report.mismatches.append(f"{kind} {reference}: {detail} (ours {expected}, theirs {observed})")
    flag(
        provider=provider,
        kind=kind,
        source=PaymentAnomaly.Source.RECONCILIATION,
        fingerprint=f"reconcile:{provider}:{kind}:{reference}:{expected}:{observed}",
        payment=payment,
        provider_reference=reference,
        expected=expected,
        observed=observed,
        detail=detail,
    )
