"""Staff: invitations by email (accept once, before expiry, with the invited address), roles,
removal, and the rule that a shop always keeps an owner."""

from datetime import timedelta

import pytest
from django.core import mail
from tests.factories import add_member, make_seller, make_user, move_clock

from caravan.kernel.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from caravan.sellers.models import Invitation, Membership, Seller
from caravan.sellers.selectors import find_invitation, list_pending_invitations
from caravan.sellers.services.staff import (
    accept_invitation,
    change_member_role,
    invite_member,
    remove_member,
    revoke_invitation,
)
from caravan.sellers.tokens import invitation_token

SITE = "https://caravan.example"


def _owner(seller: Seller):
    return seller.memberships.get(role="owner").user


def _roles(seller: Seller) -> dict[str, str]:
    return dict(seller.memberships.values_list("user__email", "role"))


def _invite(seller, *, email="packer@example.com", role="fulfilment", actor=None):
    return invite_member(
        seller=seller, actor=actor or _owner(seller), email=email, role=role, site_url=SITE
    )


def _token(invitation: Invitation) -> str:
    return invitation_token(invitation.public_id)


def test_an_owner_invites_by_email_with_a_one_time_link(db, django_capture_on_commit_callbacks):
    seller = make_seller(name="Moscow Goods")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(seller, email=" Packer@Example.com ")

    assert (invitation.email, invitation.role, invitation.accepted_at) == (
        "packer@example.com",
        "fulfilment",
        None,
    )
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )
    [message] = mail.outbox
    assert message.to == ["packer@example.com"]
    assert "Moscow Goods" in message.subject
    link = f"{SITE}/seller/invitations/{_token(invitation)}/"
    assert link in message.body
    assert find_invitation(token=_token(invitation)) == invitation


def test_the_invitee_accepts_and_becomes_staff_with_the_role(db):
    seller = make_seller()
    invitation = _invite(seller)
    packer = make_user(email="packer@example.com")

    membership = accept_invitation(token=_token(invitation), user=packer)

    assert (membership.seller, membership.user, membership.role) == (seller, packer, "fulfilment")
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (packer, True)
    assert list(list_pending_invitations(seller=seller)) == []


def test_an_invitation_works_once(db):
    seller = make_seller()
    invitation = _invite(seller)
    packer = make_user(email="packer@example.com")
    accept_invitation(token=_token(invitation), user=packer)

    with pytest.raises(ValidationFailed) as caught:
        accept_invitation(token=_token(invitation), user=packer)

    assert caught.value.code == "invitation_used"
    assert seller.memberships.count() == 2


def test_an_expired_invitation_is_refused(db, monkeypatch):
    seller = make_seller()
    invitation = _invite(seller)
    packer = make_user(email="packer@example.com")
    move_clock(monkeypatch, by=timedelta(days=7, seconds=1))

    with pytest.raises(ValidationFailed) as caught:
        accept_invitation(token=_token(invitation), user=packer)

    assert caught.value.code == "invitation_expired"
    assert seller.memberships.count() == 1


def test_an_invitation_is_for_the_invited_address_only(db):
    seller = make_seller()
    invitation = _invite(seller)
    someone = make_user(email="someone@example.com")

    with pytest.raises(ValidationFailed) as caught:
        accept_invitation(token=_token(invitation), user=someone)

    assert caught.value.code == "invitation_wrong_email"
    assert seller.memberships.count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_forged_or_revoked_link_is_refused(db):
    seller = make_seller()
    invitation = _invite(seller)
    packer = make_user(email="packer@example.com")

    with pytest.raises(NotFound):
        accept_invitation(token=_token(invitation)[:-2] + "xx", user=packer)
    revoke_invitation(seller=seller, actor=_owner(seller), public_id=invitation.public_id)
    with pytest.raises(ValidationFailed) as caught:
        accept_invitation(token=_token(invitation), user=packer)

    assert caught.value.code == "invitation_revoked"
    assert seller.memberships.count() == 1


def test_inviting_the_same_address_again_replaces_the_old_link(db):
    seller = make_seller()
    first = _invite(seller, role="catalog")

    second = _invite(seller, role="finance")

    first.refresh_from_db()
    assert first.revoked_at is not None
    assert list(list_pending_invitations(seller=seller)) == [second]


