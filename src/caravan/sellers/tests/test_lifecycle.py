"""Every seller transition: allowed moves are audited and mailed, forbidden ones change
nothing. (What suspension does to offers: tests/test_seller_suspension.py.)"""

import pytest
from django.core import mail
from tests.factories import make_seller, make_user

from caravan.kernel.errors import InvalidTransition, PermissionDenied, ValidationFailed
from caravan.sellers.models import SELLER_TRANSITIONS, Seller, SellerEvent
from caravan.sellers.selectors import list_seller_events
from caravan.sellers.services.lifecycle import (
    approve_seller,
    bulk_moderate,
    move_seller,
    reinstate_seller,
    reject_seller,
    start_review,
    suspend_seller,
)
from caravan.sellers.services.onboarding import submit_application

from .helpers import RUSSIAN_COMPANY, make_operator, submitted_seller

S = Seller.Status
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.CLOSED),
    (S.SUBMITTED, S.UNDER_REVIEW),
    (S.SUBMITTED, S.CLOSED),
    (S.UNDER_REVIEW, S.ACTIVE),
    (S.UNDER_REVIEW, S.REJECTED),
    (S.UNDER_REVIEW, S.CLOSED),
    (S.REJECTED, S.SUBMITTED),
    (S.REJECTED, S.CLOSED),
    (S.ACTIVE, S.SUSPENDED),
    (S.ACTIVE, S.CLOSED),
    (S.SUSPENDED, S.ACTIVE),
    (S.SUSPENDED, S.CLOSED),
}
EVERY_PAIR = [(source, target) for source in S for target in S if source != target]


def _seller_in(status: str) -> Seller:
    seller = make_seller()
    Seller.objects.filter(id=seller.id).update(status=status)
    seller.refresh_from_db()
    return seller


def test_the_table_allows_exactly_the_documented_moves():
    assert {pair for pair in EVERY_PAIR if SELLER_TRANSITIONS.can(*pair)} == ALLOWED


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_an_allowed_move_is_audited_with_who_and_why(db, source, target):
    seller = _seller_in(source)
    operator = make_operator()

    move_seller(seller=seller, actor=operator, target=target, reason="Checked by phone")

    seller.refresh_from_db()
    event = SellerEvent.objects.get(seller=seller)
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        operator,
        source,
        target,
        "Checked by phone",
    )
    assert seller.status == target


@pytest.mark.parametrize(
    ("source", "target"), sorted(pair for pair in EVERY_PAIR if pair not in ALLOWED)
)
def test_a_forbidden_move_changes_nothing(db, django_capture_on_commit_callbacks, source, target):
    seller = _seller_in(source)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(InvalidTransition):
        move_seller(seller=seller, actor=make_operator(), target=target, reason="Because")

    seller.refresh_from_db()
    assert seller.status == source
    assert SellerEvent.objects.count() == 0
    assert callbacks == []


def test_approving_a_submitted_application_passes_through_review_and_mails_once(
    db, django_capture_on_commit_callbacks
):
    applicant = make_user(email="founder@example.com")
    seller = submitted_seller(user=applicant)
    operator = make_operator()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approve_seller(seller=seller, actor=operator, site_url="https://caravan.example")

    seller.refresh_from_db()
    assert seller.status == "active"
    assert [(e.from_status, e.to_status, e.actor) for e in list_seller_events(seller=seller)] == [
        ("", "draft", applicant),
        ("draft", "submitted", applicant),
        ("submitted", "under_review", operator),
        ("under_review", "active", operator),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["founder@example.com"], "Welcome to Caravan: Moscow Goods is approved")
    ]
    assert "https://caravan.example/seller/" in mail.outbox[0].body


def test_a_rejected_applicant_reads_the_reason_fixes_and_resubmits(
    db, django_capture_on_commit_callbacks
):
    applicant = make_user()
    seller = submitted_seller(user=applicant)
    operator = make_operator()
    start_review(seller=seller, actor=operator)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reject_seller(seller=seller, actor=operator, reason="The INN belongs to another company.")

    seller.refresh_from_db()
    assert (seller.status, seller.status_reason) == (
        "rejected",
        "The INN belongs to another company.",
    )
    assert mail.outbox[0].subject == "The application of Moscow Goods needs changes"
    assert "Reason: The INN belongs to another company." in mail.outbox[0].body

    submit_application(user=applicant, data=RUSSIAN_COMPANY)

    seller.refresh_from_db()
    assert (seller.status, seller.status_reason) == ("submitted", "")
    assert seller.documents.count() == 1  # the documents uploaded before still count


def test_rejecting_and_suspending_need_a_reason(db):
    operator = make_operator()
    applied = submitted_seller()
    active = make_seller()

    with pytest.raises(ValidationFailed) as rejected:
        reject_seller(seller=applied, actor=operator, reason="   ")
    with pytest.raises(ValidationFailed) as suspended:
        suspend_seller(seller=active, actor=operator, reason="")

    assert (rejected.value.code, suspended.value.code) == ("reason_required", "reason_required")
    applied.refresh_from_db()
    active.refresh_from_db()
    assert (applied.status, active.status) == ("submitted", "active")
    assert SellerEvent.objects.filter(seller=active).count() == 0


def test_only_operator_staff_moderate(db):
    seller = submitted_seller()
    owner = seller.memberships.get().user

    with pytest.raises(PermissionDenied):
        approve_seller(seller=seller, actor=owner)

    seller.refresh_from_db()
    assert seller.status == "submitted"


def test_approve_is_for_applications_and_reinstate_for_suspended_sellers(db):
    operator = make_operator()
    draft = _seller_in(S.DRAFT)
    suspended = _seller_in(S.SUSPENDED)
    active = make_seller()

    with pytest.raises(InvalidTransition):
        approve_seller(seller=draft, actor=operator)
    with pytest.raises(InvalidTransition):
        approve_seller(seller=suspended, actor=operator)
    with pytest.raises(InvalidTransition):
        reinstate_seller(seller=active, actor=operator)

    assert SellerEvent.objects.count() == 0


def test_bulk_approve_moves_every_selected_application(db):
    operator = make_operator()
    first, second = submitted_seller(), submitted_seller()
    start_review(seller=second, actor=operator)

    bulk_moderate(sellers=[first, second], actor=operator, action="approve")

    assert list(Seller.objects.order_by("id").values_list("status", flat=True)) == [
        "active",
        "active",
    ]


def test_bulk_action_is_all_or_nothing(db):
    operator = make_operator()
    waiting = submitted_seller()
    already = make_seller()

    with pytest.raises(InvalidTransition):
        bulk_moderate(sellers=[waiting, already], actor=operator, action="approve")

    assert dict(Seller.objects.values_list("id", "status")) == {
        waiting.id: "submitted",
        already.id: "active",
    }
    assert SellerEvent.objects.filter(seller=waiting).count() == 2  # draft, submitted


def test_bulk_review_takes_applications_into_review(db):
    operator = make_operator()
    first, second = submitted_seller(), submitted_seller()

    bulk_moderate(sellers=[first, second], actor=operator, action="review")

    assert set(Seller.objects.values_list("status", flat=True)) == {"under_review"}
