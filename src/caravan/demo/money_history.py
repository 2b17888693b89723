"""Six weeks of past trade for the demo, so every money page shows something true: orders
paid, shipped, delivered, released, refunded, and a payout run with a settled payout.

Everything goes through the real services (checkout, the sandbox's approval, shipping,
delivery, escrow release, refunds, payouts): nothing here writes a status or a ledger row
itself, so the figures are exactly what real use produces and `ledger-verify` checks them.
The services read the time from `django.utils.timezone.now` (directly or through
`kernel.clock.now`), so the history is played on a moved clock. It runs outside any
transaction: each service commits on its own and its after-commit work (a refund sent to
the provider) runs as it does in production.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from caravan.accounts.models import User
from caravan.cart.checkout import check_out
from caravan.cart.services import add_to_cart, choose_delivery, get_or_create_cart
from caravan.commissions.models import CommissionRule
from caravan.commissions.services import create_rule
from caravan.finance.services import cancel_by_buyer, refund_by_operator, release_escrow
from caravan.fx.importing import load_snapshot
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.orders.models import Order, SellerOrder
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payments.gateways.registry import get_gateway
from caravan.payments.models import Refund
from caravan.payments.refunds import send_refund
from caravan.payments.sandbox import SandboxGateway, resolve_session
from caravan.payouts.models import Payout
from caravan.payouts.services import run_payouts, settle_payout
from caravan.sellers.models import Membership, Seller
from caravan.sellers.services.profile import update_payout_details
from caravan.shipping.models import ProfileMethod

from .vocabulary import BUYER, OPERATOR, SECOND_BUYER

# How far back the history starts: the demo's exchange rates are recorded from this day on.
HISTORY_DAYS = 45
MOSCOW = "gadget-house"
SHENZHEN = "shenzhen-techdirect"
# The payout minimums are 1000 RUB and 100 CNY: the demo buys things worth paying out.
CHEAPEST_PRICE = {"RUB": Decimal("1000"), "CNY": Decimal("100")}
# What a demo parcel's offer must have in stock, so buying it never sells a listing out.
MIN_STOCK = 8

# A fictitious company INN with valid check digits (a rouble payout needs the seller's INN).
MOSCOW_INN = "7703245818"
MOSCOW_PAYOUT = {
    "currency": "RUB",
    "bank_country": "RU",
    "account_holder": "OOO Gadget House",
    "bank_name": "АО «ТБанк»",
    "bik": "044525974",
    # 20 digits whose control digit matches the BIK (the Bank of Russia's key).
    "account_number": "40702810010000482915",
}
SHENZHEN_PAYOUT = {
    "currency": "CNY",
    "bank_country": "CN",
    "account_holder": "Shenzhen TechDirect Trading Co., Ltd.",
    "bank_name": "China Merchants Bank, Shenzhen Branch",
    "bic": "CMBCCNBS",
    "account_number": "755912345610801",
}

# (days ago, local time): when something happened.
Ago = tuple[int, str]


@dataclass(frozen=True)
class Parcel:
    """One seller's part of a past order and what became of it."""

    seller: str
    delivery: int = 0  # which of the seller's delivery options, by position
    shipped: Ago | None = None
    delivered: Ago | None = None  # confirmed by the buyer
    cancelled: Ago | None = None  # by the buyer, before it shipped
    delivery_refunded: Ago | None = None  # the operator pays the delivery charge back


@dataclass(frozen=True)
class PastOrder:
    key: str  # the checkout's idempotency key; also seeds the tracking numbers
    buyer: str
    placed: Ago
    parcels: tuple[Parcel, ...]


ANNA, IVAN = BUYER.email, SECOND_BUYER.email
CANCEL_REASON = "Ordered the wrong colour"
REFUND_REASON = "The box arrived dented: the delivery charge is paid back as a goodwill gesture."

