"""Cancellations and operator refunds of paid parcels: who may, what is refused (and then
nothing changes), and every figure of the split into the seller's currency, before and after
release, down to the last cent that empties a parcel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from tests.factories import (
    add_member,
    make_seller,
    make_user,
    move_clock,
    pay_market_order,
    place_market_order,
)

from caravan.finance.services import (
    cancel_by_buyer,
    cancel_by_seller,
    refund_by_operator,
    release_escrow,
)
from caravan.kernel.errors import InvalidTransition, NotFound, ValidationFailed
from caravan.kernel.money import Money
from caravan.ledger.flows import post_payout
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance, seller_balances
from caravan.ledger.services import PLATFORM, party_for_seller
from caravan.ledger.verify import verify_ledger
from caravan.offers.models import Offer
from caravan.orders.models import Order, OrderEvent, SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payments.models import Payment, Refund, SandboxRefund

pytestmark = pytest.mark.django_db

# The CNY parcel of 3 units: 3 x 150 + 25 = 475 CNY, charged 3 x 1903.13 + 317.19 =
# 6026.58 RUB; worth 5937.50 RUB at mid, so 89.08 RUB of FX margin; commission 5 % of 450.
CN_BUYER_TOTAL = Money("6026.58", "RUB")
CN_MARGIN = Money("89.08", "RUB")
UNIT = Money("1903.13", "RUB")


@pytest.fixture
def paid(market, django_capture_on_commit_callbacks):
    """The buyer paid 2 RUB units (5300 RUB) and 3 CNY units (6026.58 RUB): 11326.58 RUB."""
    with django_capture_on_commit_callbacks(execute=True):
        order = pay_market_order(market, quantity_ru=2, quantity_cn=3)
    ru = order.seller_orders.get(seller=market.seller_ru)
    cn = order.seller_orders.get(seller=market.seller_cn)
    return order, ru, cn


@pytest.fixture
def operator(db):
    user = make_user(email="operator@example.com", full_name="Olga Operator")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def payment_of(order):
    return Payment.objects.get(order=order, settles_order=True)


def escrow(seller_order):
    return get_balance(
        purpose="escrow",
        party=party_for_seller(seller_order.seller_id),
        currency=seller_order.currency,
        reference=f"seller_order:{seller_order.id}",
    )


def platform(purpose, currency):
    return get_balance(purpose=purpose, party=PLATFORM, currency=currency)


def snapshot(order):
    """Everything a refused cancellation or refund must leave as it was."""
    return (
        Order.objects.get(id=order.id).status,
        list(order.seller_orders.order_by("id").values_list("status", "cancel_reason")),
        list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)),
        Refund.objects.count(),
        list(Payment.objects.filter(order=order).values_list("status", "refunded_amount")),
        JournalEntry.objects.count(),
        OrderEvent.objects.filter(order=order).count(),
        SandboxRefund.objects.count(),
    )


def ship(seller_order, *, tracking="RA123456789RU"):
    owner = add_member(seller=seller_order.seller, role="owner")
    return ship_seller_order(
        seller=seller_order.seller,
        seller_order_public_id=seller_order.public_id,
        carrier="Russian Post",
        tracking_number=tracking,
        actor=owner,
    )


def test_the_figures_of_the_paid_parcels(paid):
    order, ru, cn = paid

    assert payment_of(order).money == Money("11326.58", "RUB")
    assert (cn.total, cn.buyer_total, cn.fx_margin, cn.commission) == (
        Money("475", "CNY"),
        CN_BUYER_TOTAL,
        CN_MARGIN,
        Money("22.50", "CNY"),
    )
    assert (ru.total, ru.buyer_total, ru.fx_margin) == (
        Money("5300", "RUB"),
        Money("5300", "RUB"),
        Money("0", "RUB"),
    )
    assert escrow(cn) == Money("475", "CNY")


# --- cancellation by the seller ---


def test_the_seller_cancels_a_paid_parcel_with_a_reason(
    market, paid, django_capture_on_commit_callbacks
):
    order, _ru, cn = paid
    staff = add_member(seller=market.seller_cn, role="owner")

    with django_capture_on_commit_callbacks(execute=True):
        refund = cancel_by_seller(
            seller=market.seller_cn,
            seller_order_public_id=cn.public_id,
            reason="  Out of stock at the warehouse ",
            actor=staff,
        )

    cn.refresh_from_db()
    refund.refresh_from_db()
    assert (cn.status, cn.cancel_reason) == ("cancelled", "Out of stock at the warehouse")
    assert (refund.kind, refund.status, refund.money, refund.seller_money) == (
        Refund.Kind.SELLER_CANCELLED,
        Refund.Status.SUCCEEDED,
        CN_BUYER_TOTAL,
        Money("475", "CNY"),
    )
    assert refund.fx_margin_amount == CN_MARGIN.amount
    assert (refund.requested_by, refund.reason) == (staff, "Out of stock at the warehouse")
    assert Offer.objects.get(id=market.offer_cn.id).stock_quantity == 8
    assert Order.objects.get(id=order.id).status == Order.Status.PAID  # the RUB parcel ships
    payment = payment_of(order)
    assert (payment.status, payment.refunded) == ("partially_refunded", CN_BUYER_TOTAL)
    assert escrow(cn) == Money("0", "CNY")
    assert platform("fx_margin_revenue", "RUB") == Money("0", "RUB")
    assert platform("provider_clearing", "RUB") == Money("5300", "RUB")
    assert platform("refunds_payable", "RUB") == Money("0", "RUB")
    assert SandboxRefund.objects.get().amount == CN_BUYER_TOTAL.amount
    assert verify_ledger().ok


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_seller_cancellation_without_a_reason_is_refused_and_changes_nothing(
    market, paid, reason
):
    order, _ru, cn = paid
    staff = add_member(seller=market.seller_cn, role="owner")
    before = snapshot(order)

    with pytest.raises(ValidationFailed) as caught:
        cancel_by_seller(
            seller=market.seller_cn, seller_order_public_id=cn.public_id, reason=reason, actor=staff
        )

    assert caught.value.code == "reason_required"
    assert snapshot(order) == before


def test_a_seller_cannot_cancel_another_seller_s_parcel(market, paid):
    order, _ru, cn = paid
    before = snapshot(order)

    with pytest.raises(NotFound):
        cancel_by_seller(
            seller=market.seller_ru,
            seller_order_public_id=cn.public_id,
            reason="not mine",
            actor=add_member(seller=market.seller_ru, role="owner"),
        )
    with pytest.raises(NotFound):
        cancel_by_seller(
            seller=make_seller(),
            seller_order_public_id=cn.public_id,
            reason="not mine either",
            actor=make_user(),
        )

    assert snapshot(order) == before


def test_a_buyer_cannot_cancel_another_buyer_s_parcel(paid):
    order, _ru, cn = paid
    before = snapshot(order)

    with pytest.raises(NotFound):
        cancel_by_buyer(buyer=make_user(), seller_order_public_id=cn.public_id)

    assert snapshot(order) == before


def test_a_shipped_parcel_cannot_be_cancelled_by_either_side(market, paid):
    order, _ru, cn = paid
    ship(cn)
    before = snapshot(order)

    with pytest.raises(InvalidTransition) as by_seller:
        cancel_by_seller(
            seller=market.seller_cn,
            seller_order_public_id=cn.public_id,
            reason="changed my mind",
            actor=add_member(seller=market.seller_cn, role="manager"),
        )
    with pytest.raises(InvalidTransition) as by_buyer:
        cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id)

    assert by_seller.value.code == by_buyer.value.code == "not_cancellable"
    assert snapshot(order) == before


def test_a_cancelled_parcel_cannot_be_cancelled_again(market, paid):
    order, _ru, cn = paid
    cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id)
    before = snapshot(order)

    with pytest.raises(InvalidTransition) as caught:
        cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id)

    assert caught.value.code == "not_cancellable"
    assert snapshot(order) == before


def test_an_unpaid_parcel_is_not_cancelled_here(market):
    order = place_market_order(market)
    cn = order.seller_orders.get(seller=market.seller_cn)
    before = snapshot(order)

    with pytest.raises(InvalidTransition) as caught:
        cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id)

    assert caught.value.code == "not_cancellable"
    assert snapshot(order) == before


def test_cancelling_every_parcel_cancels_the_order_and_refunds_the_whole_payment(
    market, paid, django_capture_on_commit_callbacks
):
    order, ru, cn = paid

    with django_capture_on_commit_callbacks(execute=True):
        cancel_by_buyer(buyer=market.buyer, seller_order_public_id=ru.public_id)
        cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id, reason="late")

    assert Order.objects.get(id=order.id).status == Order.Status.CANCELLED
    payment = payment_of(order)
    assert (payment.status, payment.refunded) == ("refunded", Money("11326.58", "RUB"))
    assert list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)) == [5, 8]
    assert list(Refund.objects.order_by("id").values_list("status", "kind", "reason")) == [
        ("succeeded", "buyer_cancelled", "Cancelled by the buyer"),
        ("succeeded", "buyer_cancelled", "late"),
    ]
    assert platform("provider_clearing", "RUB") == Money("0", "RUB")
    assert platform("fx_position", "RUB") == Money("0", "RUB")
    assert platform("fx_position", "CNY") == Money("0", "CNY")
    assert verify_ledger().ok


# --- operator refunds ---


def test_an_operator_refund_by_lines_refunds_the_buyer_unit_price_times_the_quantity(
    paid, operator, django_capture_on_commit_callbacks
):
    order, _ru, cn = paid
    (line,) = cn.lines.all()

    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="two arrived broken",
            actor=operator,
            lines=[(line.id, 2)],
        )

    refund.refresh_from_db()
    # 2 x 1903.13 RUB; the seller's side 475 x 3806.26 / 6026.58 = 300.00 CNY
    assert (refund.money, refund.seller_money, refund.fx_margin_amount) == (
        Money("3806.26", "RUB"),
        Money("300", "CNY"),
        Decimal("56.26"),
    )
    assert (refund.kind, refund.status, refund.lines, refund.after_release) == (
        "operator",
        "succeeded",
        [[line.id, 2]],
        False,
    )
    assert escrow(cn) == Money("175", "CNY")
    assert platform("fx_margin_revenue", "RUB") == Money("32.82", "RUB")  # 89.08 - 56.26
    assert payment_of(order).refunded == Money("3806.26", "RUB")
    # the parcel itself goes on: a refund is not a cancellation
    assert SellerOrder.objects.get(id=cn.id).status == "awaiting_shipment"
    assert verify_ledger().ok


@pytest.mark.parametrize(
    ("amount", "lines", "code"),
    [
        (None, [], "refund_amount_invalid"),
        (Decimal("10"), "one", "refund_amount_invalid"),
        (Decimal("0"), [], "refund_amount_invalid"),
        (Decimal("-5"), [], "refund_amount_invalid"),
        (Decimal("0.001"), [], "refund_amount_invalid"),
        (Decimal("6026.59"), [], "refund_exceeds_payment"),
        (None, "four", "refund_line_invalid"),
        (None, "zero", "refund_line_invalid"),
        (None, "foreign", "refund_line_invalid"),
    ],
)
def test_a_bad_operator_refund_is_refused_and_changes_nothing(paid, operator, amount, lines, code):
    order, ru, cn = paid
    (line,) = cn.lines.all()
    (other_line,) = ru.lines.all()
    chosen = (
        {
            "one": [(line.id, 1)],
            "four": [(line.id, 4)],
            "zero": [(line.id, 0)],
            "foreign": [(other_line.id, 1)],
        }.get(lines, [])
        if isinstance(lines, str)
        else lines
    )
    before = snapshot(order)

    with pytest.raises(ValidationFailed) as caught:
        refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="check",
            actor=operator,
            amount=amount,
            lines=chosen,
        )

    assert caught.value.code == code
    assert snapshot(order) == before


def test_an_operator_refund_needs_a_reason_and_a_known_parcel(paid, operator):
    order, _ru, cn = paid
    before = snapshot(order)

    with pytest.raises(ValidationFailed) as no_reason:
        refund_by_operator(
            seller_order_public_id=cn.public_id, reason=" ", actor=operator, amount=Decimal("1")
        )
    with pytest.raises(NotFound):
        refund_by_operator(
            seller_order_public_id="nosuchorder", reason="x", actor=operator, amount=Decimal("1")
        )

    assert no_reason.value.code == "reason_required"
    assert snapshot(order) == before


def test_partial_refunds_add_up_to_the_parcel_on_every_side(
    paid, operator, django_capture_on_commit_callbacks
):
    order, _ru, cn = paid
    (line,) = cn.lines.all()

    with django_capture_on_commit_callbacks(execute=True):
        first = refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="one unit",
            actor=operator,
            lines=[(line.id, 1)],
        )
        second = refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="an odd amount",
            actor=operator,
            amount=Decimal("1000.01"),
        )
        last = refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="the rest",
            actor=operator,
            amount=Decimal("3123.44"),  # 6026.58 - 1903.13 - 1000.01
        )

    rows = [(r.amount, r.seller_amount, r.fx_margin_amount) for r in (first, second, last)]
    assert rows == [
        # 475 x 1903.13 / 6026.58 = 150.00; 89.08 x 1903.13 / 6026.58 = 28.13
        (Decimal("1903.13"), Decimal("150.00"), Decimal("28.13")),
        # 475 x 1000.01 / 6026.58 = 78.82; 89.08 x 1000.01 / 6026.58 = 14.78
        (Decimal("1000.01"), Decimal("78.82"), Decimal("14.78")),
        # the last takes exactly what is left: 475 - 228.82, 89.08 - 42.91
        (Decimal("3123.44"), Decimal("246.18"), Decimal("46.17")),
    ]
    assert sum(row[0] for row in rows) == CN_BUYER_TOTAL.amount
    assert sum(row[1] for row in rows) == Decimal("475")
    assert sum(row[2] for row in rows) == CN_MARGIN.amount
    assert escrow(cn) == Money("0", "CNY")
    assert platform("fx_margin_revenue", "RUB") == Money("0", "RUB")
    assert platform("fx_position", "CNY") == Money("0", "CNY")
    assert payment_of(order).refunded == CN_BUYER_TOTAL
    assert payment_of(order).status == "partially_refunded"  # the RUB parcel is still paid
    assert list(Refund.objects.values_list("status", flat=True)) == ["succeeded"] * 3
    with pytest.raises(ValidationFailed) as caught:
        refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="one more cent",
            actor=operator,
            amount=Decimal("0.01"),
        )
    assert caught.value.code == "refund_exceeds_payment"
    assert verify_ledger().ok


def deliver_and_release(market, seller_order, monkeypatch):
    ship(seller_order)
    confirm_delivery(buyer=market.buyer, seller_order_public_id=seller_order.public_id)
    move_clock(monkeypatch, by=timedelta(days=16))
    return release_escrow()


def test_refunds_before_and_after_release_leave_nothing_on_any_side(
    market, paid, operator, monkeypatch, django_capture_on_commit_callbacks
):
    order, _ru, cn = paid
    (line,) = cn.lines.all()

    # one unit before release: 150 CNY out of escrow
    with django_capture_on_commit_callbacks(execute=True):
        before = refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="one unit",
            actor=operator,
            lines=[(line.id, 1)],
        )
    # release of the 325 CNY left, less 22.50 x 325 / 475 = 15.39 of commission
    assert deliver_and_release(market, cn, monkeypatch).released == 1
    (balance,) = seller_balances(seller_id=cn.seller_id)
    assert balance.available == Money("309.61", "CNY")
    assert platform("commission_revenue", "CNY") == Money("15.39", "CNY")

    # one unit after release: the seller gives back 150 less 22.50 x 150 / 475 = 7.11
    with django_capture_on_commit_callbacks(execute=True):
        after = refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="second unit",
            actor=operator,
            lines=[(line.id, 1)],
        )
        # and the rest: exactly what is left of the money, the margin and the commission
        last = refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="the rest",
            actor=operator,
            amount=Decimal("2220.32"),
        )

    assert [
        (r.after_release, r.seller_amount, r.fx_margin_amount, r.commission_returned_amount)
        for r in (before, after, last)
    ] == [
        (False, Decimal("150.00"), Decimal("28.13"), Decimal("0.00")),
        (True, Decimal("150.00"), Decimal("28.13"), Decimal("7.11")),
        (True, Decimal("175.00"), Decimal("32.82"), Decimal("8.28")),
    ]
    (balance,) = seller_balances(seller_id=cn.seller_id)
    assert (balance.available, balance.in_escrow) == (Money("0", "CNY"), Money("0", "CNY"))
    assert platform("commission_revenue", "CNY") == Money("0", "CNY")
    assert platform("fx_margin_revenue", "RUB") == Money("0", "RUB")
    assert platform("refunds_payable", "RUB") == Money("0", "RUB")
    assert get_balance(
        purpose="seller_receivable", party=party_for_seller(cn.seller_id), currency="CNY"
    ) == Money("0", "CNY")
    assert payment_of(order).refunded == CN_BUYER_TOTAL
    assert verify_ledger().ok


def test_units_refunded_once_cannot_be_refunded_again_by_lines(
    paid, operator, django_capture_on_commit_callbacks
):
    # given 2 of the 3 CNY units were refunded
    order, _ru, cn = paid
    (line,) = cn.lines.all()
    with django_capture_on_commit_callbacks(execute=True):
        refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="two broken",
            actor=operator,
            lines=[(line.id, 2)],
        )
    before = snapshot(order)

    # when the operator asks for two more, or the last one twice in one request
    for lines in ([(line.id, 2)], [(line.id, 1), (line.id, 1)]):
        with pytest.raises(ValidationFailed) as caught:
            refund_by_operator(
                seller_order_public_id=cn.public_id,
                reason="again",
                actor=operator,
                lines=lines,
            )
        assert caught.value.code == "refund_line_invalid"

    # then nothing changed, and the last unit can still be refunded
    assert snapshot(order) == before
    last = refund_by_operator(
        seller_order_public_id=cn.public_id, reason="third", actor=operator, lines=[(line.id, 1)]
    )
    assert last.money == UNIT


def test_a_refund_after_the_seller_was_paid_out_becomes_a_receivable(
    market, paid, operator, monkeypatch, django_capture_on_commit_callbacks
):
    # given the CNY parcel was released (452.50 CNY payable) and the payable drained
    _order, _ru, cn = paid
    deliver_and_release(market, cn, monkeypatch)
    post_payout(
        key="payout:test", memo="paid out", seller_id=cn.seller_id, amount=Money("452.50", "CNY")
    )

    # when the whole parcel is refunded
    with django_capture_on_commit_callbacks(execute=True):
        refund = refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="never arrived after all",
            actor=operator,
            amount=CN_BUYER_TOTAL.amount,
        )

    # then the seller owes 475 less the whole commission of 22.50
    assert (refund.seller_amount, refund.commission_returned_amount) == (
        Decimal("475.00"),
        Decimal("22.50"),
    )
    assert get_balance(
        purpose="seller_receivable", party=party_for_seller(cn.seller_id), currency="CNY"
    ) == Money("452.50", "CNY")
    assert verify_ledger().ok


def test_an_unpaid_parcel_cannot_be_refunded(market, operator):
    order = place_market_order(market)
    cn = order.seller_orders.get(seller=market.seller_cn)
    before = snapshot(order)

    with pytest.raises(ValidationFailed) as caught:
        refund_by_operator(
            seller_order_public_id=cn.public_id,
            reason="goodwill",
            actor=operator,
            amount=Decimal("100"),
        )

    assert caught.value.code == "order_not_paid"
    assert snapshot(order) == before
