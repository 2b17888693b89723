"""A seller's staff: invitations by email, accepting them, changing roles, removing members.

Owners and managers manage staff; only an owner grants, changes or removes the owner role,
and the last owner can be neither demoted nor removed. Membership changes lock the seller
row first, so two owners demoting each other at once cannot leave the shop without one.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed

from ..models import LIVE_STATUSES, Invitation, Membership, Seller
from ..notifications import notify_invitation
from ..selectors import find_invitation
from ..tokens import invitation_token

Role = Membership.Role
INVITATION_DAYS = 7
STAFF_MANAGERS = frozenset({Role.OWNER, Role.MANAGER})
WORKING_STATUSES = frozenset({Seller.Status.ACTIVE, Seller.Status.SUSPENDED})


def _locked_seller(seller: Seller) -> Seller:
    locked = Seller.objects.select_for_update().get(id=seller.id)
    if locked.status not in WORKING_STATUSES:
        raise InvalidTransition(
            _("Staff can be managed once the shop is approved."), code="seller_not_active"
        )
    return locked


def _manager_role(*, seller: Seller, actor: User) -> str:
    role = (
        Membership.objects.filter(seller=seller, user=actor).values_list("role", flat=True).first()
    )
    if role not in STAFF_MANAGERS:
        raise PermissionDenied(
            _("Only the shop's owners and managers manage its staff."), code="not_staff_manager"
        )
    return str(role)


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationFailed(_("Choose a role from the list."), code="invalid_role")


def _owner_only(actor_role: str) -> PermissionDenied | None:
    if actor_role != Role.OWNER:
        return PermissionDenied(
            _("Only an owner can grant, change or remove the owner role."), code="owner_only"
        )
    return None


def invitation_link(*, invitation: Invitation, site_url: str) -> str:
    path = reverse(
        "seller_portal:invitation", kwargs={"token": invitation_token(invitation.public_id)}
    )
    return f"{site_url.rstrip('/')}{path}"


@transaction.atomic
def invite_member(
    *, seller: Seller, actor: User, email: str, role: str, site_url: str
) -> Invitation:
    """Email a one-time link; a new invitation to the same address replaces the old one."""
    locked = _locked_seller(seller)
    actor_role = _manager_role(seller=locked, actor=actor)
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError as error:
        raise ValidationFailed(_("Enter a valid email address."), code="invalid_email") from error
    _check_role(role)
    if role == Role.OWNER and (refusal := _owner_only(actor_role)):
        raise refusal
    if Membership.objects.filter(seller=locked, user__email__iexact=address).exists():
        raise ValidationFailed(
            _("%(email)s is already on the staff.") % {"email": address}, code="already_member"
        )
    moment = now()
    Invitation.objects.filter(
        seller=locked, email__iexact=address, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=moment)
    invitation = Invitation.objects.create(
        seller=locked,
        email=address,
        role=role,
        invited_by=actor,
        expires_at=moment + timedelta(days=INVITATION_DAYS),
    )
    notify_invitation(
        email=address,
        seller_name=locked.name,
        role=role,
        inviter=actor.full_name or actor.email,
        link=invitation_link(invitation=invitation, site_url=site_url),
        days=INVITATION_DAYS,
    )
    return invitation


def invitation_problem(*, invitation: Invitation, user: User | None) -> ValidationFailed | None:
    """Why this invitation cannot be accepted (by this user), or None when it can."""
    if invitation.revoked_at is not None or invitation.seller.status not in LIVE_STATUSES:
        return ValidationFailed(
            _("This invitation was withdrawn. Ask the shop for a new one."),
            code="invitation_revoked",
        )
    if invitation.accepted_at is not None:
        return ValidationFailed(_("This invitation has already been used."), code="invitation_used")
    if invitation.expires_at <= now():
        return ValidationFailed(
            _("This invitation has expired. Ask the shop for a new one."),
            code="invitation_expired",
        )
    if user is None:
        return None
    if user.email.lower() != invitation.email.lower():
        return ValidationFailed(
            _("This invitation is for %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            code="invitation_wrong_email",
        )
    if Membership.objects.filter(user=user, seller__status__in=LIVE_STATUSES).exists():
        return ValidationFailed(
            _("This account already works for a shop on Caravan."), code="already_seller"
        )
    return None


@transaction.atomic
def accept_invitation(*, token: str, user: User) -> Membership:
    found = find_invitation(token=token)
    invitation = Invitation.objects.select_for_update().select_related("seller").get(id=found.id)
    problem = invitation_problem(invitation=invitation, user=user)
    if problem is not None:
        raise problem
    membership = Membership.objects.create(
        seller=invitation.seller, user=user, role=invitation.role
    )
    invitation.accepted_at = now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def revoke_invitation(*, seller: Seller, actor: User, public_id: str) -> Invitation:
    locked = _locked_seller(seller)
    actor_role = _manager_role(seller=locked, actor=actor)
    invitation = Invitation.objects.filter(
        seller=locked, public_id=public_id, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if invitation is None:
        raise NotFound(_("No such invitation."))
    if invitation.role == Role.OWNER and (refusal := _owner_only(actor_role)):
        raise refusal
    invitation.revoked_at = now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def _target(*, seller: Seller, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user").filter(seller=seller, id=membership_id).first()
    )
    if membership is None:
        raise NotFound(_("No such member of staff."))
    return membership


def _check_not_last_owner(*, seller: Seller, membership: Membership) -> None:
    if membership.role != Role.OWNER:
        return
    owners = Membership.objects.filter(seller=seller, role=Role.OWNER).count()
    if owners <= 1:
        raise ValidationFailed(
            _("A shop needs an owner: make someone else an owner first."), code="last_owner"
        )


@transaction.atomic
def change_member_role(*, seller: Seller, actor: User, membership_id: int, role: str) -> Membership:
    locked = _locked_seller(seller)
    actor_role = _manager_role(seller=locked, actor=actor)
    _check_role(role)
    membership = _target(seller=locked, membership_id=membership_id)
    if Role.OWNER in (role, membership.role) and (refusal := _owner_only(actor_role)):
        raise refusal
    if membership.role == role:
        return membership
    if role != Role.OWNER:
        _check_not_last_owner(seller=locked, membership=membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, seller: Seller, actor: User, membership_id: int) -> None:
    locked = _locked_seller(seller)
    actor_role = _manager_role(seller=locked, actor=actor)
    membership = _target(seller=locked, membership_id=membership_id)
    if membership.role == Role.OWNER and (refusal := _owner_only(actor_role)):
        raise refusal
    _check_not_last_owner(seller=locked, membership=membership)
    membership.delete()