# Protection lasts 15 days from delivery: the parcels delivered 25 or more days ago are
# released before the payout run five days ago, those delivered 19 days ago after it (money
# available now); the recent ones are in escrow, on their way or waiting to ship.
PAST_ORDERS: tuple[PastOrder, ...] = (
    PastOrder(
        "demo-history-1",
        ANNA,
        (44, "10:12"),
        (Parcel(MOSCOW, shipped=(43, "16:40"), delivered=(40, "19:05")),),
    ),
    PastOrder(
        "demo-history-2",
        IVAN,
        (42, "21:37"),
        (Parcel(SHENZHEN, delivery=1, shipped=(40, "09:15"), delivered=(29, "18:30")),),
    ),
    PastOrder(
        "demo-history-3",
        ANNA,
        (36, "13:05"),
        (
            Parcel(
                MOSCOW,
                delivery=1,
                shipped=(36, "17:20"),
                delivered=(35, "12:10"),
                delivery_refunded=(33, "11:45"),
            ),
            Parcel(SHENZHEN, delivery=1, shipped=(34, "10:00"), delivered=(25, "15:40")),
        ),
    ),
    PastOrder(
        "demo-history-4",
        IVAN,
        (30, "08:50"),
        (Parcel(SHENZHEN, delivery=1, shipped=(29, "11:30"), delivered=(19, "17:15")),),
    ),
    PastOrder(
        "demo-history-5",
        ANNA,
        (24, "19:40"),
        (Parcel(MOSCOW, shipped=(23, "15:00"), delivered=(19, "13:25")),),
    ),
    PastOrder("demo-history-6", ANNA, (12, "20:15"), (Parcel(MOSCOW, cancelled=(12, "22:03")),)),
    PastOrder(
        "demo-history-7",
        ANNA,
        (10, "11:30"),
        (
            Parcel(MOSCOW, delivery=1, shipped=(10, "15:10"), delivered=(9, "10:45")),
            Parcel(SHENZHEN, delivery=1, shipped=(8, "12:00")),
        ),
    ),
    PastOrder("demo-history-8", IVAN, (6, "14:20"), (Parcel(SHENZHEN, shipped=(5, "09:40")),)),
    PastOrder("demo-history-9", IVAN, (1, "18:05"), (Parcel(MOSCOW), Parcel(SHENZHEN))),
)
PAYOUT_RUN: Ago = (5, "11:00")
# Roubles arrive the next day; the yuan transfer abroad is still on its way.
ROUBLE_PAYOUT_SETTLED: Ago = (4, "15:20")


@dataclass(frozen=True)
class HistorySummary:
    orders: int
    refunds: int
    payouts: int


class MovedClock:
    """What `django.utils.timezone.now` answers while `running()`: the moment last set."""

    def __init__(self) -> None:
        self.moment = timezone.now()

    @contextmanager
    def running(self) -> Iterator[MovedClock]:
        original = timezone.now
        timezone.now = self._now  # type: ignore[assignment]
        try:
            yield self
        finally:
            timezone.now = original  # type: ignore[assignment]

    def _now(self) -> datetime:
        return self.moment


@contextmanager
def clock_at(moment: datetime) -> Iterator[MovedClock]:
    """The clock stopped at `moment` for the block."""
    clock = MovedClock()
    clock.moment = moment
    with clock.running():
        yield clock


def moment_of(ago: Ago, *, today: date) -> datetime:
    hours, minutes = (int(part) for part in ago[1].split(":"))
    day = today - timedelta(days=ago[0])
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


def tracking_number(*, key: str, carrier: str) -> str:
    """A carrier-shaped number that comes out the same on every run."""
    digits = str(int(hashlib.sha256(f"{key}:{carrier}".encode()).hexdigest(), 16))
    if carrier == "Cainiao":
        return f"LP00{digits[:12]}"
    if carrier == "Yandex Delivery":
        return f"YD{digits[:10]}"
    return digits[:10]


@dataclass
class _Cast:
    """The people, shops and shelves the history is played with."""

    buyers: dict[str, User]
    operator: User
    sellers: dict[str, Seller]
    owners: dict[str, User]
    offers: dict[str, list[Offer]]
    methods: dict[str, list[ProfileMethod]]
    orders: dict[str, Order] = field(default_factory=dict)
    picked: dict[str, int] = field(default_factory=dict)
    refunds: int = 0

    def next_offer(self, slug: str) -> Offer:
        shelf = self.offers[slug]
        taken = self.picked.get(slug, 0)
        self.picked[slug] = taken + 1
        return shelf[taken % len(shelf)]

    def seller_order(self, key: str, slug: str) -> SellerOrder:
        return self.orders[key].seller_orders.get(seller=self.sellers[slug])


