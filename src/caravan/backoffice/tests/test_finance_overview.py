"""The back office's finance overview, FX rates, anomalies and refunds queue, with money made
through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from tests.factories import make_user
from tests.finance_factories import make_operator, paid_order, released_order

from caravan.finance.services import cancel_by_buyer
from caravan.fx.services import record_rate
from caravan.kernel.clock import now
from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.payments.gateways.base import ProviderRefused
from caravan.payments.models import PaymentAnomaly, Refund
from caravan.payments.sandbox import SandboxGateway
from caravan.payments.services import flag

pytestmark = pytest.mark.django_db


def test_the_trial_balance_nets_to_zero_in_every_currency(client, market):
    # given a paid two-seller order: roubles charged, a rouble and a yuan seller order
    paid_order(market)
    client.force_login(make_operator())

    # when the operator opens the finance overview
    response = client.get(reverse("backoffice:finance"))

    # then each currency's debit and credit columns are equal, shown as such
    assert response.status_code == 200
    tables = {table.currency: table for table in response.context["tables"]}
    assert sorted(tables) == ["CNY", "RUB"]
    rub = tables["RUB"]
    assert rub.debit == Money("7520.32", "RUB")
    assert rub.credit == Money("7520.32", "RUB")
    assert [(line.purpose, line.debit, line.credit) for line in rub.lines] == [
        ("escrow", None, Money("5300", "RUB")),
        ("fx_margin_revenue", None, Money("32.82", "RUB")),
        ("fx_position", None, Money("2187.50", "RUB")),
        ("provider_clearing", Money("7520.32", "RUB"), None),
    ]
    assert tables["CNY"].debit == tables["CNY"].credit == Money("175", "CNY")
    assert response.context["all_balanced"] is True
    content = response.content.decode()
    assert content.count('data-testid="trial-balanced"') == 2
    assert f'data-testid="trial-difference">{Money("0", "RUB")}<' in content
    assert f'data-testid="trial-difference">{Money("0", "CNY")}<' in content
    held = {row.currency: row for row in response.context["held"]}
    assert held["RUB"].escrow == Money("5300", "RUB")
    assert held["RUB"].clearing == Money("7520.32", "RUB")
    assert held["CNY"].escrow == Money("175", "CNY")


def test_the_ledger_is_verified_on_request(client, market):
    paid_order(market)
    client.force_login(make_operator())

    response = client.get(reverse("backoffice:finance"), {"verify": "1"})

    assert response.context["verify"].ok
    assert 'data-testid="verify-ok"' in response.content.decode()


def test_the_chart_shows_gmv_commission_and_escrow_per_day_in_one_currency(
    client, market, monkeypatch
):
    # given an order released 16 days after it was paid
    released_order(market, monkeypatch)
    client.force_login(make_operator())

    # when the operator looks at the roubles chart
    response = client.get(reverse("backoffice:finance"), {"currency": "RUB"})

    # then GMV was charged 16 days ago, commission earned today, escrow empty again
    chart = response.context["chart"]
    assert chart.currency == "RUB"
    assert response.context["chart_currencies"] == ["CNY", "RUB"]
    gmv, commission, escrow = chart.panels
    assert [bar.height > 0 for bar in gmv.bars].count(True) == 1
    assert gmv.bars[-17].height > 0  # the payment day: today is the last of 30
    assert commission.bars[-1].height > 0 and commission.bars[-2].height == 0
    assert escrow.bars[-1].height == 0 and escrow.bars[-2].height > 0
    assert gmv.summary == f"{Money('7520.32', 'RUB')} in 30 days"
    assert commission.summary == f"{Money('250', 'RUB')} in 30 days"
    assert escrow.summary == f"{Money('0', 'RUB')} now"
    assert response.content.decode().count('class="finance-chart-bar-gmv"') == 30


def test_finance_pages_are_for_operator_staff_only(client, market):
    client.force_login(make_user())

    response = client.get(reverse("backoffice:finance"))

    assert response.status_code == 403


def test_a_stale_rate_is_red_and_counted(client, market):
    # given a rate four days old next to today's rates
    record_rate(
        base="USD",
        quote="RUB",
        rate=Decimal("90"),
        source="cbr",
        rate_date=(now() - timedelta(days=4)).date(),
    )
    client.force_login(make_operator())

    response = client.get(reverse("backoffice:finance_fx"))

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["stale_count"] == 1
    assert content.count('data-testid="fx-row-stale"') == 1
    assert 'data-testid="stale-warning"' in content
    assert "caravan fx-import" in content
    stale = [rate for rate, _age in response.context["rates"] if rate.is_stale]
    assert [(rate.base, rate.quote) for rate in stale] == [("USD", "RUB")]


def test_an_anomaly_is_listed_until_marked_resolved(client, market):
    flag(
        provider="sandbox",
        kind=PaymentAnomaly.Kind.AMOUNT_MISMATCH,
        source=PaymentAnomaly.Source.RECONCILIATION,
        fingerprint="test:1",
        provider_reference="sb_123",
        expected="100.00 RUB",
        observed="90.00 RUB",
        detail="amounts differ",
    )
    anomaly = PaymentAnomaly.objects.get()
    client.force_login(make_operator())
    overview = client.get(reverse("backoffice:finance"))
    assert overview.context["counts"].reconciliation_anomalies == 1

    listed = client.get(reverse("backoffice:finance_anomalies"), {"source": "reconciliation"})
    assert [row.id for row in listed.context["page"].object_list] == [anomaly.id]

    response = client.post(reverse("backoffice:finance_anomaly_resolve", args=[anomaly.id]))

    assert response.status_code == 302
    anomaly.refresh_from_db()
    assert anomaly.resolved_at is not None
    after = client.get(reverse("backoffice:finance_anomalies"))
    assert list(after.context["page"].object_list) == []
    assert 'data-testid="anomalies-empty"' in after.content.decode()


def test_reconciling_a_day_with_the_sandbox_reports_what_it_checked(client, market):
    paid_order(market)
    client.force_login(make_operator())

    response = client.post(
        reverse("backoffice:finance_reconcile"),
        {"provider": "sandbox", "day": timezone.localdate(now()).isoformat()},
    )

    assert response.status_code == 200
    assert response.context["report_lines"] == []
    assert PaymentAnomaly.objects.count() == 0


def test_a_refused_refund_waits_in_the_queue_and_is_retried(client, market, monkeypatch):
    # given a refund the provider refuses
    order = paid_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_cn)

    def refuse(self, **kwargs):  # type: ignore[no-untyped-def]
        raise ProviderRefused("card account closed")

    monkeypatch.setattr(SandboxGateway, "refund", refuse)
    with TestCase.captureOnCommitCallbacks(execute=True):
        refund = cancel_by_buyer(buyer=market.buyer, seller_order_public_id=seller_order.public_id)
    refund.refresh_from_db()
    assert refund.status == Refund.Status.FAILED
    client.force_login(make_operator())

    listed = client.get(reverse("backoffice:finance_refunds"), {"status": "failed"})
    assert [row.public_id for row in listed.context["page"].object_list] == [refund.public_id]
    assert "card account closed" in listed.content.decode()

    # when the provider accepts again and the operator retries
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("backoffice:finance_refund_retry", args=[refund.public_id]))

    # then the refund went through and left the queue
    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert JournalEntry.objects.filter(key=f"refund_sent:{refund.public_id}").exists()
    after = client.get(reverse("backoffice:finance_refunds"))
    assert list(after.context["page"].object_list) == []
