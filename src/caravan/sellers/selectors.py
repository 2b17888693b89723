from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.errors import NotFound

from .models import Membership, Seller


def get_membership(*, user: User) -> Membership:
    """The seller the user works for (one seller per user in the portal for now)."""
    if not user.is_authenticated:
        raise NotFound(_("not a seller"))
    membership = (
        Membership.objects.select_related("seller").filter(user=user).order_by("created_at").first()
    )
    if membership is None:
        raise NotFound(_("not a seller"))
    return membership


@dataclass(frozen=True)
class MarketplaceStats:
    seller_count: int
    country_count: int


def marketplace_stats() -> MarketplaceStats:
    """Active sellers and the countries they sell from (the home page's trust badge)."""
    counts = Seller.objects.filter(status=Seller.Status.ACTIVE).aggregate(
        sellers=Count("id"), countries=Count("country", distinct=True)
    )
    return MarketplaceStats(seller_count=counts["sellers"], country_count=counts["countries"])
