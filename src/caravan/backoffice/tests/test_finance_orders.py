"""The operator's view of one seller order's money and its refund form."""

from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from tests.finance_factories import make_operator, paid_order, released_order

from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry, Posting
from caravan.payments.models import Payment, Refund

pytestmark = pytest.mark.django_db


def test_an_order_is_found_by_its_number(client, market):
    order = paid_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    client.force_login(make_operator())

    found = client.get(reverse("backoffice:finance_order_find"), {"number": seller_order.number})
    missing = client.get(reverse("backoffice:finance_order_find"), {"number": "NOPE-1"})

    assert found.status_code == 302
    assert found["Location"] == reverse("backoffice:finance_order", args=[seller_order.public_id])
    assert missing.status_code == 404
    assert "No seller order has the number NOPE-1." in missing.content.decode()


def test_the_order_page_shows_both_sides_fx_commission_escrow_and_entries(client, market):
    # given a paid order with a yuan seller order charged in roubles
    order = paid_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_cn)
    payment = Payment.objects.get(order=order, settles_order=True)
    client.force_login(make_operator())

    response = client.get(reverse("backoffice:finance_order", args=[seller_order.public_id]))

    assert response.status_code == 200
    context = response.context
    assert context["seller_order"].buyer_total == Money("2220.32", "RUB")
    assert context["seller_order"].total == Money("175", "CNY")
    assert context["refundable"] == Money("2220.32", "RUB")
    assert context["escrow"].held == Money("175", "CNY")
    assert [row.entry.key for row in context["entries"]] == [f"capture:{payment.public_id}"]
    content = response.content.decode()
    assert str(Money("2220.32", "RUB")) in content
    assert str(Money("32.82", "RUB")) in content  # the FX margin of this seller order
    assert "12.687500" in content  # 12.50 x 1.015, the rate charged
    assert 'data-testid="refund-form"' in content


def test_a_bad_refund_amount_shows_the_error_and_changes_nothing(client, market):
    order = paid_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    entries = JournalEntry.objects.count()
    client.force_login(make_operator())

    too_much = client.post(
        reverse("backoffice:finance_order_refund", args=[seller_order.public_id]),
        {"amount": "5300.01", "reason": "broken"},
    )
    negative = client.post(
        reverse("backoffice:finance_order_refund", args=[seller_order.public_id]),
        {"amount": "-5", "reason": "broken"},
    )
    no_reason = client.post(
        reverse("backoffice:finance_order_refund", args=[seller_order.public_id]),
        {"amount": "100", "reason": ""},
    )

    assert too_much.status_code == 400
    assert too_much.context["form"].errors == {
        "amount": [f"At most {Money('5300', 'RUB')} can still be refunded on this order."]
    }
    assert 'data-testid="amount-error"' in too_much.content.decode()
    assert negative.status_code == 400
    assert negative.context["form"].errors == {"amount": ["Enter a positive amount."]}
    assert no_reason.status_code == 400
    assert list(no_reason.context["form"].errors) == ["reason"]
    assert Refund.objects.count() == 0
    assert JournalEntry.objects.count() == entries
    assert Payment.objects.get(order=order, settles_order=True).refunded_amount == 0


def test_the_operator_refunds_chosen_lines_before_release(client, market):
    # given the rouble seller order of two units at 2500
    order = paid_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    line = seller_order.lines.get()
    client.force_login(make_operator())

    # when the operator refunds one of the two units
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("backoffice:finance_order_refund", args=[seller_order.public_id]),
            {"amount": "", f"line_{line.id}": "1", "reason": "one arrived broken"},
        )

    # then one unit's buyer price is refunded out of escrow and sent to the provider
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert refund.kind == Refund.Kind.OPERATOR
    assert refund.money == Money("2500", "RUB")
    assert refund.lines == [[line.id, 1]]
    assert refund.status == Refund.Status.SUCCEEDED
    assert not refund.after_release
    page = client.get(reverse("backoffice:finance_order", args=[seller_order.public_id]))
    assert page.context["refundable"] == Money("2800", "RUB")
    assert page.context["escrow"].held == Money("2800", "RUB")
    assert [row.entry.kind for row in page.context["entries"]] == [
        "capture",
        "refund",
        "refund_sent",
    ]


def test_the_operator_refunds_an_amount_after_release(client, market, monkeypatch):
    # given a released order (commission 250 RUB taken)
    order = released_order(market, monkeypatch)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    client.force_login(make_operator())

    # when the operator refunds 2500 RUB
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("backoffice:finance_order_refund", args=[seller_order.public_id]),
            {"amount": "2500", "reason": "arrived broken"},
        )

    # then the seller gives it back less its share of commission (ADR 0006)
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert refund.after_release
    assert refund.commission_returned_amount == Decimal("117.92")
    page = client.get(reverse("backoffice:finance_order", args=[seller_order.public_id]))
    assert page.context["escrow"].released_at is not None
    assert [row.entry.kind for row in page.context["entries"]] == [
        "capture",
        "release",
        "clawback",
        "refund_sent",
    ]
    assert Posting.objects.filter(entry__key=f"refund:{refund.public_id}").count() > 0


def test_refunding_both_an_amount_and_lines_is_refused(client, market):
    order = paid_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    line = seller_order.lines.get()
    client.force_login(make_operator())

    response = client.post(
        reverse("backoffice:finance_order_refund", args=[seller_order.public_id]),
        {"amount": "100", f"line_{line.id}": "1", "reason": "both"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Refund either an amount or some lines, not both."
    ]
    assert Refund.objects.count() == 0
