"""Reconciliation of a day whose captures belong to payments opened the day before (a buyer
who pays after midnight): the provider lists payments by the day they were created."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from caravan.finance.reconciliation import reconcile
from caravan.payments.models import Payment, PaymentAnomaly
from tests.factories import check_out_cart, fill_cart, move_clock

from .helpers import build_proof_market, capture_at_provider, on_commit_executed

pytestmark = pytest.mark.django_db


def test_a_payment_opened_one_day_and_captured_the_next_reconciles_on_both_days(monkeypatch):
    # given a checkout on one day, paid by the buyer a day later
    market = build_proof_market()
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    opened_on = timezone.localdate()
    move_clock(monkeypatch, by=timedelta(days=1))
    with on_commit_executed():
        capture_at_provider(result.payment)
    payment = Payment.objects.get()
    assert payment.status == "captured"

    # when both days are reconciled
    reports = [reconcile(provider="sandbox", day=opened_on + timedelta(days=n)) for n in (0, 1)]

    # then neither reports a mismatch: the capture is at the provider, listed on its day
    assert [report.mismatches for report in reports] == [[], []]
    assert PaymentAnomaly.objects.count() == 0