def _shelf(seller: Seller) -> list[Offer]:
    """The seller's buyable offers, cheapest first, one per product: what the demo buyers
    pick from, in the same order on every run."""
    offers = Offer.objects.filter(
        seller=seller,
        is_active=True,
        stock_quantity__gte=MIN_STOCK,
        product__is_approved=True,
    ).order_by("price_amount", "id")
    worth_paying_out = offers.filter(price_amount__gte=CHEAPEST_PRICE.get(seller.currency, 0))
    shelf: list[Offer] = []
    seen: set[int] = set()
    for offer in worth_paying_out if worth_paying_out.exists() else offers:
        if offer.product_id not in seen:
            seen.add(offer.product_id)
            shelf.append(offer)
    return shelf


def _cast() -> _Cast:
    sellers = {slug: Seller.objects.get(slug=slug) for slug in (MOSCOW, SHENZHEN)}
    owners = {
        slug: Membership.objects.get(seller=seller, role=Membership.Role.OWNER).user
        for slug, seller in sellers.items()
    }
    return _Cast(
        buyers={email: User.objects.get(email=email) for email in (ANNA, IVAN)},
        operator=User.objects.get(email=OPERATOR.email),
        sellers=sellers,
        owners=owners,
        offers={slug: _shelf(seller) for slug, seller in sellers.items()},
        methods={
            slug: list(
                ProfileMethod.objects.filter(
                    profile__seller=seller, profile__is_default=True
                ).order_by("position", "id")
            )
            for slug, seller in sellers.items()
        },
    )


def ensure_default_commission() -> None:
    """The marketplace default rule comes with a migration; a flush (`seed-demo --reset`)
    empties it, and no order can be placed without it."""
    if not CommissionRule.objects.filter(
        category__isnull=True, seller__isnull=True, is_active=True
    ).exists():
        create_rule(
            category=None,
            seller=None,
            percent=Decimal("5.00"),
            minimum_fee=Money("10.00", "RUB"),
            note="Marketplace default",
        )


def _give_payout_details(cast: _Cast) -> None:
    moscow = cast.sellers[MOSCOW]
    if not moscow.tax_id:
        # No service edits a live seller's INN (it comes with the application, which the
        # demo's sellers skip): set here, as the approved application would have.
        Seller.objects.filter(id=moscow.id).update(tax_id=MOSCOW_INN)
        moscow.tax_id = MOSCOW_INN
    for slug, details in ((MOSCOW, MOSCOW_PAYOUT), (SHENZHEN, SHENZHEN_PAYOUT)):
        update_payout_details(seller=cast.sellers[slug], actor=cast.owners[slug], **details)


def _order_page(order: Order) -> str:
    return reverse("storefront:order", kwargs={"number": order.number}) + "?from=payment"


def _place(cast: _Cast, past: PastOrder) -> None:
    buyer = cast.buyers[past.buyer]
    cart = get_or_create_cart(token=None, user=buyer)
    for parcel in past.parcels:
        offer = cast.next_offer(parcel.seller)
        add_to_cart(cart=cart, offer_public_id=offer.public_id, quantity=1)
        method = cast.methods[parcel.seller][parcel.delivery]
        choose_delivery(cart=cart, seller_id=cast.sellers[parcel.seller].id, method_id=method.id)
    # The day's rates, recorded that day: the order page says which day's rate it used.
    load_snapshot(on_date=timezone.localdate(timezone.now()))
    address = buyer.addresses.order_by("id").first()
    assert address is not None  # every demo buyer has a saved address
    result = check_out(
        cart=cart,
        buyer=buyer,
        address=address,
        currency="RUB",
        idempotency_key=past.key,
        return_url=_order_page,
    )
    cast.orders[past.key] = result.order


def _pay(cast: _Cast, past: PastOrder) -> None:
    payment = cast.orders[past.key].payments.get()
    # The buyer presses Approve on the sandbox's hosted page.
    resolve_session(reference=payment.provider_reference, approved=True)


def _ship(cast: _Cast, past: PastOrder, parcel: Parcel) -> None:
    seller_order = cast.seller_order(past.key, parcel.seller)
    ship_seller_order(
        seller=cast.sellers[parcel.seller],
        seller_order_public_id=seller_order.public_id,
        carrier=seller_order.delivery_carrier,
        tracking_number=tracking_number(key=past.key, carrier=seller_order.delivery_carrier),
        actor=cast.owners[parcel.seller],
    )


def _deliver(cast: _Cast, past: PastOrder, parcel: Parcel) -> None:
    seller_order = cast.seller_order(past.key, parcel.seller)
    confirm_delivery(buyer=cast.buyers[past.buyer], seller_order_public_id=seller_order.public_id)


