from decimal import Decimal

import pytest

from caravan.kernel.money import Money
from caravan.ledger.flows import post_capture
from caravan.ledger.models import Account, JournalEntry, Posting
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import PLATFORM, LedgerError, Line, post_entry, post_reversal

from .factories import cross_share, same_share

pytestmark = pytest.mark.django_db


def rub(amount: str) -> Money:
    return Money(amount, "RUB")


def two_lines(amount: str = "100.00") -> list[Line]:
    return [
        Line(purpose="provider_clearing", party=PLATFORM, money=rub(amount)),
        Line(
            purpose="escrow",
            party="seller:1",
            reference="seller_order:7",
            money=-rub(amount),
        ),
    ]


def ledger_rows() -> tuple[int, int, int]:
    return (Account.objects.count(), JournalEntry.objects.count(), Posting.objects.count())


def test_post_entry_writes_the_entry_its_postings_and_the_sellers_cached_balance():
    entry, posted = post_entry(
        key="capture:p1", kind="capture", memo="Order A-1", lines=two_lines()
    )

    assert posted is True
    assert (entry.key, entry.kind, entry.memo) == ("capture:p1", "capture", "Order A-1")
    assert sorted(
        entry.postings.values_list("account__purpose", "account__reference", "amount", "currency")
    ) == [
        ("escrow", "seller_order:7", Decimal("-100.00"), "RUB"),
        ("provider_clearing", "", Decimal("100.00"), "RUB"),
    ]
    balances = dict(Account.objects.values_list("purpose", "balance_amount"))
    assert balances == {"provider_clearing": None, "escrow": Decimal("-100.00")}
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == rub("100.00")
    assert get_balance(purpose="escrow", party="seller:1", currency="RUB") == rub("100.00")


def test_posting_the_same_key_again_returns_the_first_entry_and_posts_nothing():
    first, _ = post_entry(key="capture:p1", kind="capture", memo="Order A-1", lines=two_lines())

    again, posted = post_entry(
        key="capture:p1", kind="capture", memo="Order A-1", lines=two_lines()
    )

    assert posted is False
    assert again.pk == first.pk
    assert ledger_rows() == (2, 1, 2)
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == rub("100.00")


def test_the_same_key_with_other_lines_is_a_key_conflict_and_changes_nothing():
    post_entry(key="capture:p1", kind="capture", memo="Order A-1", lines=two_lines())

    with pytest.raises(LedgerError) as error:
        post_entry(key="capture:p1", kind="capture", memo="", lines=two_lines("99.00"))

    assert error.value.code == "key_conflict"
    assert ledger_rows() == (2, 1, 2)
    assert get_balance(purpose="provider_clearing", party=PLATFORM, currency="RUB") == rub("100.00")


def test_an_unbalanced_entry_is_refused_and_nothing_is_written():
    lines = [*two_lines(), Line(purpose="rounding", party=PLATFORM, money=rub("0.01"))]

    with pytest.raises(LedgerError) as error:
        post_entry(key="k", kind="capture", memo="", lines=lines)

    assert error.value.code == "unbalanced"
    assert ledger_rows() == (0, 0, 0)


def test_an_entry_balanced_in_total_but_not_per_currency_is_refused():
    lines = [
        Line(purpose="fx_position", party=PLATFORM, money=rub("100.00")),
        Line(purpose="fx_position", party=PLATFORM, money=Money("-100.00", "CNY")),
    ]

    with pytest.raises(LedgerError) as error:
        post_entry(key="k", kind="capture", memo="", lines=lines)

    assert error.value.code == "unbalanced"
    assert ledger_rows() == (0, 0, 0)


@pytest.mark.parametrize(
    ("amount", "currency"), [("100.005", "RUB"), ("100.5", "JPY"), ("0.001", "EUR")]
)
def test_an_amount_finer_than_the_minor_unit_is_refused(amount, currency):
    lines = [
        Line(purpose="provider_clearing", party=PLATFORM, money=Money(amount, currency)),
        Line(purpose="escrow", party="seller:1", money=-Money(amount, currency)),
    ]

    with pytest.raises(LedgerError) as error:
        post_entry(key="k", kind="capture", memo="", lines=lines)

    assert error.value.code == "not_rounded"
    assert ledger_rows() == (0, 0, 0)


def test_yen_posts_whole_amounts():
    lines = [
        Line(purpose="provider_clearing", party=PLATFORM, money=Money("1500", "JPY")),
        Line(purpose="escrow", party="seller:1", money=Money("-1500", "JPY")),
    ]

    post_entry(key="k", kind="capture", memo="", lines=lines)

    assert get_balance(purpose="escrow", party="seller:1", currency="JPY") == Money(1500, "JPY")


