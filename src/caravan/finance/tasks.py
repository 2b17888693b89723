from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from caravan.kernel.clock import now

from .reconciliation import reconcile
from .services import release_escrow as release


@shared_task(name="caravan.finance.tasks.release_escrow")
def release_escrow() -> dict[str, int]:
    result = release()
    return {"confirmed": result.confirmed, "released": result.released}


@shared_task(name="caravan.finance.tasks.reconcile_yesterday")
def reconcile_yesterday() -> int:
    """Yesterday's payments and refunds against the configured provider's; each mismatch is
    flagged for the back office. Safe to run twice (a finding is recorded once)."""
    report = reconcile(
        provider=settings.PAYMENT_PROVIDER, day=timezone.localdate(now()) - timedelta(days=1)
    )
    return len(report.mismatches)