def test_staff_of_another_shop_cannot_accept(db):
    seller = make_seller()
    invitation = _invite(seller)
    packer = make_user(email="packer@example.com")
    add_member(seller=make_seller(), role="catalog", user=packer)

    with pytest.raises(ValidationFailed) as caught:
        accept_invitation(token=_token(invitation), user=packer)

    assert caught.value.code == "already_seller"
    assert seller.memberships.count() == 1


def test_existing_members_and_bad_input_are_not_invited(db):
    seller = make_seller()
    add_member(seller=seller, role="catalog", user=make_user(email="lister@example.com"))

    for email, role, code in (
        ("lister@example.com", "finance", "already_member"),
        ("not-an-email", "finance", "invalid_email"),
        ("new@example.com", "janitor", "invalid_role"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            _invite(seller, email=email, role=role)
        assert caught.value.code == code
    assert Invitation.objects.count() == 0


def test_roles_without_staff_rights_cannot_invite_and_managers_cannot_make_owners(db):
    seller = make_seller()
    catalog = add_member(seller=seller, role="catalog")
    manager = add_member(seller=seller, role="manager")

    with pytest.raises(PermissionDenied):
        _invite(seller, actor=catalog)
    with pytest.raises(PermissionDenied) as caught:
        _invite(seller, actor=manager, role="owner")

    assert caught.value.code == "owner_only"
    assert Invitation.objects.count() == 0
    assert _invite(seller, actor=manager, role="finance").role == "finance"


def test_staff_cannot_be_invited_before_the_shop_is_approved(db):
    seller = make_seller()
    Seller.objects.filter(id=seller.id).update(status="under_review")

    with pytest.raises(InvalidTransition):
        _invite(seller)

    assert Invitation.objects.count() == 0


def test_an_owner_changes_roles_and_removes_members(db):
    seller = make_seller()
    owner = _owner(seller)
    member = add_member(seller=seller, role="catalog", user=make_user(email="m@example.com"))
    membership = seller.memberships.get(user=member)

    change_member_role(seller=seller, actor=owner, membership_id=membership.id, role="finance")
    assert _roles(seller)["m@example.com"] == "finance"

    remove_member(seller=seller, actor=owner, membership_id=membership.id)
    assert "m@example.com" not in _roles(seller)


def test_the_last_owner_cannot_be_demoted_or_removed(db):
    seller = make_seller()
    owner = _owner(seller)
    membership = seller.memberships.get(user=owner)
    before = _roles(seller)

    for action in (
        lambda: change_member_role(
            seller=seller, actor=owner, membership_id=membership.id, role="manager"
        ),
        lambda: remove_member(seller=seller, actor=owner, membership_id=membership.id),
    ):
        with pytest.raises(ValidationFailed) as caught:
            action()
        assert caught.value.code == "last_owner"
    assert _roles(seller) == before


def test_with_two_owners_one_may_step_down(db):
    seller = make_seller()
    owner = _owner(seller)
    second = add_member(seller=seller, role="owner", user=make_user(email="second@example.com"))

    change_member_role(
        seller=seller,
        actor=owner,
        membership_id=seller.memberships.get(user=owner).id,
        role="manager",
    )

    assert _roles(seller) == {owner.email: "manager", second.email: "owner"}
    with pytest.raises(ValidationFailed):
        remove_member(
            seller=seller,
            actor=second,
            membership_id=seller.memberships.get(user=second).id,
        )


def test_a_manager_cannot_touch_an_owner(db):
    seller = make_seller()
    manager = add_member(seller=seller, role="manager")
    owner_membership = seller.memberships.get(role="owner")
    before = _roles(seller)

    with pytest.raises(PermissionDenied):
        remove_member(seller=seller, actor=manager, membership_id=owner_membership.id)
    with pytest.raises(PermissionDenied):
        change_member_role(
            seller=seller, actor=manager, membership_id=owner_membership.id, role="catalog"
        )

    assert _roles(seller) == before


def test_another_shops_member_is_not_found(db):
    seller = make_seller()
    other_member = Membership.objects.get(seller=make_seller())

    with pytest.raises(NotFound):
        remove_member(seller=seller, actor=_owner(seller), membership_id=other_member.id)

    assert Membership.objects.filter(id=other_member.id).exists()