def test_zero_lines_are_dropped_and_one_line_left_is_too_few():
    lines = [
        *two_lines(),
        Line(purpose="fx_margin_revenue", party=PLATFORM, money=rub("0.00")),
    ]

    entry, _ = post_entry(key="k", kind="capture", memo="", lines=lines)

    assert entry.postings.count() == 2
    with pytest.raises(LedgerError) as error:
        post_entry(
            key="k2",
            kind="capture",
            memo="",
            lines=[Line(purpose="rounding", party=PLATFORM, money=rub("0"))] * 2,
        )
    assert error.value.code == "too_few_lines"
    assert ledger_rows() == (2, 1, 2)


def test_a_posting_that_would_overdraw_escrow_is_refused_and_nothing_is_written():
    post_entry(key="capture", kind="capture", memo="", lines=two_lines("100.00"))
    lines = [
        Line(purpose="escrow", party="seller:1", reference="seller_order:7", money=rub("100.01")),
        Line(purpose="refunds_payable", party=PLATFORM, money=-rub("100.01")),
    ]

    with pytest.raises(LedgerError) as error:
        post_entry(key="refund", kind="refund", memo="", lines=lines)

    assert error.value.code == "insufficient_escrow"
    assert ledger_rows() == (2, 1, 2)
    assert get_balance(purpose="escrow", party="seller:1", currency="RUB") == rub("100.00")


def test_an_unknown_purpose_is_refused():
    lines = [
        Line(purpose="cash", party=PLATFORM, money=rub("1.00")),
        Line(purpose="escrow", party="seller:1", money=rub("-1.00")),
    ]

    with pytest.raises(LedgerError) as error:
        post_entry(key="k", kind="capture", memo="", lines=lines)

    assert error.value.code == "unknown_purpose"
    assert ledger_rows() == (0, 0, 0)


def test_a_three_seller_capture_inside_the_callers_transaction_takes_six_statements(
    django_assert_num_queries,
):
    post_capture(key="capture:warm", memo="", shares=[cross_share(seller_order_id=1)])
    shares = [
        cross_share(),
        cross_share(seller_order_id=31, seller_id=5, buyer="634.38", seller="50.00", margin="9.38"),
        same_share(),
    ]

    # accounts inserted (the new escrows; the others skipped), seller accounts locked,
    # platform accounts read; entry (its key new), postings, the escrows' cached balances
    with django_assert_num_queries(6):
        post_capture(key="capture:p1", memo="", shares=shares)
    # replayed: the same insert (all skipped), lock and read; the entry's insert finds its
    # key taken; the first entry and its postings
    with django_assert_num_queries(6):
        post_capture(key="capture:p1", memo="", shares=shares)

    assert Account.objects.filter(purpose="escrow").count() == 4
    assert JournalEntry.objects.count() == 2


def test_a_reversal_posts_the_exact_opposite_and_is_idempotent():
    post_entry(key="capture:p1", kind="capture", memo="Order A-1", lines=two_lines())

    reversal = post_reversal(key="reversal:1", memo="Posted twice", entry_key="capture:p1")
    again = post_reversal(key="reversal:1", memo="Posted twice", entry_key="capture:p1")

    assert again.pk == reversal.pk
    assert (reversal.kind, reversal.memo) == ("reversal", "Posted twice")
    assert sorted(reversal.postings.values_list("account__purpose", "amount")) == [
        ("escrow", Decimal("100.00")),
        ("provider_clearing", Decimal("-100.00")),
    ]
    assert get_balance(purpose="escrow", party="seller:1", currency="RUB") == rub("0")
    assert ledger_rows() == (2, 2, 4)


def test_reversing_an_entry_whose_money_moved_on_is_refused():
    post_entry(key="capture:p1", kind="capture", memo="", lines=two_lines())
    post_entry(
        key="refund:r1",
        kind="refund",
        memo="",
        lines=[
            Line(purpose="escrow", party="seller:1", reference="seller_order:7", money=rub("40")),
            Line(purpose="refunds_payable", party=PLATFORM, money=-rub("40")),
        ],
    )

    with pytest.raises(LedgerError) as missing:
        post_reversal(key="reversal:1", memo="", entry_key="capture:nope")
    with pytest.raises(LedgerError) as overdrawn:
        post_reversal(key="reversal:1", memo="", entry_key="capture:p1")

    assert (missing.value.code, overdrawn.value.code) == ("entry_missing", "insufficient_escrow")
    assert ledger_rows() == (3, 2, 4)
