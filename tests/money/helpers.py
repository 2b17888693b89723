"""Helpers of the money proof: a two-seller market whose sellers can be paid out, a clock the
tests move by hand, and sandbox captures and declines delivered as the provider sends them."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from caravan.accounts.models import Address, User
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.payments.models import Payment, SandboxSession
from caravan.sellers.models import PayoutDetails, Seller
from tests.factories import (
    default_rates,
    deliver_event,
    make_address,
    make_offer,
    make_product,
    make_seller,
    make_user,
)

RU_BIK = "044525225"
RU_INN = "7707083893"
_events = itertools.count(1)


def ru_account(*, bik: str = RU_BIK, stem: str = "4070281040000000000") -> str:
    """A 20-digit rouble account whose control digit (the ninth) matches the BIK."""
    for digit in "0123456789":
        account = stem[:8] + digit + stem[8:]
        digits = bik[-3:] + account
        total = sum((int(d) * (7, 1, 3)[i % 3]) % 10 for i, d in enumerate(digits))
        if total % 10 == 0:
            return account
    raise AssertionError("no control digit fits")


def give_payout_details(seller: Seller) -> None:
    """Details a payout run accepts: a Russian bank for roubles, SWIFT for the others."""
    if seller.currency == "RUB":
        seller.tax_id = RU_INN
        seller.legal_name = 'ООО "Ромашка"'
        seller.save(update_fields=["tax_id", "legal_name"])
        PayoutDetails.objects.create(
            seller=seller,
            currency="RUB",
            bank_country="RU",
            account_holder=seller.legal_name,
            bank_name="ПАО Сбербанк",
            account_number=ru_account(),
            bik=RU_BIK,
        )
    else:
        PayoutDetails.objects.create(
            seller=seller,
            currency=seller.currency,
            bank_country="CN",
            account_holder="Shenzhen Tech Co., Ltd.",
            bank_name="Bank of China Shenzhen Branch",
            account_number="6217 8500 0000 1234",
            bic="BKCHCNBJ45A",
        )


@dataclass
class ProofMarket:
    buyer: User
    address: Address
    seller_ru: Seller
    seller_cn: Seller
    owner_ru: User
    owner_cn: User
    offer_ru: Offer
    offer_cn: Offer
    operator: User

    @property
    def sellers(self) -> list[Seller]:
        return [self.seller_ru, self.seller_cn]

    def owner(self, seller_id: int) -> User:
        return self.owner_ru if seller_id == self.seller_ru.id else self.owner_cn

    def offer(self, seller_id: int) -> Offer:
        return self.offer_ru if seller_id == self.seller_ru.id else self.offer_cn


def build_proof_market(*, stock: int = 100_000) -> ProofMarket:
    """A RUB and a CNY seller (both with payout details) on one product, priced so that the
    conversions round, and a buyer."""
    default_rates()
    owner_ru, owner_cn = make_user(), make_user()
    seller_ru = make_seller(
        name="Moscow Goods", country="RU", currency="RUB", owner=owner_ru, delivery_price="299.90"
    )
    seller_cn = make_seller(
        name="Shenzhen Tech", country="CN", currency="CNY", owner=owner_cn, delivery_price="24.99"
    )
    for seller in (seller_ru, seller_cn):
        give_payout_details(seller)
    variant = make_product().variants.get()
    offer_ru = make_offer(seller=seller_ru, variant=variant, price="1234.57", stock=stock)
    offer_cn = make_offer(seller=seller_cn, variant=variant, price="98.77", stock=stock)
    buyer = make_user(full_name="Ivan Petrov")
    return ProofMarket(
        buyer=buyer,
        address=make_address(user=buyer),
        seller_ru=seller_ru,
        seller_cn=seller_cn,
        owner_ru=owner_ru,
        owner_cn=owner_cn,
        offer_ru=offer_ru,
        offer_cn=offer_cn,
        operator=make_user(full_name="Olga Operator"),
    )


class ManualClock:
    """django.utils.timezone.now frozen at a moment the test moves forward by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start or timezone.now()
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self.start + self.offset

    def advance(self, by: timedelta) -> datetime:
        self.offset += by
        return self.now()


@contextmanager
def on_commit_executed() -> Iterator[None]:
    """Run what the services queue for after commit (the provider calls), as production does
    when their transaction commits; inside a test's transaction they would never run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def set_session_status(payment: Payment, status: str) -> SandboxSession:
    """What the buyer did on the sandbox's hosted page (or what the provider decided)."""
    session = SandboxSession.objects.get(reference=payment.provider_reference)
    session.status = status
    session.resolved_at = timezone.now()
    session.save(update_fields=["status", "resolved_at"])
    return session


def notify(payment: Payment, *, approved: bool, event_id: str | None = None) -> tuple[str, bool]:
    """The provider's notification for the payment's session; returns (event id, applied)."""
    event = event_id or f"evt_proof_{next(_events)}"
    applied = deliver_event(
        session_reference=payment.provider_reference, approved=approved, event_id=event
    )
    return event, applied


def capture_at_provider(payment: Payment, *, event_id: str | None = None) -> tuple[str, bool]:
    """The buyer pays on the hosted page: the sandbox captures, then notifies Caravan."""
    set_session_status(payment, SandboxSession.Status.APPROVED)
    return notify(payment, approved=True, event_id=event_id)


def decline_at_provider(payment: Payment, *, event_id: str | None = None) -> tuple[str, bool]:
    set_session_status(payment, SandboxSession.Status.DECLINED)
    return notify(payment, approved=False, event_id=event_id)


def half_up(amount: Decimal) -> Decimal:
    """A two-decimal currency's rounding (ADR 0006), for the test's own expectations."""
    return Money(amount, "RUB").rounded().amount


def atomic_call(function: Callable[[], object]) -> object:
    """Call in a savepoint, so an expected refusal leaves the surrounding test usable."""
    with transaction.atomic():
        return function()


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None

    @property
    def code(self) -> str:
        return getattr(self.error, "code", "") if self.error is not None else ""


def run_together(calls: list[Callable[[], object]], *, timeout: float = 60) -> list[Outcome]:
    """Run each call in its own thread (so on its own database connection), released
    together by a barrier; every join is bounded. Each thread closes its connections."""
    import threading
    import time

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index].value = calls[index]()
        except BaseException as error:  # recorded and asserted on by the test
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(index,), name=f"racer-{index}")
        for index in range(len(calls))
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.1, timeout - (time.monotonic() - started)))
    alive = [thread.name for thread in threads if thread.is_alive()]
    assert alive == [], f"threads still running after {timeout} s: {alive}"
    return outcomes
