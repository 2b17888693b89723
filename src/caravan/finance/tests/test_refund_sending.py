"""Sending refunds to the provider: a provider out of reach is retried later, a refusal is
shown to the operator, who may try again; the money leaves the clearing account only when
the provider paid it back."""

from datetime import timedelta

import pytest
from tests.factories import move_clock, pay_market_order

from caravan.finance.services import cancel_by_buyer
from caravan.kernel.errors import InvalidTransition
from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import PLATFORM
from caravan.ledger.verify import verify_ledger
from caravan.payments.gateways.base import (
    ProviderRefund,
    ProviderRefused,
    ProviderUnavailable,
    RefundStatus,
)
from caravan.payments.models import PaymentAnomaly, Refund, SandboxRefund
from caravan.payments.refunds import (
    MAX_ATTEMPTS,
    RETRY_AFTER,
    retry_failed_refund,
    retry_refunds,
    send_refund,
)
from caravan.payments.sandbox import SandboxGateway
from caravan.payments.tasks import retry_refunds_task

pytestmark = pytest.mark.django_db

CN_BUYER_TOTAL = Money("2220.32", "RUB")


def raising(error):
    def refund(self, **kwargs):
        raise error

    return refund


@pytest.fixture
def cancelled(market, monkeypatch, django_capture_on_commit_callbacks):
    """Returns a function: the buyer cancels the paid CNY parcel while the sandbox's refund
    endpoint answers with `error`."""

    def cancel(error):
        with django_capture_on_commit_callbacks(execute=True):
            order = pay_market_order(market)
        cn = order.seller_orders.get(seller=market.seller_cn)
        with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
            patch.setattr(SandboxGateway, "refund", raising(error))
            refund = cancel_by_buyer(buyer=market.buyer, seller_order_public_id=cn.public_id)
        refund.refresh_from_db()
        return refund

    return cancel


def sent_entries(refund):
    return JournalEntry.objects.filter(key=f"refund_sent:{refund.public_id}").count()


def platform(purpose):
    return get_balance(purpose=purpose, party=PLATFORM, currency="RUB")


def test_a_provider_out_of_reach_leaves_the_refund_pending_and_a_retry_sends_it(
    cancelled, monkeypatch
):
    # given the provider timed out when the refund was sent
    refund = cancelled(ProviderUnavailable("sandbox: 503"))
    assert (refund.status, refund.attempts, refund.last_error) == ("pending", 1, "sandbox: 503")
    assert (SandboxRefund.objects.count(), sent_entries(refund)) == (0, 0)
    assert platform("refunds_payable") == CN_BUYER_TOTAL  # owed to the buyer, not sent yet
    assert PaymentAnomaly.objects.count() == 0

    # when the retry runs too soon, nothing is sent
    assert retry_refunds() == 0
    assert Refund.objects.get(id=refund.id).attempts == 1

    # when it runs after RETRY_AFTER, the provider answers
    move_clock(monkeypatch, by=RETRY_AFTER + timedelta(seconds=1))
    assert retry_refunds_task() == 1

    # then the refund is paid back and leaves the clearing account
    refund.refresh_from_db()
    assert (refund.status, refund.attempts, refund.last_error) == ("succeeded", 2, "")
    assert refund.provider_reference == SandboxRefund.objects.get().reference
    assert sent_entries(refund) == 1
    assert platform("refunds_payable") == Money("0", "RUB")
    assert platform("provider_clearing") == Money("5300", "RUB")
    assert retry_refunds() == 0
    assert verify_ledger().ok


def test_sending_a_finished_refund_again_does_nothing(cancelled):
    refund = cancelled(ProviderUnavailable("sandbox: 503"))
    send_refund(refund_id=refund.id)

    again = send_refund(refund_id=refund.id)

    assert (again.status, again.attempts) == ("succeeded", 2)
    assert SandboxRefund.objects.count() == 1
    assert sent_entries(refund) == 1


