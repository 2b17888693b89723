"""The seller's Finance section: balances, statement (and its CSV), payouts and remittance,
each seller seeing only its own money; and the seller's cancellation of a paid parcel."""

import csv
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from tests.factories import add_member, make_user
from tests.finance_factories import (
    give_cny_payout_details,
    give_payout_details,
    paid_order,
    released_order,
    ship_and_deliver,
)

from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import StatementRow
from caravan.orders.models import SellerOrder
from caravan.payments.models import Refund
from caravan.payouts.models import Payout
from caravan.payouts.services import run_payouts
from caravan.seller_portal.statement import SellerStatementRow, statement_csv_rows

from .portal_helpers import owner_of

pytestmark = pytest.mark.django_db


def paid_out(market, monkeypatch):  # type: ignore[no-untyped-def]
    """Both sellers released and paid out: (rouble payout, yuan payout)."""
    released_order(market, monkeypatch)
    give_payout_details(market.seller_ru)
    give_cny_payout_details(market.seller_cn)
    run_payouts()
    return (
        Payout.objects.get(seller=market.seller_ru),
        Payout.objects.get(seller=market.seller_cn),
    )


def test_balances_show_the_sellers_own_money_per_currency(client, market):
    # given a paid order: 5300 RUB held for the rouble seller, 175 CNY for the yuan seller
    paid_order(market)
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:finance"))

    assert response.status_code == 200
    (balance,) = response.context["balances"]
    assert (balance.currency, balance.in_escrow, balance.available, balance.paid_out) == (
        "RUB",
        Money("5300", "RUB"),
        Money("0", "RUB"),
        Money("0", "RUB"),
    )
    content = response.content.decode()
    assert 'data-testid="balance-RUB"' in content
    assert 'data-testid="balance-CNY"' not in content
    assert str(Money("175", "CNY")) not in content


def test_payouts_list_only_the_sellers_own_and_anothers_remittance_is_404(
    client, market, monkeypatch
):
    ours, theirs = paid_out(market, monkeypatch)
    client.force_login(owner_of(market.seller_ru))

    page = client.get(reverse("seller_portal:finance"))
    own = client.get(reverse("seller_portal:finance_remittance", args=[ours.public_id]))
    other = client.get(reverse("seller_portal:finance_remittance", args=[theirs.public_id]))

    assert [payout.public_id for payout in page.context["payouts"].object_list] == [ours.public_id]
    (balance,) = page.context["balances"]
    assert balance.in_transit == Money("5050", "RUB")
    content = page.content.decode()
    assert theirs.public_id not in content
    assert "Shenzhen" not in content
    assert own.status_code == 200
    assert own["Content-Disposition"] == f'attachment; filename="payout-{ours.public_id}.txt"'
    text = own.content.decode()
    assert ours.public_id in text
    assert theirs.public_id not in text and "Shenzhen" not in text
    assert other.status_code == 404


def test_the_statement_csv_has_exact_rows(client, market, monkeypatch):
    # given the rouble seller's order captured and released (commission 250 RUB)
    order = released_order(market, monkeypatch)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    capture, release = (
        JournalEntry.objects.filter(postings__account__party=f"seller:{market.seller_ru.id}")
        .distinct()
        .order_by("id")
    )
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:finance_statement_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))

    def day(entry: JournalEntry) -> str:
        return f"{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M}"

    number = seller_order.number
    assert rows == [
        ["date", "entry", "kind", "order", "account", "memo", "currency", "amount", "balance"],
        [day(capture), str(capture.id), "payment captured", number, "In escrow", capture.memo,
         "RUB", "5300.00", "5300.00"],
        [day(release), str(release.id), "escrow released", number, "In escrow", release.memo,
         "RUB", "-5300.00", "0.00"],
        [day(release), str(release.id), "escrow released", "", "Available", release.memo,
         "RUB", "5050.00", "5050.00"],
    ]  # fmt: skip


def test_statement_filters_by_kind_and_refuses_an_upside_down_date_range(
    client, market, monkeypatch
):
    released_order(market, monkeypatch)
    client.force_login(owner_of(market.seller_ru))
    url = reverse("seller_portal:finance_statement")

    released = client.get(url, {"kind": "release", "currency": "RUB"})
    upside_down = client.get(url, {"since": "2026-12-10", "until": "2026-12-01"})

    assert released.status_code == 200
    assert [item.row.kind for item in released.context["page"].object_list] == [
        "release",
        "release",
    ]
    # newest first: the payable's credit was posted after the escrow's debit
    assert [item.row.amount for item in released.context["page"].object_list] == [
        Money("5050", "RUB"),
        Money("-5300", "RUB"),
    ]
    assert upside_down.status_code == 400
    assert upside_down.context["form"].errors == {
        "until": ["The end date is before the start date."]
    }


def test_csv_cells_a_spreadsheet_would_run_are_neutralised():
    row = StatementRow(
        entry_id=7,
        created_at=timezone.now(),
        kind="adjustment",
        memo='=HYPERLINK("http://evil.example")',
        purpose="seller_payable",
        reference="",
        amount=Money("-10", "RUB"),
        balance=Money("-10", "RUB"),
    )
    item = SellerStatementRow(
        row=row,
        kind_label="adjustment",
        account_label="Available",
        order_number="+7 999",
        order_public_id="",
    )

    (_header, cells) = list(statement_csv_rows([item]))

    assert cells[3:] == [
        "'+7 999",
        "Available",
        '\'=HYPERLINK("http://evil.example")',
        "RUB",
        "-10.00",
        "-10.00",
    ]


@pytest.mark.parametrize(("role", "status"), [("finance", 200), ("catalog", 403)])
def test_finance_pages_are_for_owner_and_finance(client, market, role, status):
    member = add_member(seller=market.seller_ru, role=role, user=make_user())
    client.force_login(member)

    for name in ("finance", "finance_statement", "finance_statement_export"):
        assert client.get(reverse(f"seller_portal:{name}")).status_code == status


def test_fulfilment_cancels_a_paid_parcel_with_a_reason(client, market):
    order = paid_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    client.force_login(add_member(seller=market.seller_ru, role="fulfilment"))
    url = reverse("seller_portal:order_cancel", args=[seller_order.public_id])

    page = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))
    assert 'data-testid="cancel-form"' in page.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"reason": "The last unit was damaged in the warehouse"})

    assert response.status_code == 302
    seller_order.refresh_from_db()
    assert seller_order.status == SellerOrder.Status.CANCELLED
    refund = Refund.objects.get(seller_order=seller_order)
    assert refund.kind == Refund.Kind.SELLER_CANCELLED
    assert refund.money == Money("5300", "RUB")
    assert refund.reason == "The last unit was damaged in the warehouse"


def test_a_cancellation_needs_a_reason_and_a_shipped_parcel_cannot_be_cancelled(client, market):
    order = paid_order(market)
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    client.force_login(owner_of(market.seller_ru))
    url = reverse("seller_portal:order_cancel", args=[seller_order.public_id])

    blank = client.post(url, {"reason": "  "})
    assert blank.status_code == 400
    assert list(blank.context["cancel_form"].errors) == ["reason"]
    ship_and_deliver(order, market)
    shipped = client.post(url, {"reason": "too late"})

    assert shipped.status_code == 400
    assert shipped.context["cancel_form"].non_field_errors() == [
        "Only a paid parcel that has not shipped yet can be cancelled."
    ]
    seller_order.refresh_from_db()
    assert seller_order.status == SellerOrder.Status.DELIVERED
    assert Refund.objects.count() == 0
