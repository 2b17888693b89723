from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from caravan.ledger.flows import post_capture, post_payout, post_refund_from_payable
from caravan.ledger.models import Account, JournalEntry, Posting
from caravan.ledger.verify import Violation, verify_ledger

from .factories import captured_and_released, cny, cross_share, rub, same_share

pytestmark = pytest.mark.django_db


def busy_ledger() -> None:
    """A capture in two currencies, a release, a payout and a clawback with a shortfall."""
    post_capture(key="capture:p0", memo="", shares=[same_share()])
    captured_and_released(commission="8.00")
    post_payout(key="payout:1", memo="", seller_id=3, amount=cny("80.00"))
    post_refund_from_payable(
        key="refund:r1",
        memo="",
        seller_order_id=30,
        seller_id=3,
        buyer_amount=rub("1268.75"),
        seller_amount=cny("100.00"),
        fx_margin=rub("18.75"),
        commission_returned=cny("8.00"),
    )


def test_a_clean_ledger_verifies_with_its_totals_per_currency():
    busy_ledger()

    report = verify_ledger()

    assert report.violations == []
    assert [(t.currency, t.debit, t.credit) for t in report.totals] == [
        ("CNY", cny("380.00"), cny("380.00")),
        ("RUB", rub("3037.50"), rub("3037.50")),
    ]


def test_the_command_prints_the_totals_and_ok():
    busy_ledger()
    out = StringIO()

    call_command("ledger_verify", stdout=out)

    assert out.getvalue().splitlines() == [
        "CNY  debit 380.00  credit 380.00",
        "RUB  debit 3037.50  credit 3037.50",
        "OK",
    ]


def test_a_tampered_cached_balance_is_reported_and_the_command_fails():
    busy_ledger()
    Account.objects.filter(purpose="seller_payable", party="seller:3").update(balance_amount=-1)
    err = StringIO()

    report = verify_ledger()
    with pytest.raises(CommandError):
        call_command("ledger_verify", stdout=StringIO(), stderr=err)

    assert report.violations == [
        Violation(
            "stale_balance", "seller_payable seller:3 CNY: cached -1.00, postings sum to 0.00"
        )
    ]
    assert err.getvalue() == (
        "stale_balance: seller_payable seller:3 CNY: cached -1.00, postings sum to 0.00\n"
    )


def test_an_account_on_the_wrong_side_is_reported():
    post_capture(key="capture:p0", memo="", shares=[same_share()])
    escrow = Account.objects.get(purpose="escrow")
    entry = Posting.objects.get(account=escrow).entry
    # What a bug bypassing post_entry would write: escrow debited, balanced by clearing.
    clearing = Account.objects.get(purpose="provider_clearing")
    Posting.objects.bulk_create(
        [
            Posting(entry=entry, account=escrow, amount=600, currency="RUB"),
            Posting(entry=entry, account=clearing, amount=-600, currency="RUB"),
        ]
    )

    report = verify_ledger()

    # the clearing account keeps no cache to go stale: it is summed from its postings
    assert [v.code for v in report.violations] == ["stale_balance", "wrong_side", "wrong_side"]
    assert report.violations[1:] == [
        Violation("wrong_side", "escrow seller:4 seller_order:40 RUB is on the debit side: 100.00"),
        Violation("wrong_side", "provider_clearing platform RUB is on the credit side: -100.00"),
    ]


def test_a_platform_account_refuses_a_cached_balance_and_a_seller_account_needs_one():
    post_capture(key="capture:p0", memo="", shares=[same_share()])

    with (
        pytest.raises(IntegrityError, match="ledger_account_cached_unless_platform"),
        transaction.atomic(),
    ):
        Account.objects.filter(purpose="provider_clearing").update(balance_amount=500)
    with (
        pytest.raises(IntegrityError, match="ledger_account_cached_unless_platform"),
        transaction.atomic(),
    ):
        Account.objects.filter(purpose="escrow").update(balance_amount=None)

    assert sorted(Account.objects.values_list("purpose", "balance_amount")) == [
        ("escrow", -500),
        ("provider_clearing", None),
    ]
    assert verify_ledger().violations == []


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL refuses it at commit (test_postgres)"
)
def test_an_unbalanced_entry_is_reported():
    post_capture(key="capture:p0", memo="", shares=[cross_share()])
    clearing = Account.objects.get(purpose="provider_clearing")
    entry = Posting.objects.filter(account=clearing).get().entry
    Posting.objects.create(entry=entry, account=clearing, amount="0.01", currency="RUB")

    report = verify_ledger()

    assert Violation("unbalanced_entry", "entry capture:p0 sums to 0.01 RUB") in report.violations


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite triggers")
def test_sqlite_refuses_to_update_a_posting_or_an_entry():
    post_capture(key="capture:p0", memo="", shares=[same_share()])

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Posting.objects.update(amount=1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        JournalEntry.objects.update(memo="changed")

    assert sorted(Posting.objects.values_list("amount", flat=True)) == [-500, 500]
    assert list(JournalEntry.objects.values_list("memo", flat=True)) == [""]


@pytest.mark.django_db(transaction=True)
def test_a_committed_ledger_verifies_and_the_test_database_still_flushes():
    # The append-only triggers must leave Django's flush (DELETE on SQLite, TRUNCATE on
    # PostgreSQL) working: transactional tests and `seed-demo --reset` use it.
    busy_ledger()

    assert verify_ledger().violations == []
