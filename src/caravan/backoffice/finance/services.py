"""The one finance write the domain apps do not offer yet: an operator marks a payment
anomaly resolved. (It belongs in caravan.payments.services; kept here until it moves.)"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound
from caravan.payments.models import PaymentAnomaly


@transaction.atomic
def resolve_anomaly(*, anomaly_id: int) -> PaymentAnomaly:
    """Resolved once: resolving it again keeps the first time."""
    anomaly = PaymentAnomaly.objects.select_for_update().filter(pk=anomaly_id).first()
    if anomaly is None:
        raise NotFound(_("Anomaly not found"), code="anomaly_not_found")
    if anomaly.resolved_at is None:
        anomaly.resolved_at = now()
        anomaly.save(update_fields=["resolved_at"])
    return anomaly
