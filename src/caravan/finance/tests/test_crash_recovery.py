"""A crash between the provider's charge and our commit: the notification catches up, and the
day reconciles without a mismatch."""

import pytest
from django.utils import timezone
from tests.factories import build_market, check_out_cart, fill_cart

from caravan.finance.reconciliation import reconcile
from caravan.kernel.clock import now
from caravan.kernel.money import Money
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import PLATFORM
from caravan.ledger.verify import verify_ledger
from caravan.orders.models import Order
from caravan.payments.gateways.base import ProviderUnavailable
from caravan.payments.models import Payment, PaymentAnomaly, SandboxSession
from caravan.payments.sandbox import SandboxGateway, resolve_session

pytestmark = pytest.mark.django_db

# 2 x 2500 + 300 RUB, and 8 x 150 + 25 CNY at 12.50 with the 150 bps margin, in roubles
TOTAL = Money("20842.23", "RUB")


@pytest.fixture
def market():
    return build_market()


def checkout(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 8)])
    return check_out_cart(user=market.buyer, address=market.address, cart=cart)


def test_a_crash_between_the_providers_charge_and_our_commit_is_caught_up_by_the_notification(
    market, monkeypatch, django_capture_on_commit_callbacks
):
    # given the provider created and the buyer approved a payment whose reference we never
    # recorded (the process died before its second transaction)
    real = SandboxGateway.create_payment

    def crash(self, **kwargs):
        real(self, **kwargs)
        raise ProviderUnavailable("process died")

    with monkeypatch.context() as patch:
        patch.setattr(SandboxGateway, "create_payment", crash)
        result = checkout(market)
    assert Payment.objects.get(id=result.payment.id).provider_reference == ""
    session = SandboxSession.objects.get()

    # when the buyer approves on the provider's page and it notifies us
    with django_capture_on_commit_callbacks(execute=True):
        resolve_session(reference=session.reference, approved=True)
        # and the same notification comes again
        resolve_session(reference=session.reference, approved=True)

    # then our payment is found by its merchant reference and captured once
    payment = Payment.objects.get(id=result.payment.id)
    assert (payment.status, payment.provider_reference, payment.settles_order) == (
        Payment.Status.CAPTURED,
        session.reference,
        True,
    )
    assert Order.objects.get(id=result.order.id).status == Order.Status.PAID
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == TOTAL
    # and the day reconciles with the provider without a mismatch
    report = reconcile(provider="sandbox", day=timezone.localdate(now()))
    assert (report.payments_checked, report.mismatches) == (1, [])
    assert PaymentAnomaly.objects.count() == 0
    assert verify_ledger().ok
