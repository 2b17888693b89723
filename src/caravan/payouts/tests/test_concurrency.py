"""Payout runs and the back office racing each other on the real PostgreSQL server.

Each worker is a thread with its own connection, released together by a barrier.
(The flush after these tests empties the default commission rule row; commissions then
fall back to settings.COMMISSION_DEFAULT, so later tests still place orders.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connections

from caravan.kernel.money import Money
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import party_for_seller
from caravan.payouts.models import Payout, PayoutBatch
from caravan.payouts.services import fail_payout, run_payouts, settle_payout

from .factories import credit_payable, rub_seller

JOIN_TIMEOUT_SECONDS = 60

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def race(workers: list[Callable[[], str]]) -> list[str]:
    barrier = threading.Barrier(len(workers))
    outcomes: list[str] = [""] * len(workers)

    def run(index: int, work: Callable[[], str]) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT_SECONDS)
            outcomes[index] = work()
        except Exception as error:  # recorded and asserted on
            outcomes[index] = f"{type(error).__name__}: {getattr(error, 'code', '')}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
    return outcomes


def test_four_simultaneous_runs_pay_a_balance_once():
    seller = rub_seller()
    credit_payable(seller=seller, amount=Money("5000.00", "RUB"))

    def one_run() -> str:
        result = run_payouts()
        return f"paid {len(result.payouts)}, skipped {[s.code for s in result.skipped]}"

    outcomes = race([one_run] * 4)

    assert sorted(outcomes)[-1] == "paid 1, skipped []"
    assert all(
        outcome in {"paid 0, skipped []", "paid 0, skipped ['insufficient_payable']"}
        for outcome in sorted(outcomes)[:-1]
    ), outcomes
    assert Payout.objects.count() == 1
    assert PayoutBatch.objects.count() == 1
    party = party_for_seller(seller.id)
    assert get_balance(purpose="seller_payable", party=party, currency="RUB") == Money("0", "RUB")
    assert get_balance(purpose="payouts_in_transit", party=party, currency="RUB") == Money(
        "5000.00", "RUB"
    )


def test_a_settle_and_a_fail_at_once_leave_one_outcome():
    seller = rub_seller()
    credit_payable(seller=seller, amount=Money("5000.00", "RUB"))
    run_payouts()
    payout = Payout.objects.get()

    def settle() -> str:
        return settle_payout(payout_public_id=payout.public_id, actor=None).status

    def fail() -> str:
        return fail_payout(payout_public_id=payout.public_id, reason="closed", actor=None).status

    outcomes = race([settle, fail])

    payout.refresh_from_db()
    assert sorted(outcomes) in (
        ["InvalidTransition: invalid_transition", "settled"],
        ["InvalidTransition: invalid_transition", "failed"],
    )
    party = party_for_seller(seller.id)
    in_transit = get_balance(purpose="payouts_in_transit", party=party, currency="RUB")
    payable = get_balance(purpose="seller_payable", party=party, currency="RUB")
    assert in_transit == Money("0", "RUB")
    assert payable == (Money("5000.00", "RUB") if payout.status == "failed" else Money("0", "RUB"))
