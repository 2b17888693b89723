"""The money core under random sequences of events (issue "Proof", part 1).

A hypothesis state machine places and pays orders (one or two sellers, RUB and CNY, the
buyer paying in roubles or yuan), captures, repeats and reorders the provider's
notifications, captures a second time, cancels, ships, confirms, lets time pass (expiry,
automatic confirmation, escrow release), refunds in part or in full before and after
release, and runs, settles and fails payouts. After every step the ledger verifies, each
currency's trial balance balances, and the buyer's, the sellers' and the platform's balances
equal a small model the test keeps in Decimals from the figures frozen on the rows.

Each example runs in a savepoint of the test's transaction that its teardown rolls back, so
the 200 examples share one market and start from an empty ledger.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from caravan.cart.models import CartLine
from caravan.cart.services import add_to_cart, get_or_create_cart
from caravan.finance.reconciliation import reconcile
from caravan.finance.services import (
    cancel_by_buyer,
    cancel_by_seller,
    refund_by_operator,
    release_escrow,
)
from caravan.kernel.errors import DomainError
from caravan.ledger.selectors import (
    account_balances,
    get_balance,
    seller_balances,
    trial_balance,
)
from caravan.ledger.services import PLATFORM, party_for_seller, seller_order_reference
from caravan.ledger.verify import verify_ledger
from caravan.offers.models import Offer
from caravan.orders.models import Order, OrderLine, SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payments.models import (
    Payment,
    PaymentAnomaly,
    Refund,
    SandboxRefund,
    SandboxSession,
)
from caravan.payments.services import create_payment, expire_unpaid_orders, open_session
from caravan.payouts.models import Payout
from caravan.payouts.services import fail_payout, payout_minimum, run_payouts, settle_payout
from tests.factories import check_out_cart, default_rates

from .helpers import (
    ManualClock,
    ProofMarket,
    build_proof_market,
    capture_at_provider,
    decline_at_provider,
    half_up,
    notify,
    on_commit_executed,
)

pytestmark = pytest.mark.django_db

# Bounded by count (examples x steps), not by the clock: a wall-clock limit failed on a
# loaded machine while the run was correct (a shared two-core machine at load 17).
EXAMPLES = int(os.environ.get("MONEY_EXAMPLES", "200"))
PHASES = (
    tuple(Phase)
    if os.environ.get("MONEY_SHRINK", "1") == "1"
    else (Phase.explicit, Phase.reuse, Phase.generate)
)
STEPS = int(os.environ.get("MONEY_STEPS", "10"))

ZERO = Decimal("0.00")
# What the examples went through; MONEY_STATS=1 prints it (pytest -s).
SEEN: Counter[str] = Counter()


def note(what: str) -> None:
    SEEN[what] += 1


TAKEN = {"captured", "partially_refunded", "refunded"}
# A refund's part of what is left, in basis points: small ones (rounding), any, all of it.
SHARES = st.one_of(
    st.integers(min_value=1, max_value=100),
    st.integers(min_value=1, max_value=10_000),
    st.just(10_000),
)
BUCKETS = ("in_escrow", "available", "receivable", "in_transit", "paid_out")


def _error_code(call) -> str:  # type: ignore[no-untyped-def]
    """Run a service expected to refuse inside a savepoint; its error code ('' if none)."""
    try:
        with transaction.atomic():
            call()
    except DomainError as error:
        return error.code
    return ""


@dataclass
class SellerOrderModel:
    id: int
    public_id: str
    order_id: int
    seller_id: int
    offer_id: int
    quantity: int
    currency: str
    buyer_currency: str
    total: Decimal
    buyer_total: Decimal
    fx_margin: Decimal
    commission: Decimal
    created_at: datetime
    delivery_days_max: int
    status: str = "pending_payment"
    shipped_at: datetime | None = None
    protection_ends_at: datetime | None = None
    released: bool = False
    released_escrow: Decimal = ZERO
    commission_taken: Decimal = ZERO
    refunded_buyer: Decimal = ZERO
    refunded_seller: Decimal = ZERO
    refunded_margin: Decimal = ZERO
    returned_commission: Decimal = ZERO

    @property
    def left(self) -> Decimal:
        return self.buyer_total - self.refunded_buyer


@dataclass
class OrderModel:
    id: int
    buyer_currency: str
    total: Decimal
    deadline: datetime
    seller_orders: list[SellerOrderModel]
    status: str = "pending_payment"
    paid: bool = False


@dataclass
class PaymentModel:
    id: int
    order_id: int
    currency: str
    amount: Decimal
    status: str = "pending"
    settles: bool = False
    refunded: Decimal = ZERO


@dataclass
class PayoutModel:
    public_id: str
    seller_id: int
    currency: str
    amount: Decimal
    status: str = "in_transit"


@dataclass
class Books:
    """What every party should hold, per currency."""

    sellers: dict[tuple[int, str], dict[str, Decimal]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(BUCKETS, ZERO))
    )
    clearing: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    buyer_net: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    commission: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    fx_margin: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


class MoneyMachine(RuleBasedStateMachine):
    market: ProofMarket
    clock: ManualClock

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.clock.offset = timedelta(0)
        self.rates_at = timedelta(0)
        self.orders: dict[int, OrderModel] = {}
        self.payments: dict[int, PaymentModel] = {}
        self.payouts: dict[str, PayoutModel] = {}
        self.events: list[tuple[int, str, bool]] = []  # payment id, event id, approved
        self.books = Books()
        self.stock = {
            offer.id: offer.stock_quantity
            for offer in Offer.objects.filter(
                id__in=[self.market.offer_ru.id, self.market.offer_cn.id]
            )
        }

    def teardown(self) -> None:
        try:
            self._reconciles()
        finally:
            transaction.savepoint_rollback(self.savepoint)

    def _reconciles(self) -> None:
        """At the end, every day the sandbox saw reconciles with our rows."""
        days = {
            timezone.localtime(moment).date()
            for model in (SandboxSession, SandboxRefund)
            for moment in model.objects.values_list("created_at", flat=True)
        }
        for day in sorted(days):
            assert reconcile(provider="sandbox", day=day).mismatches == [], day

    # --- the model's moves -------------------------------------------------------------

    def _seller_orders(self) -> list[SellerOrderModel]:
        return [item for order in self.orders.values() for item in order.seller_orders]

    def _bucket(self, item: SellerOrderModel) -> dict[str, Decimal]:
        return self.books.sellers[(item.seller_id, item.currency)]

    def _settle_order_status(self, order: OrderModel) -> None:
        if order.status != "paid":
            return
        statuses = {item.status for item in order.seller_orders}
        if statuses <= {"delivered", "cancelled"}:
            order.status = "completed" if "delivered" in statuses else "cancelled"

    def _cancel_unpaid(self, order: OrderModel) -> None:
        order.status = "cancelled"
        for item in order.seller_orders:
            item.status = "cancelled"
            self.stock[item.offer_id] += item.quantity

    def _capture(self, payment: PaymentModel) -> None:
        order = self.orders[payment.order_id]
        self.books.clearing[payment.currency] += payment.amount
        self.books.buyer_net[payment.currency] += payment.amount
        note("capture: " + ("pays" if order.status == "pending_payment" else order.status))
        if order.status == "pending_payment":
            payment.status, payment.settles = "captured", True
            order.status, order.paid = "paid", True
            for item in order.seller_orders:
                item.status = "awaiting_shipment"
                self._bucket(item)["in_escrow"] += item.total
                self.books.fx_margin[item.buyer_currency] += item.fx_margin
            for other in self.payments.values():
                if other.order_id == order.id and other.status == "pending":
                    other.status = "voided"
            return
        # Paid, cancelled or expired already: refunded in full, and the sandbox pays it back.
        payment.status, payment.refunded = "refunded", payment.amount
        self.books.clearing[payment.currency] -= payment.amount
        self.books.buyer_net[payment.currency] -= payment.amount

    def _expected_split(self, item: SellerOrderModel, amount: Decimal) -> tuple[Decimal, ...]:
        """ADR 0006: the seller's and margin's shares in proportion, the last refund takes
        what is left; after release the commission returned in proportion to what the
        refunds after release took back, capped by what was taken."""
        last = amount == item.left
        left_seller = item.total - item.refunded_seller
        left_margin = item.fx_margin - item.refunded_margin
        if last:
            seller, margin = left_seller, left_margin
        else:
            seller = min(half_up(item.total * amount / item.buyer_total), left_seller)
            margin = min(half_up(item.fx_margin * amount / item.buyer_total), left_margin)
        commission = ZERO
        if item.released:
            left_commission = item.commission_taken - item.returned_commission
            if last:
                commission = left_commission
            else:
                # rounded on the running total taken back after release
                before = item.total - item.released_escrow
                taken_back = item.refunded_seller - before + seller
                share = half_up(item.commission * taken_back / item.total)
                commission = max(min(share - item.returned_commission, left_commission), ZERO)
        return seller, margin, commission

    def _refund(self, item: SellerOrderModel, amount: Decimal, refund: Refund) -> None:
        seller, margin, commission = self._expected_split(item, amount)
        assert (refund.amount, refund.seller_amount, refund.fx_margin_amount) == (
            amount,
            seller,
            margin,
        )
        assert refund.commission_returned_amount == commission
        assert refund.after_release == item.released
        assert refund.status == Refund.Status.SUCCEEDED  # the sandbox paid it back at once
        bucket = self._bucket(item)
        note("refund: " + ("after release" if item.released else "before release"))
        if item.released and bucket["available"] < seller - commission:
            note("refund: clawback beyond the available balance (receivable)")
        if item.released:
            from_seller = seller - commission
            taken = min(bucket["available"], from_seller)
            bucket["available"] -= taken
            bucket["receivable"] += from_seller - taken
            self.books.commission[item.currency] -= commission
        else:
            bucket["in_escrow"] -= seller
        self.books.fx_margin[item.buyer_currency] -= margin
        self.books.clearing[item.buyer_currency] -= amount
        self.books.buyer_net[item.buyer_currency] -= amount
        item.refunded_buyer += amount
        item.refunded_seller += seller
        item.refunded_margin += margin
        item.returned_commission += commission
        settling = next(
            payment
            for payment in self.payments.values()
            if payment.order_id == item.order_id and payment.settles
        )
        settling.refunded += amount
        settling.status = (
            "refunded" if settling.refunded == settling.amount else "partially_refunded"
        )

    def _settle_receivable(self, bucket: dict[str, Decimal]) -> None:
        """Money credited to a seller (a release, a returned payout) first settles what they
        owe from an earlier clawback."""
        settled = min(bucket["available"], bucket["receivable"])
        bucket["available"] -= settled
        bucket["receivable"] -= settled

    def _release(self, item: SellerOrderModel) -> None:
        bucket = self._bucket(item)
        escrow = item.total - item.refunded_seller
        if escrow > 0:
            commission = (
                item.commission
                if escrow == item.total
                else half_up(item.commission * escrow / item.total)
            )
            bucket["in_escrow"] -= escrow
            bucket["available"] += escrow - commission
            note("release" + (": settles a receivable" if bucket["receivable"] else ""))
            self._settle_receivable(bucket)
            self.books.commission[item.currency] += commission
            item.released_escrow, item.commission_taken = escrow, commission
        item.released = True

    # --- rules: orders and payments ----------------------------------------------------

    @initialize(
        sellers=st.sampled_from(["ru", "cn", "both"]),
        quantity_ru=st.integers(min_value=1, max_value=3),
        quantity_cn=st.integers(min_value=1, max_value=3),
        currency=st.sampled_from(["RUB", "CNY"]),
        stage=st.sampled_from(["pending", "paid", "shipped", "delivered", "released"]),
    )
    def first_order(
        self, sellers: str, quantity_ru: int, quantity_cn: int, currency: str, stage: str
    ) -> None:
        """Every example starts from an order, most often paid and on its way, so that the
        ten steps reach release, clawbacks and payouts."""
        self.place_order(sellers, quantity_ru, quantity_cn, currency)
        if stage == "pending":
            return
        self.capture(pick=0, twice=False, then_failure=False)
        if stage in {"shipped", "delivered", "released"}:
            for _ in self._in_status("awaiting_shipment"):
                self.ship(pick=0, and_confirm=stage != "shipped")
        if stage == "released":
            self.time_passes(by=timedelta(days=16), and_pay_out=False)

    @rule(
        sellers=st.sampled_from(["ru", "cn", "both"]),
        quantity_ru=st.integers(min_value=1, max_value=3),
        quantity_cn=st.integers(min_value=1, max_value=3),
        currency=st.sampled_from(["RUB", "CNY"]),
    )
    def place_order(self, sellers: str, quantity_ru: int, quantity_cn: int, currency: str) -> None:
        market = self.market
        if self.rates_at != self.clock.offset:
            default_rates()  # the feed's daily import: a rate older than 72 h is refused
            self.rates_at = self.clock.offset
        cart = get_or_create_cart(token=None, user=market.buyer)
        # An order that expired gave its items back to the cart (cart.restore); each order
        # of this run is placed from what this rule picks, so the cart starts empty.
        CartLine.objects.filter(cart=cart).delete()
        wanted = []
        if sellers in {"ru", "both"}:
            wanted.append((market.offer_ru, quantity_ru))
        if sellers in {"cn", "both"}:
            wanted.append((market.offer_cn, quantity_cn))
        for offer, quantity in wanted:
            add_to_cart(cart=cart, offer_public_id=offer.public_id, quantity=quantity)
        # check_out calls the provider itself; what it queues after commit (product
        # summaries, search) moves no money and is left out to keep the run short.
        result = check_out_cart(
            user=market.buyer, address=market.address, cart=cart, currency=currency
        )
        assert result.provider_error == ""
        order, payment = result.order, result.payment
        rows = list(order.seller_orders.order_by("id"))
        lines = {
            line.seller_order_id: line
            for line in OrderLine.objects.filter(seller_order__order=order)
        }
        assert len(rows) == len(wanted)
        seller_orders = []
        for row in rows:
            line = lines[row.id]
            self.stock[line.offer_id] -= line.quantity
            assert row.buyer_currency == currency
            assert row.buyer_total_amount == row.buyer_subtotal_amount + row.buyer_delivery_amount
            seller_orders.append(
                SellerOrderModel(
                    id=row.id,
                    public_id=row.public_id,
                    order_id=order.id,
                    seller_id=row.seller_id,
                    offer_id=line.offer_id,
                    quantity=line.quantity,
                    currency=row.currency,
                    buyer_currency=row.buyer_currency,
                    total=row.total_amount,
                    buyer_total=row.buyer_total_amount,
                    fx_margin=row.fx_margin_amount,
                    commission=row.commission_amount,
                    created_at=row.created_at,
                    delivery_days_max=row.delivery_days_max,
                )
            )
        total = sum((item.buyer_total for item in seller_orders), ZERO)
        # What the buyer is charged is the sum of the parcels' figures, exactly.
        assert (order.total_amount, payment.amount, payment.currency) == (total, total, currency)
        assert payment.provider_reference
        self.orders[order.id] = OrderModel(
            id=order.id,
            buyer_currency=currency,
            total=total,
            deadline=order.payment_deadline,
            seller_orders=seller_orders,
        )
        self.payments[payment.id] = PaymentModel(
            id=payment.id, order_id=order.id, currency=currency, amount=total
        )

    def _not_captured(self) -> list[PaymentModel]:
        return [item for item in self.payments.values() if item.status not in TAKEN]

    @precondition(lambda self: self._not_captured())
    @rule(
        pick=st.integers(min_value=0, max_value=999),
        twice=st.booleans(),
        then_failure=st.booleans(),
    )
    def capture(self, pick: int, twice: bool, then_failure: bool) -> None:
        """The provider captures a payment: the first of a pending order pays it; any other
        (a second tab, after a decline, after expiry, after another paid) is refunded. The
        notification may come twice (one event id), and a failure may follow the success
        (recorded, changes nothing)."""
        candidates = self._not_captured()
        model = candidates[pick % len(candidates)]
        payment = Payment.objects.get(id=model.id)
        with on_commit_executed():
            event_id, applied = capture_at_provider(payment)
        assert applied
        self.events.append((model.id, event_id, True))
        self._capture(model)
        if twice:
            with on_commit_executed():
                _event, applied_again = notify(payment, approved=True, event_id=event_id)
            assert not applied_again
        if then_failure:
            with on_commit_executed():
                _event, applied = notify(payment, approved=False)
            assert applied

    def _pending(self) -> list[PaymentModel]:
        return [item for item in self.payments.values() if item.status == "pending"]

    @precondition(lambda self: self._pending())
    @rule(pick=st.integers(min_value=0, max_value=999))
    def decline(self, pick: int) -> None:
        candidates = self._pending()
        model = candidates[pick % len(candidates)]
        with on_commit_executed():
            event_id, applied = decline_at_provider(Payment.objects.get(id=model.id))
        assert applied
        self.events.append((model.id, event_id, False))
        # A decline ends the attempt only: the order stays payable, its stock reserved,
        # until it is paid again or its deadline passes.
        model.status = "failed"

    @precondition(lambda self: self.events)
    @rule(pick=st.integers(min_value=0, max_value=999))
    def repeat_notification(self, pick: int) -> None:
        payment_id, event_id, approved = self.events[pick % len(self.events)]
        with on_commit_executed():
            _event, applied = notify(
                Payment.objects.get(id=payment_id), approved=approved, event_id=event_id
            )
        assert not applied

    def _open_orders(self) -> list[OrderModel]:
        return [item for item in self.orders.values() if item.status in {"pending_payment", "paid"}]

    @precondition(lambda self: self._open_orders())
    @rule(pick=st.integers(min_value=0, max_value=999))
    def second_tab(self, pick: int) -> None:
        """Another payment session on the same order (a second tab, a retry after paying)."""
        candidates = self._open_orders()
        order = candidates[pick % len(candidates)]
        with transaction.atomic():
            payment = create_payment(order=Order.objects.get(id=order.id))
        with on_commit_executed():
            opened = open_session(payment=payment, return_url="/orders/")
        assert opened.payment.provider_reference
        self.payments[payment.id] = PaymentModel(
            id=payment.id, order_id=order.id, currency=order.buyer_currency, amount=order.total
        )

    # --- rules: parcels ----------------------------------------------------------------

    def _in_status(self, status: str) -> list[SellerOrderModel]:
        return [item for item in self._seller_orders() if item.status == status]

    @precondition(lambda self: self._in_status("awaiting_shipment"))
    @rule(pick=st.integers(min_value=0, max_value=999), by_buyer=st.booleans())
    def cancel(self, pick: int, by_buyer: bool) -> None:
        candidates = self._in_status("awaiting_shipment")
        item = candidates[pick % len(candidates)]
        market = self.market
        if by_buyer:

            def call() -> Refund | None:
                return cancel_by_buyer(buyer=market.buyer, seller_order_public_id=item.public_id)
        else:

            def call() -> Refund | None:
                seller = next(seller for seller in market.sellers if seller.id == item.seller_id)
                return cancel_by_seller(
                    seller=seller,
                    seller_order_public_id=item.public_id,
                    reason="out of stock",
                    actor=market.owner(item.seller_id),
                )

        with on_commit_executed():
            refund = call()
        item.status = "cancelled"
        self.stock[item.offer_id] += item.quantity
        if item.left == 0:
            # Refunded in full by the operator already: cancelled with nothing more to pay.
            note("cancel: refunded in full already, no refund")
            assert refund is None
        else:
            assert refund is not None
            refund.refresh_from_db()
            self._refund(item, item.left, refund)
        self._settle_order_status(self.orders[item.order_id])

    @precondition(lambda self: self._in_status("awaiting_shipment"))
    @rule(pick=st.integers(min_value=0, max_value=999), and_confirm=st.booleans())
    def ship(self, pick: int, and_confirm: bool) -> None:
        candidates = self._in_status("awaiting_shipment")
        item = candidates[pick % len(candidates)]
        seller = next(seller for seller in self.market.sellers if seller.id == item.seller_id)
        ship_seller_order(
            seller=seller,
            seller_order_public_id=item.public_id,
            carrier="Caravan Post",
            tracking_number=f"RA{item.id:09d}RU",
            actor=self.market.owner(item.seller_id),
        )
        item.status, item.shipped_at = "shipped", self.clock.now()
        if and_confirm:
            self._confirm(item)

    @precondition(lambda self: self._in_status("shipped"))
    @rule(pick=st.integers(min_value=0, max_value=999))
    def confirm(self, pick: int) -> None:
        candidates = self._in_status("shipped")
        item = candidates[pick % len(candidates)]
        self._confirm(item)

    def _confirm(self, item: SellerOrderModel) -> None:
        confirm_delivery(buyer=self.market.buyer, seller_order_public_id=item.public_id)
        item.status = "delivered"
        item.protection_ends_at = self.clock.now() + timedelta(days=settings.ESCROW_PROTECTION_DAYS)
        self._settle_order_status(self.orders[item.order_id])

    @rule(
        by=st.sampled_from(
            [timedelta(minutes=31), timedelta(days=9), timedelta(days=16), timedelta(days=16)]
        ),
        and_pay_out=st.booleans(),
    )
    def time_passes(self, by: timedelta, and_pay_out: bool) -> None:
        """Beat's hourly jobs after a while: unpaid orders expire, parcels nobody confirmed
        are confirmed, escrow whose protection window is over is released; then, maybe, the
        operator's payout run."""
        moment = self.clock.advance(by)
        with on_commit_executed():
            expired = expire_unpaid_orders()
            result = release_escrow()
        expected_expired = 0
        for order in self.orders.values():
            if order.status == "pending_payment" and order.deadline < moment:
                expected_expired += 1
                self._cancel_unpaid(order)
                for payment in self.payments.values():
                    if payment.order_id == order.id and payment.status == "pending":
                        payment.status = "expired"
        confirmed = 0
        grace = timedelta(days=settings.AUTO_CONFIRM_DAYS)
        for item in self._in_status("shipped"):
            # the promise runs from placement, or from shipping when that came later
            start = max(item.created_at, item.shipped_at or item.created_at)
            if start + timedelta(days=item.delivery_days_max) + grace <= moment:
                item.status = "delivered"
                item.protection_ends_at = moment + timedelta(days=settings.ESCROW_PROTECTION_DAYS)
                self._settle_order_status(self.orders[item.order_id])
                confirmed += 1
        released = 0
        for item in self._in_status("delivered"):
            if not item.released and item.protection_ends_at <= moment:
                self._release(item)
                released += 1
        assert (expired, result.confirmed, result.released) == (
            expected_expired,
            confirmed,
            released,
        )
        if and_pay_out and self._owed():
            self.payout_run()

    @precondition(lambda self: self._seller_orders())
    @rule(
        pick=st.integers(min_value=0, max_value=999),
        share=SHARES,
        over=st.integers(min_value=0, max_value=5).map(lambda roll: roll == 0),
    )
    def operator_refund(self, pick: int, share: int, over: bool) -> None:
        """A partial or full refund by the operator (any state: before or after release,
        of a cancelled parcel, of an unpaid order), or one a cent above what is left."""
        candidates = self._seller_orders()
        self._operator_refund(candidates[pick % len(candidates)], share, over)

    def _released_with_money_left(self) -> list[SellerOrderModel]:
        return [item for item in self._seller_orders() if item.released and item.left > 0]

    @precondition(lambda self: self._released_with_money_left())
    @rule(pick=st.integers(min_value=0, max_value=999), share=SHARES)
    def clawback(self, pick: int, share: int) -> None:
        """A refund after release, taken back from the seller."""
        candidates = self._released_with_money_left()
        self._operator_refund(candidates[pick % len(candidates)], share, over=False)

    def _operator_refund(self, item: SellerOrderModel, share: int, over: bool) -> None:
        amount = max(Decimal("0.01"), (item.left * share / 10_000).quantize(Decimal("0.01")))
        if over:
            amount = item.left + Decimal("0.01")

        def call() -> Refund:
            return refund_by_operator(
                seller_order_public_id=item.public_id,
                reason="arrived damaged",
                actor=self.market.operator,
                amount=amount,
            )

        if not self.orders[item.order_id].paid:
            note("refund: refused, order not paid")
            assert _error_code(call) == "order_not_paid"
            return
        if amount > item.left:
            note("refund: refused, above what is left")
            assert _error_code(call) == "refund_exceeds_payment"
            return
        with on_commit_executed():
            refund = call()
        refund.refresh_from_db()
        self._refund(item, amount, refund)

    # --- rules: payouts ----------------------------------------------------------------

    def _owed(self) -> bool:
        return any(bucket["available"] > 0 for bucket in self.books.sellers.values())

    @precondition(lambda self: self._owed())
    @rule()
    def payout_run(self) -> None:
        expected: dict[int, Decimal] = {}
        for (seller_id, currency), bucket in list(self.books.sellers.items()):
            minimum = payout_minimum(currency)
            available = bucket["available"]
            if available > 0 and (minimum is None or available >= minimum.amount):
                expected[seller_id] = available
        with on_commit_executed():
            result = run_payouts()
        assert {payout.seller_id: payout.amount for payout in result.payouts} == expected
        note(f"payout run: {len(result.payouts)} payout(s)")
        for payout in result.payouts:
            bucket = self.books.sellers[(payout.seller_id, payout.currency)]
            bucket["available"] -= payout.amount
            bucket["in_transit"] += payout.amount
            self.payouts[payout.public_id] = PayoutModel(
                public_id=payout.public_id,
                seller_id=payout.seller_id,
                currency=payout.currency,
                amount=payout.amount,
            )

    def _in_transit(self) -> list[PayoutModel]:
        return [item for item in self.payouts.values() if item.status == "in_transit"]

    @precondition(lambda self: self._in_transit())
    @rule(pick=st.integers(min_value=0, max_value=999), settled=st.booleans())
    def payout_answer(self, pick: int, settled: bool) -> None:
        """The bank pays the payout, or returns it (back to the seller's available)."""
        candidates = self._in_transit()
        payout = candidates[pick % len(candidates)]
        bucket = self.books.sellers[(payout.seller_id, payout.currency)]
        bucket["in_transit"] -= payout.amount
        if settled:
            settle_payout(payout_public_id=payout.public_id, actor=self.market.operator)
            payout.status = "settled"
            note("payout: settled")
            bucket["paid_out"] += payout.amount
        else:
            fail_payout(payout_public_id=payout.public_id, reason="account closed", actor=None)
            payout.status = "failed"
            note("payout: failed, back to available")
            bucket["available"] += payout.amount
            self._settle_receivable(bucket)

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def books_balance(self) -> None:
        """Every invariant of the issue, read in a few queries after every step."""
        report = verify_ledger()
        assert report.violations == []
        for totals in trial_balance():
            assert totals.debit == totals.credit, totals
        self._check_sellers()
        balances = account_balances()
        self._check_platform_and_buyer(balances)
        payments = self._check_payments()
        self._check_orders(balances)
        self._check_stock_and_payouts()
        assert len(payments) == len(self.payments)

    def _check_sellers(self) -> None:
        zero = dict.fromkeys(BUCKETS, ZERO)
        for seller in self.market.sellers:
            actual = {
                row.currency: {name: getattr(row, name).amount for name in BUCKETS}
                for row in seller_balances(seller_id=seller.id)
            }
            expected = {
                currency: dict(bucket)
                for (seller_id, currency), bucket in self.books.sellers.items()
                if seller_id == seller.id
            }
            assert {c: b for c, b in actual.items() if b != zero} == {
                c: b for c, b in expected.items() if b != zero
            }, seller

    def _check_platform_and_buyer(self, balances: dict[tuple[str, str, str, str], Decimal]) -> None:
        books = self.books

        def platform(purpose: str, currency: str) -> Decimal:
            # credit-normal accounts read positive, as get_balance shows them
            amount = balances.get((purpose, PLATFORM, "", currency), ZERO)
            return amount if purpose == "provider_clearing" else -amount

        captured = dict(
            Payment.objects.filter(status__in=TAKEN)
            .values("currency")
            .annotate(total=Sum("amount"))
            .values_list("currency", "total")
        )
        sent = dict(
            Refund.objects.filter(status=Refund.Status.SUCCEEDED)
            .values("currency")
            .annotate(total=Sum("amount"))
            .values_list("currency", "total")
        )
        charged = dict(
            SandboxSession.objects.filter(status=SandboxSession.Status.APPROVED)
            .values("currency")
            .annotate(total=Sum("amount"))
            .values_list("currency", "total")
        )
        returned = dict(
            SandboxRefund.objects.values("currency")
            .annotate(total=Sum("amount"))
            .values_list("currency", "total")
        )
        for currency in ("RUB", "CNY"):
            clearing = platform("provider_clearing", currency)
            assert clearing == books.clearing[currency]
            # provider clearing == captured - refunds sent, from the payment and refund rows
            assert captured.get(currency, ZERO) - sent.get(currency, ZERO) == clearing
            # the buyer's money as the sandbox provider holds it
            assert (
                charged.get(currency, ZERO) - returned.get(currency, ZERO)
                == (books.buyer_net[currency])
            )
            assert platform("refunds_payable", currency) == ZERO
            assert platform("commission_revenue", currency) == books.commission[currency]
            assert platform("fx_margin_revenue", currency) == books.fx_margin[currency]
        assert (
            get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB").amount
            == books.clearing["RUB"]
        )

    def _check_payments(self) -> dict[int, dict]:  # type: ignore[type-arg]
        payments = {
            row["id"]: row
            for row in Payment.objects.values(
                "id", "order_id", "status", "amount", "refunded_amount", "settles_order"
            )
        }
        assert set(payments) == set(self.payments)
        for model in self.payments.values():
            row = payments[model.id]
            assert row["refunded_amount"] <= row["amount"]
            assert (row["status"], row["refunded_amount"], row["settles_order"]) == (
                model.status,
                model.refunded,
                model.settles,
            ), model
        # No double charge: at most one payment settles an order, every other capture is
        # refunded in full.
        settling: dict[int, int] = defaultdict(int)
        for row in payments.values():
            settling[row["order_id"]] += row["settles_order"]
            if row["status"] in TAKEN and not row["settles_order"]:
                assert (row["status"], row["refunded_amount"]) == ("refunded", row["amount"])
        assert max(settling.values(), default=0) <= 1
        return payments

    def _check_orders(self, balances: dict[tuple[str, str, str, str], Decimal]) -> None:
        orders = dict(Order.objects.values_list("id", "status"))
        assert orders == {order.id: order.status for order in self.orders.values()}
        seller_orders = {
            row[0]: row[1:]
            for row in SellerOrder.objects.values_list("id", "status", "escrow_released_at")
        }
        refunded = dict(
            Refund.objects.exclude(seller_order=None)
            .values("seller_order_id")
            .annotate(total=Sum("amount"))
            .values_list("seller_order_id", "total")
        )
        for item in self._seller_orders():
            status, released_at = seller_orders[item.id]
            assert (status, released_at is not None) == (item.status, item.released), item
            assert refunded.get(item.id, ZERO) == item.refunded_buyer <= item.buyer_total
            escrow = -balances.get(
                (
                    "escrow",
                    party_for_seller(item.seller_id),
                    seller_order_reference(item.id),
                    item.currency,
                ),
                ZERO,
            )
            held = ZERO
            if self.orders[item.order_id].paid and not item.released:
                held = item.total - item.refunded_seller
            assert escrow == held, item  # zero once released

    def _check_stock_and_payouts(self) -> None:
        # nothing the provider said contradicted our rows, and no refund was refused
        assert list(PaymentAnomaly.objects.values_list("kind", "detail")) == []
        stock = dict(Offer.objects.filter(id__in=self.stock).values_list("id", "stock_quantity"))
        assert stock == self.stock
        payouts = {
            public_id: (status, amount)
            for public_id, status, amount in Payout.objects.values_list(
                "public_id", "status", "amount"
            )
        }
        assert payouts == {
            item.public_id: (item.status, item.amount) for item in self.payouts.values()
        }


def test_money_state_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = ManualClock()
    monkeypatch.setattr(timezone, "now", clock.now)
    MoneyMachine.market = build_proof_market()
    MoneyMachine.clock = clock
    run_state_machine_as_test(
        MoneyMachine,
        settings=hypothesis_settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            # MONEY_SHRINK=0 reports the first failure as found (a shrink can take minutes).
            phases=PHASES,
        ),
    )
    if os.environ.get("MONEY_STATS") == "1":
        print("\n".join(f"{count:5d} {what}" for what, count in sorted(SEEN.items())))