def test_a_refund_refused_by_the_provider_fails_and_is_flagged(cancelled, monkeypatch):
    refund = cancelled(ProviderRefused("sandbox: card closed"))

    assert (refund.status, refund.attempts, refund.last_error) == (
        "failed",
        1,
        "sandbox: card closed",
    )
    anomaly = PaymentAnomaly.objects.get()
    assert (anomaly.kind, anomaly.source, anomaly.payment_id, anomaly.expected) == (
        "refund_failed",
        "refund",
        refund.payment_id,
        "2220.32 RUB",
    )
    assert anomaly.detail == "sandbox: card closed"
    # a failed refund is not retried by itself
    move_clock(monkeypatch, by=timedelta(hours=1))
    assert retry_refunds() == 0
    assert sent_entries(refund) == 0
    assert platform("refunds_payable") == CN_BUYER_TOTAL
    assert verify_ledger().ok


def test_the_operator_retries_a_failed_refund(cancelled):
    refund = cancelled(ProviderRefused("sandbox: card closed"))

    retried = retry_failed_refund(refund_public_id=refund.public_id)

    assert (retried.status, retried.attempts, retried.last_error) == ("succeeded", 1, "")
    assert SandboxRefund.objects.get().amount == CN_BUYER_TOTAL.amount
    assert sent_entries(refund) == 1
    assert platform("refunds_payable") == Money("0", "RUB")
    assert verify_ledger().ok


def test_only_a_failed_refund_can_be_retried_by_the_operator(cancelled):
    refund = cancelled(ProviderUnavailable("sandbox: 503"))
    send_refund(refund_id=refund.id)

    with pytest.raises(InvalidTransition):
        retry_failed_refund(refund_public_id=refund.public_id)

    assert Refund.objects.get(id=refund.id).status == "succeeded"
    assert SandboxRefund.objects.count() == 1


def test_a_retried_refund_refused_again_is_flagged_again(cancelled, monkeypatch):
    refund = cancelled(ProviderRefused("sandbox: card closed"))
    PaymentAnomaly.objects.update(resolved_at=refund.created_at)  # the operator looked at it
    monkeypatch.setattr(SandboxGateway, "refund", raising(ProviderRefused("sandbox: still no")))

    retried = retry_failed_refund(refund_public_id=refund.public_id)

    assert (retried.status, retried.attempts) == ("failed", 1)
    assert list(PaymentAnomaly.objects.order_by("id").values_list("detail", "resolved_at")) == [
        ("sandbox: card closed", refund.created_at),
        ("sandbox: still no", None),
    ]


def test_a_refund_out_of_reach_too_many_times_fails_and_is_flagged(cancelled, monkeypatch):
    refund = cancelled(ProviderUnavailable("sandbox: 503"))
    Refund.objects.filter(id=refund.id).update(attempts=MAX_ATTEMPTS - 1)
    monkeypatch.setattr(SandboxGateway, "refund", raising(ProviderUnavailable("sandbox: 504")))

    failed = send_refund(refund_id=refund.id)

    assert (failed.status, failed.attempts, failed.last_error) == (
        "failed",
        MAX_ATTEMPTS,
        "sandbox: 504",
    )
    assert PaymentAnomaly.objects.get().kind == "refund_failed"


def test_a_refund_the_provider_answers_as_failed_is_flagged(cancelled):
    refund = cancelled(ProviderUnavailable("sandbox: 503"))

    def failed_refund(self, *, payment_reference, amount, idempotency_key, reason):
        return ProviderRefund(
            reference="sbr_failed",
            payment_reference=payment_reference,
            amount=amount,
            status=RefundStatus.FAILED,
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SandboxGateway, "refund", failed_refund)
        answered = send_refund(refund_id=refund.id)

    assert (answered.status, answered.attempts, answered.provider_reference) == (
        "failed",
        2,
        "sbr_failed",
    )
    anomaly = PaymentAnomaly.objects.get()
    assert (anomaly.kind, anomaly.detail, anomaly.expected) == (
        "refund_failed",
        "refused by the provider",
        "2220.32 RUB",
    )
    assert sent_entries(refund) == 0
    assert platform("refunds_payable") == CN_BUYER_TOTAL
