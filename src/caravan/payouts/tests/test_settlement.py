from datetime import UTC, datetime

import pytest

from caravan.kernel.errors import InvalidTransition, NotFound, ValidationFailed
from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import PLATFORM, party_for_seller
from caravan.payouts.models import Payout, PayoutEvent
from caravan.payouts.services import fail_payout, run_payouts, settle_payout

from .factories import credit_payable, make_user, rub_seller

AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def balance(seller, purpose):
    return get_balance(purpose=purpose, party=party_for_seller(seller.id), currency="RUB")


def paid_out(amount="1500.00"):
    seller = rub_seller()
    credit_payable(seller=seller, amount=Money(amount, "RUB"))
    run_payouts(at=AT)
    return seller, Payout.objects.get(seller=seller)


def events(payout):
    return list(payout.events.values_list("from_status", "to_status", "actor_id", "note"))


def test_settling_moves_the_money_out_to_the_bank(db):
    seller, payout = paid_out()
    operator = make_user()

    settled = settle_payout(payout_public_id=payout.public_id, actor=operator)

    payout.refresh_from_db()
    assert settled.status == payout.status == Payout.Status.SETTLED
    assert payout.settled_at is not None
    assert balance(seller, "payouts_in_transit") == Money("0", "RUB")
    assert balance(seller, "seller_payable") == Money("0", "RUB")
    assert get_balance(purpose="payout_bank", party=PLATFORM, currency="RUB") == Money(
        "-1500.00", "RUB"
    )
    assert JournalEntry.objects.get(key=f"payout_settled:{payout.public_id}").kind == (
        "payout_settled"
    )
    assert events(payout) == [
        ("", "in_transit", None, ""),
        ("in_transit", "settled", operator.id, ""),
    ]


def test_settling_twice_changes_nothing(db):
    seller, payout = paid_out()
    settle_payout(payout_public_id=payout.public_id, actor=None)

    settle_payout(payout_public_id=payout.public_id, actor=None)

    assert JournalEntry.objects.filter(kind="payout_settled").count() == 1
    assert PayoutEvent.objects.filter(payout=payout).count() == 2
    assert balance(seller, "payouts_in_transit") == Money("0", "RUB")


def test_a_failed_payout_returns_to_the_payable_and_is_paid_again_next_run(db):
    seller, payout = paid_out()

    fail_payout(payout_public_id=payout.public_id, reason="  Account\nclosed ", actor=None)

    payout.refresh_from_db()
    assert (payout.status, payout.failure_reason) == (Payout.Status.FAILED, "Account closed")
    assert payout.failed_at is not None
    assert balance(seller, "seller_payable") == Money("1500.00", "RUB")
    assert balance(seller, "payouts_in_transit") == Money("0", "RUB")
    assert JournalEntry.objects.get(key=f"payout_failed:{payout.public_id}").kind == (
        "payout_failed"
    )
    assert events(payout)[-1] == ("in_transit", "failed", None, "Account closed")

    again = run_payouts(at=AT)

    assert [item.money for item in again.payouts] == [Money("1500.00", "RUB")]
    assert balance(seller, "payouts_in_transit") == Money("1500.00", "RUB")


def test_failing_twice_changes_nothing(db):
    seller, payout = paid_out()
    fail_payout(payout_public_id=payout.public_id, reason="closed", actor=None)

    fail_payout(payout_public_id=payout.public_id, reason="closed again", actor=None)

    payout.refresh_from_db()
    assert payout.failure_reason == "closed"
    assert JournalEntry.objects.filter(kind="payout_failed").count() == 1
    assert balance(seller, "seller_payable") == Money("1500.00", "RUB")


def test_a_settled_payout_cannot_fail(db):
    seller, payout = paid_out()
    settle_payout(payout_public_id=payout.public_id, actor=None)

    with pytest.raises(InvalidTransition):
        fail_payout(payout_public_id=payout.public_id, reason="late return", actor=None)

    payout.refresh_from_db()
    assert (payout.status, payout.failure_reason) == (Payout.Status.SETTLED, "")
    assert JournalEntry.objects.filter(kind="payout_failed").count() == 0
    assert balance(seller, "seller_payable") == Money("0", "RUB")


def test_a_failed_payout_cannot_be_settled(db):
    _seller, payout = paid_out()
    fail_payout(payout_public_id=payout.public_id, reason="closed", actor=None)

    with pytest.raises(InvalidTransition):
        settle_payout(payout_public_id=payout.public_id, actor=None)

    payout.refresh_from_db()
    assert payout.status == Payout.Status.FAILED
    assert JournalEntry.objects.filter(kind="payout_settled").count() == 0


def test_failing_needs_a_reason(db):
    seller, payout = paid_out()

    with pytest.raises(ValidationFailed) as caught:
        fail_payout(payout_public_id=payout.public_id, reason="   ", actor=None)

    assert caught.value.code == "reason_required"
    payout.refresh_from_db()
    assert payout.status == Payout.Status.IN_TRANSIT
    assert balance(seller, "payouts_in_transit") == Money("1500.00", "RUB")


def test_an_unknown_payout_is_not_found(db):
    with pytest.raises(NotFound):
        settle_payout(payout_public_id="nope", actor=None)
