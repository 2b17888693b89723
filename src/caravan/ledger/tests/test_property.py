"""Random sequences of flows keep every ledger invariant (a small property test; the big
state machine over orders and payments lives with the finance tests)."""

import contextlib
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caravan.kernel.money import Money
from caravan.ledger import flows
from caravan.ledger.selectors import get_balance, list_statement, seller_balances
from caravan.ledger.services import PLATFORM, LedgerError, party_for_seller
from caravan.ledger.verify import verify_ledger

from .factories import ledger_state

pytestmark = pytest.mark.django_db

# seller order -> (seller, seller currency); the buyer always pays in roubles
SELLER_ORDERS = {1: (1, "CNY"), 2: (1, "CNY"), 3: (2, "RUB")}
MID, EFFECTIVE, COMMISSION = Decimal("12.5"), Decimal("12.6875"), Decimal("0.08")

steps = st.lists(
    st.tuples(
        st.sampled_from(
            # weighted towards the flows that make the later ones possible
            [
                *("capture", "capture", "release", "release", "refund", "clawback"),
                *("payout", "payout_all", "settle", "fail", "send"),
            ]
        ),
        st.sampled_from(sorted(SELLER_ORDERS)),
        st.integers(min_value=1, max_value=5000),
    ),
    min_size=2,
    max_size=16,
)


def buyer_side(seller_amount: Money) -> tuple[Money, Money]:
    """The buyer amount and FX margin for a seller amount, as checkout would freeze them."""
    if seller_amount.currency == "RUB":
        return seller_amount, Money(0, "RUB")
    buyer = Money(seller_amount.amount * EFFECTIVE, "RUB").rounded()
    return buyer, buyer - Money(seller_amount.amount * MID, "RUB").rounded()


def run(
    step: int, operation: str, seller_order_id: int, cents: int, payouts: list, paid: dict
) -> None:
    """One flow as its caller would post it. `payouts` are those in transit; `paid` is what
    each seller order may still refund (a refund of money never captured is the caller's
    bug, which the ledger cannot see)."""
    seller_id, currency = SELLER_ORDERS[seller_order_id]
    seller_paid, buyer_paid = paid.get(seller_order_id, (Decimal(0), Decimal(0)))
    amount = Money(Decimal(cents) / 100, currency)
    if operation in {"refund", "clawback"}:
        amount = Money(min(amount.amount, seller_paid), currency)
    buyer, margin = buyer_side(amount)
    if operation in {"refund", "clawback"} and (amount.is_zero or buyer.amount > buyer_paid):
        return
    commission = Money(amount.amount * COMMISSION, currency).rounded()
    key = f"{operation}:{step}"
    order = {"seller_order_id": seller_order_id, "seller_id": seller_id}
    if operation == "capture":
        share = flows.CaptureShare(
            buyer_amount=buyer, seller_amount=amount, fx_margin=margin, **order
        )
        flows.post_capture(key=key, memo="", shares=[share])
        paid[seller_order_id] = (seller_paid + amount.amount, buyer_paid + buyer.amount)
    elif operation == "refund":
        flows.post_refund_from_escrow(
            key=key, memo="", buyer_amount=buyer, seller_amount=amount, fx_margin=margin, **order
        )
        paid[seller_order_id] = (seller_paid - amount.amount, buyer_paid - buyer.amount)
    elif operation == "release":
        escrow = get_balance(
            purpose="escrow",
            party=party_for_seller(seller_id),
            currency=currency,
            reference=f"seller_order:{seller_order_id}",
        )
        if not escrow.is_zero:
            fee = Money(escrow.amount * COMMISSION, currency).rounded()
            flows.post_release(key=key, memo="", escrow=escrow, commission=fee, **order)
    elif operation == "clawback":
        flows.post_refund_from_payable(
            key=key,
            memo="",
            buyer_amount=buyer,
            seller_amount=amount,
            fx_margin=margin,
            commission_returned=commission,
            **order,
        )
        paid[seller_order_id] = (seller_paid - amount.amount, buyer_paid - buyer.amount)
    elif operation in {"payout", "payout_all"}:
        if operation == "payout_all":
            amount = get_balance(
                purpose="seller_payable", party=party_for_seller(seller_id), currency=currency
            )
            if amount.is_zero:
                return
        flows.post_payout(key=key, memo="", seller_id=seller_id, amount=amount)
        payouts.append((seller_id, amount))
    elif operation in {"settle", "fail"} and payouts:
        paid_to, paid = payouts.pop(0)
        post = flows.post_payout_settled if operation == "settle" else flows.post_payout_failed
        post(key=key, memo="", seller_id=paid_to, amount=paid)
    elif operation == "send":
        owed = get_balance(purpose="refunds_payable", party=PLATFORM, currency="RUB")
        if not owed.is_zero:
            flows.post_refund_sent(key=key, memo="", buyer_amount=owed)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_random_flows_keep_every_invariant(steps):
    refusals_that_changed_something = []
    with transaction.atomic():
        payouts: list = []
        paid: dict = {}
        # every seller order starts paid and one released, so every flow gets its turn
        prelude = [("capture", seller_order_id, 10000) for seller_order_id in SELLER_ORDERS]
        prelude.append(("release", 1, 0))
        for step, (operation, seller_order_id, cents) in enumerate(prelude + steps):
            before = ledger_state()
            try:
                run(step, operation, seller_order_id, cents, payouts, paid)
            except LedgerError as error:
                if ledger_state() != before:
                    refusals_that_changed_something.append((step, error.code))
            # Replaying any step posts nothing new (a refused one is refused again).
            after = ledger_state()
            with contextlib.suppress(LedgerError):
                run(step, operation, seller_order_id, cents, list(payouts), dict(paid))
            assert ledger_state() == after
        report = verify_ledger()
        statements = {
            seller_id: list_statement(party=party_for_seller(seller_id)) for seller_id in (1, 2)
        }
        balances = {seller_id: seller_balances(seller_id=seller_id) for seller_id in (1, 2)}
        transaction.set_rollback(True)

    assert report.violations == []
    assert refusals_that_changed_something == []
    for seller_id, rows in statements.items():
        # The statement's running balance ends at what the platform owes (or is owed by) them.
        for balance in balances[seller_id]:
            last = [row.balance for row in rows if row.balance.currency == balance.currency][-1]
            assert last == (
                balance.in_escrow + balance.available + balance.in_transit - balance.receivable
            )


def test_a_conflicting_replay_that_needs_a_new_account_leaves_nothing_behind():
    # given a payout in transit to each seller, in yuan and in roubles, and the yuan one
    # settled under a key (no rouble payout has settled yet)
    for step, (seller_order_id, cents) in enumerate([(1, 10000), (3, 10000)]):
        run(step, "capture", seller_order_id, cents, [], {})
    run(2, "release", 1, 0, [], {})
    run(3, "release", 3, 0, [], {})
    payouts: list = []
    run(4, "payout", 1, 1000, payouts, {})
    run(5, "payout", 3, 1000, payouts, {})
    run(6, "settle", 1, 0, payouts, {})
    before = ledger_state()

    # when the same key comes back with the rouble payout, whose settlement account does
    # not exist yet
    with pytest.raises(LedgerError) as error:
        run(6, "settle", 3, 0, list(payouts), {})

    # then it is refused and not even an empty account is left
    assert error.value.code == "key_conflict"
    assert ledger_state() == before
