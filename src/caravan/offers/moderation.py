"""Moderation of proposed products: pending -> approved | rejected (with a reason the seller
sees), rejected -> pending when the author resubmits. Every move is checked against
ProductProposal.TRANSITIONS, audited in ProposalEvent, mirrored into Product.is_approved and
refreshes the product's listing row, so buyers see the product exactly when it is approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.catalog.models import AttributeValue, Variant
from caravan.catalog.services import set_product_approval
from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound, PermissionDenied, ValidationFailed
from caravan.sellers.models import Seller

from .matching import find_conflicting_products
from .models import Offer, ProductProposal, ProposalEvent
from .services import announce_product_changes

MAX_REASON_LENGTH = 500
MAX_BULK = 100
Status = ProductProposal.Status


def _check_operator(operator: User) -> None:
    if not (operator.is_authenticated and operator.is_staff):
        raise PermissionDenied(_("Only operator staff moderate products"), code="not_operator")


def _clean_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise ValidationFailed(
            _("Give the seller a reason for the rejection"), code="reason_required"
        )
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationFailed(
            _("The reason is longer than %(count)s characters") % {"count": MAX_REASON_LENGTH},
            code="reason_too_long",
        )
    return text


def _lock(proposal_ids: Sequence[int]) -> list[ProductProposal]:
    """Lock in id order (the house's fixed order), so two operators cannot deadlock."""
    ids = sorted(set(proposal_ids))
    proposals = list(
        ProductProposal.objects.select_for_update()
        .select_related("product")
        .filter(id__in=ids)
        .order_by("id")
    )
    if len(proposals) != len(ids):
        raise NotFound(_("product proposal not found"))
    return proposals


def _move(proposal: ProductProposal, *, target: str, actor: User | None, reason: str = "") -> None:
    source = proposal.status
    ProductProposal.TRANSITIONS.check(source, target)
    proposal.status = target
    if target == Status.PENDING:
        proposal.submitted_at = now()
    else:
        proposal.decided_at = now()
        proposal.decided_by = actor
    if target == Status.REJECTED:
        proposal.rejection_reason = reason
    proposal.save()
    ProposalEvent.objects.create(
        proposal=proposal, from_status=source, to_status=target, actor=actor, reason=reason
    )
    set_product_approval(product=proposal.product, is_approved=target == Status.APPROVED)
    announce_product_changes(product_ids=[proposal.product_id])


def _check_all(proposals: Sequence[ProductProposal], target: str) -> None:
    """Refuse the whole batch before changing anything when one cannot move."""
    for proposal in proposals:
        if not ProductProposal.TRANSITIONS.can(proposal.status, target):
            raise ValidationFailed(
                _("%(product)s is already %(status)s; reload the queue")
                % {"product": proposal.product.name, "status": proposal.get_status_display()},
                code="invalid_transition",
            )


@transaction.atomic
def approve_proposals(*, operator: User, proposal_ids: Sequence[int]) -> int:
    """Approve every given pending proposal, or none of them. Returns how many."""
    _check_operator(operator)
    if not proposal_ids or len(set(proposal_ids)) > MAX_BULK:
        raise ValidationFailed(
            _("Choose between 1 and %(count)s products") % {"count": MAX_BULK},
            code="invalid_selection",
        )
    proposals = _lock(proposal_ids)
    _check_all(proposals, Status.APPROVED)
    for proposal in proposals:
        _move(proposal, target=Status.APPROVED, actor=operator)
    return len(proposals)


@transaction.atomic
def reject_proposals(*, operator: User, proposal_ids: Sequence[int], reason: str) -> int:
    """Reject every given pending proposal with the reason its author will read, or none."""
    _check_operator(operator)
    text = _clean_reason(reason)
    if not proposal_ids or len(set(proposal_ids)) > MAX_BULK:
        raise ValidationFailed(
            _("Choose between 1 and %(count)s products") % {"count": MAX_BULK},
            code="invalid_selection",
        )
    proposals = _lock(proposal_ids)
    _check_all(proposals, Status.REJECTED)
    for proposal in proposals:
        _move(proposal, target=Status.REJECTED, actor=operator, reason=text)
    return len(proposals)


def approve_proposal(*, operator: User, proposal_id: int) -> ProductProposal:
    approve_proposals(operator=operator, proposal_ids=[proposal_id])
    return ProductProposal.objects.get(id=proposal_id)


def reject_proposal(*, operator: User, proposal_id: int, reason: str) -> ProductProposal:
    reject_proposals(operator=operator, proposal_ids=[proposal_id], reason=reason)
    return ProductProposal.objects.get(id=proposal_id)


@transaction.atomic
def resubmit_proposal(*, seller: Seller, public_id: str, actor: User | None) -> ProductProposal:
    """The author sends a rejected product back to the queue after fixing it."""
    try:
        proposal_id = ProductProposal.objects.get(seller=seller, product__public_id=public_id).id
    except ProductProposal.DoesNotExist as error:
        raise NotFound(_("product not found")) from error
    (proposal,) = _lock([proposal_id])
    ProductProposal.TRANSITIONS.check(proposal.status, Status.PENDING)
    conflicts = find_conflicting_products(
        product=proposal.product, variants=list(proposal.product.variants.all())
    )
    if conflicts:
        raise ValidationFailed(
            _("%(product)s is already in the catalog: offer on it instead")
            % {"product": conflicts[0].name},
            code="duplicate_product",
        )
    _move(proposal, target=Status.PENDING, actor=actor)
    return proposal


# --- Reads for the back office queue ---


class QueueFilter:
    PENDING = Status.PENDING.value
    APPROVED = Status.APPROVED.value
    REJECTED = Status.REJECTED.value
    ALL = "all"
    CHOICES = (PENDING, REJECTED, APPROVED, ALL)


def list_moderation_queue(*, show: str = QueueFilter.PENDING) -> QuerySet[ProductProposal]:
    """Pending first, oldest submission first (first come, first served); decided ones after,
    latest decision first."""
    proposals = ProductProposal.objects.select_related(
        "product", "product__category", "seller"
    ).annotate(variant_count=Count("product__variants", distinct=True))
    if show in (QueueFilter.PENDING, QueueFilter.APPROVED, QueueFilter.REJECTED):
        proposals = proposals.filter(status=show)
    return proposals.annotate(
        waiting=Case(
            When(status=Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "submitted_at", "-decided_at", "id")


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    rejected: int
    approved: int


def count_moderation_queue() -> QueueCounts:
    counts = ProductProposal.objects.aggregate(
        pending=Count("id", filter=Q(status=Status.PENDING)),
        rejected=Count("id", filter=Q(status=Status.REJECTED)),
        approved=Count("id", filter=Q(status=Status.APPROVED)),
    )
    return QueueCounts(**counts)


def get_proposal_for_moderation(*, public_id: str) -> ProductProposal:
    """A proposal with everything the operator judges: images, specs, variants with their
    options, the seller, the offers and the history."""
    try:
        return (
            ProductProposal.objects.select_related(
                "product", "product__category", "product__category__parent", "seller"
            )
            .prefetch_related(
                "product__images",
                Prefetch("product__variants", queryset=Variant.objects.order_by("position", "id")),
                Prefetch(
                    "product__attribute_values",
                    queryset=AttributeValue.objects.select_related("attribute", "variant"),
                ),
                Prefetch(
                    "product__offers",
                    queryset=Offer.objects.select_related("seller", "variant").order_by("id"),
                ),
                Prefetch("events", queryset=ProposalEvent.objects.select_related("actor")),
            )
            .get(product__public_id=public_id)
        )
    except ProductProposal.DoesNotExist as error:
        raise NotFound(_("product proposal not found")) from error
