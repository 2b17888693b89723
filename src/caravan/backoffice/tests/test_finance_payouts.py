"""The payouts queue and the commission rules in the back office."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.finance_factories import give_payout_details, make_operator, released_order

from caravan.commissions.models import CommissionRule
from caravan.kernel.money import Money
from caravan.ledger.selectors import seller_balances
from caravan.payouts.models import Payout, PayoutBatch
from caravan.payouts.statements import StatementError

pytestmark = pytest.mark.django_db


def run(client, market, monkeypatch) -> Payout:  # type: ignore[no-untyped-def]
    """A released order, the rouble seller's details, and the operator runs payouts."""
    released_order(market, monkeypatch)
    give_payout_details(market.seller_ru)
    client.force_login(make_operator())
    response = client.post(reverse("backoffice:finance_payouts_run"))
    assert response.status_code == 302
    return Payout.objects.get(seller=market.seller_ru)


def test_running_payouts_pays_available_balances_and_reports_who_was_skipped(
    client, market, monkeypatch
):
    payout = run(client, market, monkeypatch)

    page = client.get(reverse("backoffice:finance_payouts"), follow=True)

    # the rouble seller is paid 5050 (5300 less 250 commission); the yuan seller has no
    # payout details and is named
    assert payout.money == Money("5050", "RUB")
    assert payout.status == Payout.Status.IN_TRANSIT
    assert [row.public_id for row in page.context["page"].object_list] == [payout.public_id]
    messages = [str(message) for message in page.context["messages"]]
    assert messages[0] == "1 payout created, in 1 bank file."
    assert messages[1].startswith("Shenzhen Tech (")
    batch = PayoutBatch.objects.get()
    download = client.get(reverse("backoffice:finance_batch_file", args=[batch.id]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{batch.file_name}"'
    assert payout.public_id in download.content.decode(
        "cp1251" if batch.currency == "RUB" else "utf-8"
    )


def test_a_payout_is_settled_one_by_one(client, market, monkeypatch):
    payout = run(client, market, monkeypatch)

    response = client.post(reverse("backoffice:finance_payout_settle", args=[payout.public_id]))

    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.status == Payout.Status.SETTLED
    (balance,) = [item for item in seller_balances(seller_id=market.seller_ru.id)]
    assert balance.paid_out == Money("5050", "RUB")
    assert balance.available == Money("0", "RUB")


def test_failing_a_payout_needs_a_reason(client, market, monkeypatch):
    payout = run(client, market, monkeypatch)

    refused = client.post(
        reverse("backoffice:finance_payout_fail", args=[payout.public_id]), {"reason": " "}
    )
    payout.refresh_from_db()
    assert refused.status_code == 400
    assert refused.context["fail_errors"] == {payout.public_id: "Say why the payout failed."}
    assert payout.status == Payout.Status.IN_TRANSIT

    failed = client.post(
        reverse("backoffice:finance_payout_fail", args=[payout.public_id]),
        {"reason": "Account closed"},
    )

    assert failed.status_code == 302
    payout.refresh_from_db()
    assert payout.status == Payout.Status.FAILED
    assert payout.failure_reason == "Account closed"
    (balance,) = seller_balances(seller_id=market.seller_ru.id)
    assert balance.available == Money("5050", "RUB")


def test_a_bank_statement_applies_good_lines_and_shows_each_bad_one(client, market, monkeypatch):
    payout = run(client, market, monkeypatch)
    content = f"payout_id,status,reason\n{payout.public_id},settled,\nghost,settled,\n"

    response = client.post(
        reverse("backoffice:finance_payouts_import"),
        {"file": SimpleUploadedFile("statement.csv", content.encode(), "text/csv")},
    )

    assert response.status_code == 200
    statement = response.context["statement"]
    assert [line.payout_public_id for line in statement.applied] == [payout.public_id]
    assert statement.errors == [StatementError(line=3, message="Unknown payout ghost")]
    assert 'data-testid="statement-errors"' in response.content.decode()
    payout.refresh_from_db()
    assert payout.status == Payout.Status.SETTLED


def test_a_commission_rule_is_created_and_a_bad_one_shows_its_errors(client, market):
    client.force_login(make_operator())
    category = market.product.category
    before = CommissionRule.objects.count()

    bad = client.post(
        reverse("backoffice:finance_commissions"),
        {
            "category": category.id,
            "seller": "",
            "percent": "150",
            "minimum_fee": "10",
            "minimum_fee_currency": "RUB",
            "note": "",
        },
    )
    assert bad.status_code == 400
    assert bad.context["form"].errors == {"percent": ["The percentage must be between 0 and 100"]}
    assert CommissionRule.objects.count() == before

    good = client.post(
        reverse("backoffice:finance_commissions"),
        {
            "category": category.id,
            "seller": market.seller_cn.id,
            "percent": "7.5",
            "minimum_fee": "3",
            "minimum_fee_currency": "CNY",
            "note": "launch deal",
        },
    )

    assert good.status_code == 302
    rule = CommissionRule.objects.get(category=category, seller=market.seller_cn)
    assert (rule.percent, rule.minimum_fee, rule.note) == (
        Decimal("7.50"),
        Money("3", "CNY"),
        "launch deal",
    )
    listed = client.get(reverse("backoffice:finance_commissions"))
    assert rule in list(listed.context["rules"])


def test_a_commission_rule_is_edited_and_deactivated_but_not_the_default(client, market):
    client.force_login(make_operator())
    default = CommissionRule.objects.get(category__isnull=True, seller__isnull=True)
    client.post(
        reverse("backoffice:finance_commissions"),
        {
            "category": market.product.category.id,
            "percent": "8",
            "minimum_fee": "0",
            "minimum_fee_currency": "RUB",
        },
    )
    rule = CommissionRule.objects.get(category=market.product.category)

    edited = client.post(
        reverse("backoffice:finance_commission_edit", args=[rule.id]),
        {"percent": "9.25", "minimum_fee": "15", "minimum_fee_currency": "RUB", "note": ""},
    )
    toggled = client.post(reverse("backoffice:finance_commission_toggle", args=[rule.id]))
    refused = client.post(
        reverse("backoffice:finance_commission_toggle", args=[default.id]), follow=True
    )

    assert edited.status_code == 302
    assert toggled.status_code == 302
    rule.refresh_from_db()
    default.refresh_from_db()
    assert (rule.percent, rule.minimum_fee, rule.is_active) == (
        Decimal("9.25"),
        Money("15", "RUB"),
        False,
    )
    assert default.is_active
    assert [str(message) for message in refused.context["messages"]] == [
        "Commission rule created.",
        "Commission rule saved.",
        "Commission rule deactivated.",
        "The marketplace default rule cannot be deactivated; change its rate instead",
    ]
