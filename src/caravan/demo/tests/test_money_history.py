"""The demo's money history: past orders in every state, refunds paid back, a payout run, and
a ledger whose every figure agrees with the rows it came from."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from caravan.accounts.models import User
from caravan.demo.money_history import (
    MOSCOW,
    SHENZHEN,
    HistorySummary,
    MovedClock,
    moment_of,
    release_job_after,
    seed_money_history,
    tracking_number,
)
from caravan.finance.refunds import released_commission
from caravan.fx.models import ExchangeRate
from caravan.kernel.money import Money
from caravan.ledger.selectors import provider_clearing, seller_balances, trial_balance
from caravan.ledger.verify import verify_ledger
from caravan.orders.models import Order, SellerOrder
from caravan.payments.models import Payment, Refund
from caravan.payouts.beneficiary import beneficiary_for
from caravan.payouts.models import Payout, PayoutBatch
from caravan.sellers.models import Seller

ANNA = "buyer@caravan.demo"
IVAN = "buyer.petersburg@caravan.demo"
PROTECTION = timedelta(days=settings.ESCROW_PROTECTION_DAYS)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """One seeding for the whole module (it takes seconds), rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("seed_demo", products=12, stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def seller(slug: str) -> Seller:
    return Seller.objects.get(slug=slug)


def released(seller_order: SellerOrder) -> bool:
    return seller_order.escrow_released_at is not None


@pytest.mark.django_db
def test_the_history_leaves_orders_in_every_state_for_both_buyers(seeded):
    orders = Order.objects.select_related("buyer").order_by("placed_at")

    history = [
        (
            order.buyer.email,
            order.status,
            [
                (item.seller.slug, item.status, released(item))
                for item in order.seller_orders.select_related("seller").order_by("id")
            ],
        )
        for order in orders
    ]

    assert history == [
        (ANNA, "completed", [(MOSCOW, "delivered", True)]),
        (IVAN, "completed", [(SHENZHEN, "delivered", True)]),
        (ANNA, "completed", [(MOSCOW, "delivered", True), (SHENZHEN, "delivered", True)]),
        (IVAN, "completed", [(SHENZHEN, "delivered", True)]),
        (ANNA, "completed", [(MOSCOW, "delivered", True)]),
        (ANNA, "cancelled", [(MOSCOW, "cancelled", False)]),
        (ANNA, "paid", [(MOSCOW, "delivered", False), (SHENZHEN, "shipped", False)]),
        (IVAN, "paid", [(SHENZHEN, "shipped", False)]),
        (
            IVAN,
            "paid",
            [(MOSCOW, "awaiting_shipment", False), (SHENZHEN, "awaiting_shipment", False)],
        ),
        # Anna's latest, shipped in parcels (demo.parcels): not the money history's.
        (ANNA, "paid", [(MOSCOW, "shipped", False), (SHENZHEN, "shipped", False)]),
    ]
    assert "9 past orders, 2 refunds, 2 payouts." in seeded
    assert "buyer.petersburg@caravan.demo" in seeded


@pytest.mark.django_db
def test_every_order_was_paid_in_roubles_through_the_sandbox(seeded):
    payments = Payment.objects.order_by("id")

    # The history's nine and the parcels' order (demo.parcels).
    assert payments.count() == 10
    assert set(payments.values_list("provider", "currency", "settles_order")) == {
        ("sandbox", "RUB", True)
    }
    assert sorted(payments.values_list("status", flat=True)) == [
        "captured",
        "captured",
        "captured",
        "captured",
        "captured",
        "captured",
        "captured",
        "captured",
        "partially_refunded",
        "refunded",
    ]
    assert [payment.amount for payment in payments] == [
        payment.order.total_amount for payment in payments
    ]


@pytest.mark.django_db
def test_the_cancellation_and_the_operator_refund_were_paid_back(seeded):
    refunds = Refund.objects.select_related("seller_order").order_by("created_at")

    assert [(refund.kind, refund.status, refund.after_release) for refund in refunds] == [
        ("operator", "succeeded", False),
        ("buyer_cancelled", "succeeded", False),
    ]
    delivery_refund, cancellation = refunds
    assert delivery_refund.money == delivery_refund.seller_order.buyer_delivery
    assert delivery_refund.seller_order.seller.slug == MOSCOW
    assert cancellation.money == cancellation.seller_order.buyer_total
    assert cancellation.seller_order.status == "cancelled"
    for refund in refunds:
        assert refund.provider_reference.startswith("sbr_")
        assert refund.completed_at is not None


@pytest.mark.django_db
def test_one_payout_run_paid_both_sellers_and_the_roubles_settled(seeded):
    batches = PayoutBatch.objects.order_by("currency")
    payouts = Payout.objects.select_related("seller").order_by("currency")

    assert [(batch.currency, batch.payout_count) for batch in batches] == [("CNY", 1), ("RUB", 1)]
    for batch in batches:
        assert batch.file_name.startswith(f"payouts-{batch.currency}-")
        assert batch.file_content
    assert [(payout.seller.slug, payout.currency, payout.status) for payout in payouts] == [
        (SHENZHEN, "CNY", "in_transit"),
        (MOSCOW, "RUB", "settled"),
    ]
    roubles = payouts[1]
    assert (roubles.bik, roubles.account_number, roubles.inn) == (
        "044525974",
        "40702810010000482915",
        "7703245818",
    )
    assert roubles.purpose.startswith("Выплата по договору оферты")
    yuan = payouts[0]
    assert (yuan.bic, yuan.account_number, yuan.bank_country) == (
        "CMBCCNBS",
        "755912345610801",
        "CN",
    )
    assert yuan.batch.file_format == "pain.001.001.03"


@pytest.mark.django_db
def test_the_demo_sellers_payout_details_pass_the_runs_checks(seeded):
    moscow = beneficiary_for(seller=seller(MOSCOW), currency="RUB")
    shenzhen = beneficiary_for(seller=seller(SHENZHEN), currency="CNY")

    assert (moscow.inn, moscow.bik, moscow.bank_country) == ("7703245818", "044525974", "RU")
    assert (shenzhen.bic, shenzhen.iban, shenzhen.bank_country) == ("CMBCCNBS", "", "CN")


@pytest.mark.django_db
def test_the_ledger_verifies_and_every_currency_balances(seeded):
    report = verify_ledger()

    assert report.ok, report.violations
    totals = trial_balance()
    assert [(item.currency, item.balanced) for item in totals] == [("CNY", True), ("RUB", True)]
    captured = Payment.objects.aggregate(total=Sum("amount"))["total"]
    paid_back = Refund.objects.filter(status="succeeded").aggregate(total=Sum("amount"))["total"]
    assert provider_clearing(currency="RUB") == Money(captured - paid_back, "RUB")


def expected_balances(slug: str) -> tuple[Money, Money, Money, Money]:
    """(in escrow, released net of commission, in transit, paid out) from the rows."""
    shop = seller(slug)
    currency = shop.currency
    in_escrow = released_net = Money.zero(currency)
    for seller_order in SellerOrder.objects.filter(seller=shop).exclude(status="cancelled"):
        refunded = Refund.objects.filter(seller_order=seller_order).aggregate(
            total=Sum("seller_amount")
        )["total"] or Decimal(0)
        held = seller_order.total - Money(refunded, currency)
        if released(seller_order):
            released_net += held - released_commission(seller_order, released=held)
        else:
            in_escrow += held
    payouts = Payout.objects.filter(seller=shop)
    in_transit = payouts.filter(status="in_transit").aggregate(total=Sum("amount"))["total"]
    paid_out = payouts.filter(status="settled").aggregate(total=Sum("amount"))["total"]
    return (
        in_escrow,
        released_net,
        Money(in_transit or 0, currency),
        Money(paid_out or 0, currency),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [MOSCOW, SHENZHEN])
def test_the_sellers_balances_agree_with_their_orders_and_payouts(seeded, slug):
    in_escrow, released_net, in_transit, paid_out = expected_balances(slug)

    [balance] = seller_balances(seller_id=seller(slug).id)

    assert balance.in_escrow == in_escrow
    assert balance.available + balance.in_transit + balance.paid_out == released_net
    assert (balance.in_transit, balance.paid_out) == (in_transit, paid_out)
    assert balance.receivable == Money.zero(balance.currency)


@pytest.mark.django_db
def test_the_shenzhen_seller_has_yuan_available_in_escrow_and_on_the_way(seeded):
    [balance] = seller_balances(seller_id=seller(SHENZHEN).id)

    assert balance.currency == "CNY"
    assert balance.available.amount > 0
    assert balance.in_escrow.amount > 0
    assert balance.in_transit.amount > 0
    [roubles] = seller_balances(seller_id=seller(MOSCOW).id)
    assert roubles.available.amount > 0
    assert roubles.paid_out.amount > 0


@pytest.mark.django_db
def test_the_history_happened_in_the_past_in_a_believable_order(seeded):
    now = timezone.now()
    released_orders = SellerOrder.objects.filter(escrow_released_at__isnull=False)

    assert released_orders.count() == 6
    for item in released_orders:
        assert item.created_at < item.order.paid_at < item.shipped_at < item.delivered_at
        released_after = item.escrow_released_at - item.delivered_at
        assert PROTECTION < released_after <= PROTECTION + timedelta(hours=1)
        assert item.escrow_released_at < now
    assert all(order.placed_at < now - timedelta(hours=12) for order in Order.objects.all())
    oldest = Order.objects.order_by("placed_at").first()
    assert oldest is not None and oldest.placed_at.date() <= (now - timedelta(days=43)).date()
    # The shops and their customers were there before; the applicant arrived today.
    assert seller(MOSCOW).created_at < oldest.placed_at
    assert seller(SHENZHEN).memberships.get().created_at < oldest.placed_at
    assert User.objects.get(email=ANNA).date_joined < oldest.placed_at
    assert seller("kazan-craft").created_at > now - timedelta(hours=1)
    run = PayoutBatch.objects.get(currency="RUB").created_at
    assert now - timedelta(days=8) < run < now - timedelta(days=2)
    settled = Payout.objects.get(currency="RUB").settled_at
    assert settled is not None and run < settled < now


@pytest.mark.django_db
def test_each_order_converted_at_the_rate_of_its_own_day(seeded):
    today = timezone.localdate()
    yuan_parcels = SellerOrder.objects.filter(currency="CNY").select_related("order")

    for item in yuan_parcels:
        assert item.fx_rate_as_of is not None
        assert timezone.localdate(item.fx_rate_as_of) == timezone.localdate(item.order.placed_at)
    assert ExchangeRate.objects.filter(base="CNY", quote="RUB", rate_date=today).exists()


def test_the_moved_clock_answers_its_moment_and_always_gives_the_real_one_back():
    real_now = timezone.now
    clock = MovedClock()
    clock.moment = moment_of((3, "10:15"), today=date(2026, 12, 6))

    with pytest.raises(RuntimeError), clock.running():
        assert timezone.now() == clock.moment
        raise RuntimeError("a failing step")

    assert timezone.now is real_now
    assert timezone.localtime(clock.moment).isoformat()[:16] == "2026-12-03T10:15"


def test_the_release_job_finds_a_parcel_in_the_first_hour_after_its_window():
    delivered = moment_of((20, "13:25"), today=date(2026, 12, 6))

    job = release_job_after(delivered)

    assert timezone.localtime(job).isoformat()[:16] == "2026-12-01T14:00"
    assert job - delivered == PROTECTION + timedelta(minutes=35)


def test_tracking_numbers_look_like_the_carriers_and_repeat_on_every_run():
    cainiao = tracking_number(key="demo-history-2", carrier="Cainiao")

    assert cainiao == tracking_number(key="demo-history-2", carrier="Cainiao")
    assert cainiao.startswith("LP00") and len(cainiao) == 16
    assert tracking_number(key="demo-history-3", carrier="Yandex Delivery").startswith("YD")
    assert tracking_number(key="demo-history-1", carrier="CDEK").isdigit()


@pytest.mark.django_db
def test_no_history_is_played_when_payments_go_to_a_real_provider(settings):
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_demo"
    # The module's seeded demo may be loaded alongside: nothing may be added to it.
    orders = Order.objects.count()

    summary = seed_money_history(today=date(2026, 12, 6))

    assert summary == HistorySummary(orders=0, refunds=0, payouts=0)
    assert Order.objects.count() == orders
