"""A seller's status changes: each is checked against SELLER_TRANSITIONS, audited and mailed.

Operators review, approve, reject, suspend, reinstate and close; the applicant submits (see
onboarding). Approving or rejecting a submitted application passes through under_review,
so the history shows the review step even when the operator decides at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.errors import InvalidTransition, PermissionDenied, ValidationFailed
from caravan.kernel.events import publish

from ..events import SellerStatusChanged
from ..models import SELLER_TRANSITIONS, Seller, SellerEvent
from ..notifications import notify_status_change

S = Seller.Status
# A reason is what the seller reads: these moves must explain themselves.
REASON_REQUIRED = frozenset({S.REJECTED, S.SUSPENDED, S.CLOSED})
MAX_REASON_LENGTH = 2000


def _require_operator(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_staff):
        raise PermissionDenied(_("Only operator staff can do this."), code="operator_only")


def _check_reason(target: str, reason: str) -> str:
    text = reason.strip()
    if target in REASON_REQUIRED and not text:
        raise ValidationFailed(_("Give a reason: the seller reads it."), code="reason_required")
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationFailed(
            _("Keep the reason under %(count)d characters.") % {"count": MAX_REASON_LENGTH},
            code="reason_too_long",
        )
    return text


def _refuse(seller: Seller, target: str) -> InvalidTransition:
    return InvalidTransition(
        _("%(name)s is %(status)s and cannot become %(target)s.")
        % {
            "name": seller,
            "status": seller.get_status_display(),
            "target": S(target).label,
        },
        code="invalid_transition",
    )


def move_seller(
    *,
    seller: Seller,
    actor: User | None,
    target: str,
    reason: str = "",
    site_url: str = "",
    notify: bool = True,
) -> Seller:
    """One checked, audited move. The caller holds the transaction and the row lock."""
    if not SELLER_TRANSITIONS.can(seller.status, target):
        raise _refuse(seller, target)
    text = _check_reason(target, reason)
    previous = seller.status
    seller.status = target
    # The reason shown to the seller belongs to the latest rejection or suspension only.
    seller.status_reason = text if target in REASON_REQUIRED else ""
    seller.save(update_fields=["status", "status_reason", "updated_at"])
    SellerEvent.objects.create(
        seller=seller,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=previous,
        to_status=target,
        reason=text,
    )
    if S.ACTIVE in (previous, target):
        # The offers app re-summarises the seller's products within this transaction.
        publish(SellerStatusChanged(seller_id=seller.id, previous=previous, status=target))
    if notify:
        notify_status_change(seller=seller, previous=previous, reason=text, site_url=site_url)
    return seller


def _locked(seller: Seller) -> Seller:
    return Seller.objects.select_for_update().get(id=seller.id)


def _moves(
    *, seller: Seller, actor: User, targets: Sequence[str], reason: str, site_url: str
) -> None:
    """Several moves in a row; the reason and the email belong to the last one."""
    for index, target in enumerate(targets):
        last = index == len(targets) - 1
        move_seller(
            seller=seller,
            actor=actor,
            target=target,
            reason=reason if last else "",
            site_url=site_url,
            notify=last,
        )


def _decide(*, seller: Seller, decision: str) -> list[str]:
    """A decision on a submitted application passes through review first."""
    if seller.status == S.SUBMITTED and decision in (S.ACTIVE, S.REJECTED):
        return [S.UNDER_REVIEW, decision]
    return [decision]


# Moves whose source matters beyond the table: approval is for applications only.
ONLY_FROM: dict[str, frozenset[str]] = {S.ACTIVE: frozenset({S.SUBMITTED, S.UNDER_REVIEW})}


def _operator_move(
    *, seller: Seller, actor: User, target: str, reason: str = "", site_url: str = ""
) -> Seller:
    _require_operator(actor)
    _check_reason(target, reason)
    with transaction.atomic():
        locked = _locked(seller)
        if target in ONLY_FROM and locked.status not in ONLY_FROM[target]:
            raise _refuse(locked, target)
        targets = _decide(seller=locked, decision=target)
        _moves(seller=locked, actor=actor, targets=targets, reason=reason, site_url=site_url)
    return locked


def start_review(*, seller: Seller, actor: User, site_url: str = "") -> Seller:
    return _operator_move(seller=seller, actor=actor, target=S.UNDER_REVIEW, site_url=site_url)


def approve_seller(*, seller: Seller, actor: User, site_url: str = "") -> Seller:
    return _operator_move(seller=seller, actor=actor, target=S.ACTIVE, site_url=site_url)


def reject_seller(*, seller: Seller, actor: User, reason: str, site_url: str = "") -> Seller:
    return _operator_move(
        seller=seller, actor=actor, target=S.REJECTED, reason=reason, site_url=site_url
    )


def suspend_seller(*, seller: Seller, actor: User, reason: str, site_url: str = "") -> Seller:
    return _operator_move(
        seller=seller, actor=actor, target=S.SUSPENDED, reason=reason, site_url=site_url
    )


def reinstate_seller(
    *, seller: Seller, actor: User, reason: str = "", site_url: str = ""
) -> Seller:
    """Suspended -> active only: approving an application is approve_seller."""
    _require_operator(actor)
    with transaction.atomic():
        locked = _locked(seller)
        if locked.status != S.SUSPENDED:
            raise _refuse(locked, S.ACTIVE)
        _moves(seller=locked, actor=actor, targets=[S.ACTIVE], reason=reason, site_url=site_url)
    return locked


def close_seller(*, seller: Seller, actor: User, reason: str, site_url: str = "") -> Seller:
    return _operator_move(
        seller=seller, actor=actor, target=S.CLOSED, reason=reason, site_url=site_url
    )


BULK_ACTIONS = {"approve": S.ACTIVE, "review": S.UNDER_REVIEW}


@transaction.atomic
def bulk_moderate(
    *, sellers: Sequence[Seller], actor: User, action: str, site_url: str = ""
) -> list[Seller]:
    """Approve, or take into review, several applications: all of them or none."""
    _require_operator(actor)
    if action not in BULK_ACTIONS:
        raise ValidationFailed(_("Unknown bulk action."), code="invalid_action")
    if not sellers:
        raise ValidationFailed(_("Select at least one application."), code="nothing_selected")
    decision = BULK_ACTIONS[action]
    moved = []
    for seller in sorted(sellers, key=lambda item: item.id):  # one lock order
        locked = _locked(seller)
        if decision in ONLY_FROM and locked.status not in ONLY_FROM[decision]:
            raise _refuse(locked, decision)
        targets = _decide(seller=locked, decision=decision)
        _moves(seller=locked, actor=actor, targets=targets, reason="", site_url=site_url)
        moved.append(locked)
    return moved
