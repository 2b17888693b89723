from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.errors import NotFound

from .models import (
    APPLYING_STATUSES,
    LIVE_STATUSES,
    Invitation,
    Membership,
    PayoutDetails,
    Seller,
    SellerDocument,
    SellerEvent,
)
from .tokens import read_invitation_token

S = Seller.Status


def get_membership(*, user: User) -> Membership:
    """The seller the user works for (one seller per user in the portal for now).

    A closed seller is history: its staff are nobody's staff until they apply or join again."""
    if not user.is_authenticated:
        raise NotFound(_("not a seller"))
    membership = (
        Membership.objects.select_related("seller")
        .filter(user=user, seller__status__in=LIVE_STATUSES)
        .order_by("created_at")
        .first()
    )
    if membership is None:
        raise NotFound(_("not a seller"))
    return membership


def find_application(*, user: User) -> Seller | None:
    """The shop the user applied for, while it is not yet approved (None when there is none)."""
    if not user.is_authenticated:
        return None
    return (
        Seller.objects.filter(
            memberships__user=user,
            memberships__role=Membership.Role.OWNER,
            status__in=APPLYING_STATUSES,
        )
        .order_by("created_at")
        .first()
    )


def get_payout_details(*, seller: Seller) -> PayoutDetails:
    details, _created = PayoutDetails.objects.get_or_create(seller=seller)
    return details


def list_documents(*, seller: Seller) -> QuerySet[SellerDocument]:
    return SellerDocument.objects.filter(seller=seller).order_by("uploaded_at", "id")


def get_seller_document(*, seller: Seller, public_id: str) -> SellerDocument:
    document = SellerDocument.objects.filter(seller=seller, public_id=public_id).first()
    if document is None:
        raise NotFound(_("No such document."))
    return document


def list_seller_events(*, seller: Seller) -> QuerySet[SellerEvent]:
    return (
        SellerEvent.objects.filter(seller=seller)
        .select_related("actor")
        .order_by("created_at", "id")
    )


# --- Staff -----------------------------------------------------------------------------


def list_members(*, seller: Seller) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(seller=seller).select_related("user").order_by("created_at", "id")
    )


def get_member(*, seller: Seller, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user").filter(seller=seller, id=membership_id).first()
    )
    if membership is None:
        raise NotFound(_("No such member of staff."))
    return membership


def list_pending_invitations(*, seller: Seller) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        seller=seller, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-created_at", "-id")


def get_invitation(*, seller: Seller, public_id: str) -> Invitation:
    invitation = Invitation.objects.filter(seller=seller, public_id=public_id).first()
    if invitation is None:
        raise NotFound(_("No such invitation."))
    return invitation


def find_invitation(*, token: str) -> Invitation:
    """The invitation a link points at, whatever its state (the page explains the state)."""
    public_id = read_invitation_token(token)
    invitation = (
        Invitation.objects.select_related("seller").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."), code="invalid_invitation")
    return invitation


# --- Operators --------------------------------------------------------------------------

QUEUE_STATUSES = (S.SUBMITTED, S.UNDER_REVIEW)


def list_application_queue() -> QuerySet[Seller]:
    """Applications waiting for an operator, the longest-waiting first."""
    return Seller.objects.filter(status__in=QUEUE_STATUSES).order_by("updated_at", "id")


def list_sellers(*, status: str = "", query: str = "") -> QuerySet[Seller]:
    sellers = Seller.objects.all()
    if status:
        sellers = sellers.filter(status=status)
    if query:
        sellers = sellers.filter(
            Q(name__icontains=query)
            | Q(legal_name__icontains=query)
            | Q(tax_id__icontains=query)
            | Q(memberships__user__email__icontains=query)
        ).distinct()
    return sellers.order_by("-updated_at", "-id")


def get_seller(*, public_id: str) -> Seller:
    """Any seller by its public id: for operator pages only."""
    seller = Seller.objects.filter(public_id=public_id).first()
    if seller is None:
        raise NotFound(_("No such seller."))
    return seller


def list_sellers_by_public_ids(*, public_ids: list[str]) -> list[Seller]:
    return list(Seller.objects.filter(public_id__in=public_ids).order_by("id"))


def get_public_seller(*, slug: str) -> Seller:
    """A shop as buyers see it: only an active one."""
    seller = Seller.objects.filter(slug=slug, status=S.ACTIVE).first()
    if seller is None:
        raise NotFound(_("No such shop."))
    return seller


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