def _sent(refund: Refund) -> None:
    """The refund already went to the sandbox after its commit: sending it again changes
    nothing. Where after-commit work waits (an enclosing transaction, a test's) or goes to a
    broker's worker, this is what sends it, on the history's clock."""
    send_refund(refund_id=refund.id)


def _cancel(cast: _Cast, past: PastOrder, parcel: Parcel) -> None:
    seller_order = cast.seller_order(past.key, parcel.seller)
    refund = cancel_by_buyer(
        buyer=cast.buyers[past.buyer],
        seller_order_public_id=seller_order.public_id,
        reason=CANCEL_REASON,
    )
    # The demo's cancelled parcel was never refunded before, so a refund is owed.
    assert refund is not None
    _sent(refund)
    cast.refunds += 1


def _refund_delivery(cast: _Cast, past: PastOrder, parcel: Parcel) -> None:
    seller_order = cast.seller_order(past.key, parcel.seller)
    refund = refund_by_operator(
        seller_order_public_id=seller_order.public_id,
        reason=REFUND_REASON,
        actor=cast.operator,
        amount=seller_order.buyer_delivery_amount,
    )
    _sent(refund)
    cast.refunds += 1


Step = tuple[datetime, int, Callable[[], object]]


def release_job_after(delivered: datetime) -> datetime:
    """When the hourly release job first finds the parcel's protection window over."""
    ends = delivered + timedelta(days=settings.ESCROW_PROTECTION_DAYS)
    return ends.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def _timeline(cast: _Cast, *, today: date, until: datetime) -> list[Step]:
    """Every event of the history before `until`, in the order it happened."""
    steps: list[Step] = []

    def add(moment: datetime, action: Callable[[], object]) -> None:
        steps.append((moment, len(steps), action))

    for past in PAST_ORDERS:
        placed = moment_of(past.placed, today=today)
        add(placed, partial(_place, cast, past))
        # Three minutes on the sandbox's payment page.
        add(placed + timedelta(minutes=3), partial(_pay, cast, past))
        for parcel in past.parcels:
            for ago, act in (
                (parcel.shipped, _ship),
                (parcel.delivered, _deliver),
                (parcel.cancelled, _cancel),
                (parcel.delivery_refunded, _refund_delivery),
            ):
                if ago is not None:
                    add(moment_of(ago, today=today), partial(act, cast, past, parcel))
            if parcel.delivered is not None:
                job = release_job_after(moment_of(parcel.delivered, today=today))
                add(job, partial(release_escrow, at=job))
    add(moment_of(PAYOUT_RUN, today=today), partial(_run_payouts, cast))
    add(moment_of(ROUBLE_PAYOUT_SETTLED, today=today), partial(_settle_roubles, cast))
    return sorted((step for step in steps if step[0] < until), key=lambda s: (s[0], s[1]))


def _run_payouts(cast: _Cast) -> None:
    run_payouts(actor=cast.operator)


def _settle_roubles(cast: _Cast) -> None:
    payout = (
        Payout.objects.filter(seller=cast.sellers[MOSCOW], currency="RUB").order_by("-id").first()
    )
    if payout is not None:
        settle_payout(payout_public_id=payout.public_id, actor=cast.operator)


def seed_money_history(*, today: date) -> HistorySummary:
    """Play the demo's past up to `today`; the demo catalog and logins must exist. Call it
    outside any transaction (see the module's docstring).

    Nothing is played when payments do not go to the sandbox (its hosted page is where the
    demo buyers pay; a real provider would charge a card) or when a tiny catalog leaves one
    of the two sellers nothing to sell."""
    if get_gateway().name != SandboxGateway.name:
        return HistorySummary(orders=0, refunds=0, payouts=0)
    ensure_default_commission()
    cast = _cast()
    if not all(cast.offers.values()):
        return HistorySummary(orders=0, refunds=0, payouts=0)
    clock = MovedClock()
    timeline = _timeline(cast, today=today, until=clock.moment)
    with clock.running():
        clock.moment = moment_of((HISTORY_DAYS, "09:00"), today=today)
        _give_payout_details(cast)
        for moment, _position, action in timeline:
            clock.moment = moment
            action()
    # What came due between the last event and now, as the release job would find it.
    release_escrow()
    payouts = Payout.objects.filter(seller__in=cast.sellers.values()).count()
    return HistorySummary(orders=len(cast.orders), refunds=cast.refunds, payouts=payouts)
