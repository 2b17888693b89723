from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from caravan.kernel.money import Money
from caravan.ledger.flows import (
    post_capture,
    post_payout,
    post_payout_settled,
    post_refund_sent,
)
from caravan.ledger.selectors import (
    SellerBalance,
    escrow_held,
    get_balance,
    list_entries,
    list_statement,
    provider_clearing,
    seller_balances,
    trial_balance,
)

from .factories import captured_and_released, cny, cross_share, rub, same_share

pytestmark = pytest.mark.django_db


def at(monkeypatch: pytest.MonkeyPatch, day: int) -> None:
    moment = datetime(2026, 12, day, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def seller_history(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seller 3 (CNY): two orders paid, one released, a payout settled and one in transit."""
    at(monkeypatch, 1)
    captured_and_released(commission="8.00")  # escrow 100 -> payable 92
    at(monkeypatch, 2)
    post_capture(
        key="capture:33",
        memo="Order B",
        shares=[cross_share(seller_order_id=33, buyer="634.38", seller="50.00", margin="9.38")],
    )
    at(monkeypatch, 3)
    post_payout(key="payout:1", memo="Payout 1", seller_id=3, amount=cny("40.00"))
    post_payout_settled(key="payout_settled:1", memo="Payout 1", seller_id=3, amount=cny("40.00"))
    at(monkeypatch, 4)
    post_payout(key="payout:2", memo="Payout 2", seller_id=3, amount=cny("20.00"))


def test_seller_balances_show_every_figure_positive(monkeypatch):
    seller_history(monkeypatch)

    assert seller_balances(seller_id=3) == [
        SellerBalance(
            currency="CNY",
            in_escrow=cny("50.00"),
            available=cny("32.00"),
            receivable=cny("0"),
            in_transit=cny("20.00"),
            paid_out=cny("40.00"),
        )
    ]
    assert seller_balances(seller_id=4) == []


def test_get_balance_by_reference_or_over_all_references(monkeypatch):
    seller_history(monkeypatch)

    assert get_balance(
        purpose="escrow", party="seller:3", currency="CNY", reference="seller_order:33"
    ) == cny("50.00")
    assert get_balance(
        purpose="escrow", party="seller:3", currency="CNY", reference="seller_order:30"
    ) == cny("0")
    assert get_balance(purpose="escrow", party="seller:3", currency="CNY") == cny("50.00")
    assert get_balance(purpose="commission_revenue", party="platform", currency="CNY") == cny(
        "8.00"
    )
    assert get_balance(purpose="payout_bank", party="platform", currency="CNY") == cny("-40.00")
    assert get_balance(purpose="fx_position", party="platform", currency="RUB") == rub("-1875.00")


def test_the_statement_shows_the_sellers_side_with_a_running_balance(monkeypatch):
    seller_history(monkeypatch)

    rows = list_statement(party="seller:3")

    assert [
        (row.created_at.day, row.kind, row.purpose, row.reference, row.amount, row.balance)
        for row in rows
    ] == [
        (1, "capture", "escrow", "seller_order:30", cny("100.00"), cny("100.00")),
        (1, "release", "escrow", "seller_order:30", cny("-100.00"), cny("0.00")),
        (1, "release", "seller_payable", "", cny("92.00"), cny("92.00")),
        (2, "capture", "escrow", "seller_order:33", cny("50.00"), cny("142.00")),
        (3, "payout", "seller_payable", "", cny("-40.00"), cny("102.00")),
        (3, "payout", "payouts_in_transit", "", cny("40.00"), cny("142.00")),
        (3, "payout_settled", "payouts_in_transit", "", cny("-40.00"), cny("102.00")),
        (4, "payout", "seller_payable", "", cny("-20.00"), cny("82.00")),
        (4, "payout", "payouts_in_transit", "", cny("20.00"), cny("102.00")),
    ]
    assert (rows[3].memo, rows[3].date) == ("Order B", date(2026, 12, 2))


def test_a_filtered_statement_keeps_the_running_balance_of_everything(monkeypatch):
    seller_history(monkeypatch)

    rows = list_statement(
        party="seller:3",
        currency="CNY",
        kinds=["payout_settled", "payout"],
        since=date(2026, 12, 3),
        until=date(2026, 12, 3),
    )

    assert [(row.kind, row.amount, row.balance) for row in rows] == [
        ("payout", cny("-40.00"), cny("102.00")),
        ("payout", cny("40.00"), cny("142.00")),
        ("payout_settled", cny("-40.00"), cny("102.00")),
    ]
    assert list_statement(party="seller:3", currency="RUB") == []


def test_the_trial_balance_balances_per_currency(monkeypatch):
    seller_history(monkeypatch)
    post_capture(key="capture:p9", memo="", shares=[same_share()])
    post_refund_sent(key="refund_sent:1", memo="", buyer_amount=rub("100.00"))

    totals = {row.currency: row for row in trial_balance()}

    assert sorted(totals) == ["CNY", "RUB"]
    assert (totals["CNY"].debit, totals["CNY"].credit) == (cny("150.00"), cny("150.00"))
    assert totals["CNY"].by_purpose == {
        "commission_revenue": cny("-8.00"),
        "escrow": cny("-50.00"),
        "fx_position": cny("150.00"),
        "payout_bank": cny("-40.00"),
        "payouts_in_transit": cny("-20.00"),
        "seller_payable": cny("-32.00"),
    }
    assert totals["RUB"].balanced
    assert totals["RUB"].by_purpose["provider_clearing"] == rub("2303.13")
    assert totals["RUB"].by_purpose["refunds_payable"] == rub("100.00")


def test_escrow_held_against_what_the_provider_owes(monkeypatch):
    seller_history(monkeypatch)
    post_capture(key="capture:p9", memo="", shares=[same_share()])

    assert escrow_held(currency="CNY") == cny("50.00")
    assert escrow_held(currency="RUB") == rub("500.00")
    assert provider_clearing(currency="RUB") == rub("2403.13")
    assert escrow_held(currency="EUR") == Money(0, "EUR")


def test_list_entries_newest_first_with_their_postings(monkeypatch, django_assert_num_queries):
    seller_history(monkeypatch)
    post_capture(key="capture:p9", memo="", shares=[same_share()])

    with django_assert_num_queries(2):
        entries = [
            (entry.key, [(p.account.purpose, p.amount) for p in entry.postings.all()])
            for entry in list_entries(party="seller:3", since=date(2026, 12, 3))
        ]

    assert entries == [
        (
            "payout:2",
            [("seller_payable", Decimal("20.00")), ("payouts_in_transit", Decimal("-20.00"))],
        ),
        (
            "payout_settled:1",
            [("payouts_in_transit", Decimal("40.00")), ("payout_bank", Decimal("-40.00"))],
        ),
        (
            "payout:1",
            [("seller_payable", Decimal("40.00")), ("payouts_in_transit", Decimal("-40.00"))],
        ),
    ]
    assert [entry.key for entry in list_entries(reference="seller_order:30")] == [
        "release:30",
        "capture:30",
    ]
    assert [entry.key for entry in list_entries(kind="capture")] == [
        "capture:p9",
        "capture:33",
        "capture:30",
    ]
