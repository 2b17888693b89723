from __future__ import annotations

from caravan.accounts.models import User
from caravan.kernel.errors import NotFound

from .models import Membership


def get_membership(*, user: User) -> Membership:
    """The seller the user works for (one seller per user in the portal for now)."""
    if not user.is_authenticated:
        raise NotFound("not a seller")
    membership = (
        Membership.objects.select_related("seller")
        .filter(user=user)
        .order_by("created_at")
        .first()
    )
    if membership is None:
        raise NotFound("not a seller")
    return membership
