"""Reconciliation against the sandbox provider: a clean day reports nothing; every
difference is flagged once for the operator, however often the day is reconciled."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from tests.factories import check_out_cart, fill_cart, move_clock, pay_market_order

from caravan.finance.reconciliation import reconcile
from caravan.finance.services import cancel_by_buyer
from caravan.ledger.verify import verify_ledger
from caravan.payments.models import Payment, PaymentAnomaly, SandboxRefund, SandboxSession
from caravan.payments.sandbox import resolve_session

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def paid_and_refunded(market, django_capture_on_commit_callbacks):
    """A paid order whose CNY parcel the buyer cancelled (refunded by the sandbox)."""
    with django_capture_on_commit_callbacks(execute=True):
        order = pay_market_order(market)
        cn = order.seller_orders.get(seller=market.seller_cn)
        cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id)
    return order


def findings():
    return list(PaymentAnomaly.objects.order_by("id").values_list("kind", "expected", "observed"))


def test_a_clean_day_has_no_mismatch(paid_and_refunded):
    report = reconcile(provider="sandbox", day=today())

    assert (report.payments_checked, report.refunds_checked, report.mismatches) == (1, 1, [])
    assert PaymentAnomaly.objects.count() == 0
    assert verify_ledger().ok


def test_another_day_has_nothing_to_check(paid_and_refunded):
    report = reconcile(provider="sandbox", day=today().replace(year=today().year - 1))

    assert (report.payments_checked, report.refunds_checked, report.mismatches) == (0, 0, [])


def test_an_amount_changed_at_the_provider_is_flagged_once(paid_and_refunded):
    payment = Payment.objects.get(order=paid_and_refunded)
    SandboxSession.objects.filter(reference=payment.provider_reference).update(amount="7520.00")

    first = reconcile(provider="sandbox", day=today())
    second = reconcile(provider="sandbox", day=today())

    assert (
        first.mismatches
        == second.mismatches
        == [
            f"amount_mismatch {payment.provider_reference}: amounts differ "
            "(ours 7520.32 RUB, theirs 7520.00 RUB)"
        ]
    )
    assert findings() == [("amount_mismatch", "7520.32 RUB", "7520.00 RUB")]
    anomaly = PaymentAnomaly.objects.get()
    assert (anomaly.source, anomaly.payment_id) == ("reconciliation", payment.id)


def test_a_capture_at_the_provider_we_never_heard_of_is_flagged(market):
    # the buyer paid at the provider, but its notification never reached us
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    SandboxSession.objects.filter(reference=result.payment.provider_reference).update(
        status=SandboxSession.Status.APPROVED, resolved_at=timezone.now()
    )

    report = reconcile(provider="sandbox", day=today())
    reconcile(provider="sandbox", day=today())

    assert len(report.mismatches) == 1
    assert findings() == [("captured_not_paid", "pending", "succeeded")]
    assert Payment.objects.get(id=result.payment.id).status == "pending"  # nothing applied


def test_a_payment_captured_here_but_missing_there_is_flagged(paid_and_refunded):
    payment = Payment.objects.get(order=paid_and_refunded)
    SandboxSession.objects.filter(reference=payment.provider_reference).delete()

    report = reconcile(provider="sandbox", day=today())

    assert (report.payments_checked, len(report.mismatches)) == (0, 1)
    assert findings() == [("paid_not_captured", "partially_refunded", "missing")]


def test_a_refund_at_the_provider_unknown_here_is_flagged(paid_and_refunded):
    payment = Payment.objects.get(order=paid_and_refunded)
    SandboxRefund.objects.create(
        reference="sbr_stray",
        idempotency_key="stray",
        session=SandboxSession.objects.get(reference=payment.provider_reference),
        currency="RUB",
        amount="100.00",
    )

    report = reconcile(provider="sandbox", day=today())

    assert report.refunds_checked == 2
    assert findings() == [("refund_mismatch", "", "100.00 RUB")]


def test_the_command_prints_its_summary_and_each_mismatch(paid_and_refunded):
    payment = Payment.objects.get(order=paid_and_refunded)
    out = StringIO()
    call_command("reconcile", provider="sandbox", date=today().isoformat(), stdout=out)
    assert out.getvalue() == (f"sandbox {today()}: 1 payments, 1 refunds checked, 0 mismatches\n")

    SandboxSession.objects.filter(reference=payment.provider_reference).update(amount="1.00")
    out = StringIO()
    call_command("reconcile", "--provider", "sandbox", "--date", str(today()), stdout=out)

    assert out.getvalue() == (
        f"sandbox {today()}: 1 payments, 1 refunds checked, 1 mismatches\n"
        f"  amount_mismatch {payment.provider_reference}: amounts differ "
        "(ours 7520.32 RUB, theirs 1.00 RUB)\n"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"provider": "sandbox", "date": "06.12.2026"}, "--date must be YYYY-MM-DD"),
        ({"provider": "paypal", "date": "2026-12-06"}, "Unknown payment provider"),
    ],
)
def test_the_command_refuses_bad_options(db, options, message):
    with pytest.raises(CommandError) as caught:
        call_command("reconcile", **options, stdout=StringIO())

    assert message in str(caught.value)
    assert PaymentAnomaly.objects.count() == 0


def test_a_payment_opened_before_midnight_and_captured_after_is_no_mismatch(market, monkeypatch):
    # given the buyer opened the provider's page at 23:59 and paid after midnight
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    opened_at = timezone.localtime().replace(hour=23, minute=59)
    monkeypatch.setattr(timezone, "now", lambda: opened_at)
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    move_clock(monkeypatch, by=timedelta(minutes=2))
    resolve_session(reference=result.payment.provider_reference, approved=True)
    assert Payment.objects.get(id=result.payment.id).status == "captured"

    # when both days are reconciled
    opened_day = timezone.localdate(opened_at)
    first = reconcile(provider="sandbox", day=opened_day)
    second = reconcile(provider="sandbox", day=opened_day + timedelta(days=1))

    # then the provider lists it on the day it was opened, and neither day has a mismatch
    assert (first.payments_checked, first.mismatches) == (1, [])
    assert (second.payments_checked, second.mismatches) == (0, [])
    assert PaymentAnomaly.objects.count() == 0
