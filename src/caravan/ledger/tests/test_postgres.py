"""The database's own guard of the journal, and the locks, on the real PostgreSQL server."""

import threading

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections, transaction

from caravan.ledger.flows import (
    post_capture,
    post_payout,
    post_refund_from_payable,
    post_release,
)
from caravan.ledger.models import Account, JournalEntry, Posting
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import LedgerError
from caravan.ledger.verify import verify_ledger

from .factories import captured_and_released, cny, cross_share, ledger_state, rub, same_share

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda: Posting.objects.update(amount=1),
        lambda: Posting.objects.all().delete(),
        lambda: JournalEntry.objects.update(memo="changed"),
        # The ORM refuses first (postings PROTECT their entry): the trigger guards raw SQL.
        lambda: connection.cursor().execute("DELETE FROM ledger_journalentry"),
    ],
    ids=["update posting", "delete posting", "update entry", "delete entry"],
)
def test_postings_and_entries_cannot_be_updated_or_deleted(change):
    post_capture(key="capture:p0", memo="", shares=[same_share()])
    before = ledger_state()

    with pytest.raises(DatabaseError, match="the ledger is append-only"), transaction.atomic():
        change()

    assert ledger_state() == before
    assert list(JournalEntry.objects.values_list("memo", flat=True)) == [""]


@pytest.mark.django_db(transaction=True)
def test_an_unbalanced_entry_is_refused_at_commit():
    post_capture(key="capture:p0", memo="", shares=[same_share()])
    clearing = Account.objects.get(purpose="provider_clearing")
    before = ledger_state()

    with pytest.raises(IntegrityError, match=r"does not balance: 0\.01 RUB"):  # noqa: SIM117
        with transaction.atomic():
            entry = JournalEntry.objects.create(key="forged", kind="adjustment")
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO ledger_posting (entry_id, account_id, amount, currency) "
                    "VALUES (%s, %s, 0.01, 'RUB')",
                    [entry.pk, clearing.pk],
                )

    assert ledger_state() == before


@pytest.mark.django_db(transaction=True)
def test_a_committed_ledger_verifies_with_its_triggers_in_place():
    captured_and_released(commission="8.00")

    report = verify_ledger()

    assert report.violations == []


@pytest.mark.django_db(transaction=True)
def test_verify_reports_a_missing_trigger():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ledger_posting DISABLE TRIGGER USER")
        cursor.execute("DROP TRIGGER ledger_posting_balanced ON ledger_posting")
    try:
        codes = [violation.detail for violation in verify_ledger().violations]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE CONSTRAINT TRIGGER ledger_posting_balanced AFTER INSERT ON ledger_posting "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced()"
            )
            cursor.execute("ALTER TABLE ledger_posting ENABLE TRIGGER USER")

    assert codes == ["trigger ledger_posting_balanced on ledger_posting is missing"]


def _in_threads(*targets):
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def run(target):
        try:
            barrier.wait()
            target()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_payouts_racing_for_one_payable_pay_it_out_once():
    captured_and_released(commission="8.00")

    errors = _in_threads(
        lambda: post_payout(key="payout:a", memo="", seller_id=3, amount=cny("92.00")),
        lambda: post_payout(key="payout:b", memo="", seller_id=3, amount=cny("92.00")),
    )

    assert [(type(error), getattr(error, "code", None)) for error in errors] == [
        (LedgerError, "insufficient_payable")
    ]
    assert JournalEntry.objects.filter(kind="payout").count() == 1
    assert verify_ledger().violations == []


@pytest.mark.django_db(transaction=True)
def test_the_same_capture_posted_twice_at_once_is_posted_once():
    errors = _in_threads(
        lambda: post_capture(key="capture:p0", memo="", shares=[same_share()]),
        lambda: post_capture(key="capture:p0", memo="", shares=[same_share()]),
    )

    assert errors == []
    assert JournalEntry.objects.count() == 1
    assert Posting.objects.count() == 2
    assert verify_ledger().violations == []


@pytest.mark.django_db(transaction=True)
def test_a_release_and_a_clawback_racing_on_one_seller_both_post_and_keep_the_invariants():
    captured_and_released(commission="8.00")
    post_payout(key="payout:1", memo="", seller_id=3, amount=cny("92.00"))
    post_capture(key="capture:31", memo="", shares=[cross_share(seller_order_id=31)])

    errors = _in_threads(
        lambda: post_release(
            key="release:31",
            memo="",
            seller_order_id=31,
            seller_id=3,
            escrow=cny("100.00"),
            commission=cny("8.00"),
        ),
        lambda: post_refund_from_payable(
            key="refund:r1",
            memo="",
            seller_order_id=30,
            seller_id=3,
            buyer_amount=rub("634.38"),
            seller_amount=cny("50.00"),
            fx_margin=rub("9.38"),
            commission_returned=cny("4.00"),
        ),
    )

    assert errors == []
    # Whichever came first, the seller is owed 92 released less 46 clawed back.
    payable = get_balance(purpose="seller_payable", party="seller:3", currency="CNY")
    receivable = get_balance(purpose="seller_receivable", party="seller:3", currency="CNY")
    assert (payable, receivable) == (cny("46.00"), cny("0"))
    assert verify_ledger().violations == []
