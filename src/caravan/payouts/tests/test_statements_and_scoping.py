from datetime import UTC, datetime

import pytest

from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import party_for_seller
from caravan.payouts.models import Payout
from caravan.payouts.selectors import (
    get_seller_payout,
    get_seller_remittance,
    list_payouts,
    list_seller_payouts,
)
from caravan.payouts.services import run_payouts, settle_payout
from caravan.payouts.statements import StatementError, StatementLine, import_bank_statement

from .factories import credit_payable, make_user, rub_seller

AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def three_payouts():
    sellers = [rub_seller() for _ in range(3)]
    for seller in sellers:
        credit_payable(seller=seller, amount=Money("2000.00", "RUB"))
    run_payouts(at=AT)
    return [Payout.objects.get(seller=seller) for seller in sellers]


def statuses():
    return dict(Payout.objects.values_list("public_id", "status"))


def test_a_statement_applies_good_lines_and_reports_bad_ones(db):
    first, second, third = three_payouts()
    operator = make_user()
    content = (
        "payout_id;status;reason\n"
        f"{first.public_id};settled;\n"
        f"{second.public_id};returned;Счёт закрыт\n"
        "unknown-id;settled;\n"
        f"{third.public_id};paid;\n"
        "\n"
        f"{third.public_id};failed;\n"
        "just-one-cell\n"
    ).encode("cp1251")

    result = import_bank_statement(content=content, actor=operator)

    assert result.applied == [
        StatementLine(line=2, payout_public_id=first.public_id, status="settled"),
        StatementLine(line=3, payout_public_id=second.public_id, status="returned"),
    ]
    assert result.unchanged == []
    assert result.errors == [
        StatementError(line=4, message="Unknown payout unknown-id"),
        StatementError(line=5, message="Unknown status paid: use settled, failed or returned"),
        StatementError(line=7, message="Say why the payout failed"),
        StatementError(line=8, message="Expected a payout id, a status and a reason"),
    ]
    assert statuses() == {
        first.public_id: "settled",
        second.public_id: "failed",
        third.public_id: "in_transit",
    }
    second.refresh_from_db()
    assert second.failure_reason == "Счёт закрыт"
    assert list(second.events.values_list("actor_id", flat=True)) == [None, operator.id]
    assert get_balance(
        purpose="seller_payable", party=party_for_seller(second.seller_id), currency="RUB"
    ) == Money("2000.00", "RUB")


def test_importing_the_same_statement_twice_applies_it_once(db):
    first, second, _third = three_payouts()
    content = f"{first.public_id},settled,\n{second.public_id},failed,Wrong account\n".encode()
    import_bank_statement(content=content, actor=None)

    again = import_bank_statement(content=content, actor=None)

    assert again.applied == []
    assert [line.line for line in again.unchanged] == [1, 2]
    assert again.errors == []
    assert JournalEntry.objects.filter(kind="payout_settled").count() == 1
    assert JournalEntry.objects.filter(kind="payout_failed").count() == 1


def test_a_statement_line_against_the_state_machine_is_reported(db):
    first, _second, _third = three_payouts()
    settle_payout(payout_public_id=first.public_id, actor=None)

    result = import_bank_statement(
        content=f"\ufeff{first.public_id},returned,late\n".encode(), actor=None
    )

    assert result.applied == []
    assert result.errors == [
        StatementError(line=1, message="payout cannot move from settled to failed")
    ]
    assert statuses()[first.public_id] == "settled"


def test_a_seller_sees_only_their_own_payouts(db):
    first, second, _third = three_payouts()
    seller_a, seller_b = first.seller, second.seller

    assert list(list_seller_payouts(seller=seller_a)) == [first]
    assert get_seller_payout(seller=seller_a, public_id=first.public_id) == first
    with pytest.raises(NotFound):
        get_seller_payout(seller=seller_b, public_id=first.public_id)
    with pytest.raises(NotFound):
        get_seller_remittance(seller=seller_b, public_id=first.public_id)
    assert list_payouts(status="in_transit").count() == 3
    assert list_payouts(currency="CNY").count() == 0


def test_the_remittance_advice_shows_one_payout_with_the_account_masked(db):
    first, _second, _third = three_payouts()

    download = get_seller_remittance(seller=first.seller, public_id=first.public_id)

    text = download.content.decode()
    assert download.filename == f"payout-{first.public_id}.txt"
    assert f"Payout: {first.public_id}" in text
    assert f"Account: •••• {first.account_number[-4:]}" in text
    assert first.account_number not in text


def test_a_reason_spanning_lines_keeps_the_line_numbers_of_the_file(db):
    first, second, _third = three_payouts()
    content = (f'{first.public_id},failed,"Account\nclosed"\n{second.public_id},lost,\n').encode()

    result = import_bank_statement(content=content, actor=None)

    assert result.applied == [
        StatementLine(line=1, payout_public_id=first.public_id, status="failed")
    ]
    assert result.errors == [
        StatementError(line=3, message="Unknown status lost: use settled, failed or returned")
    ]
    first.refresh_from_db()
    assert first.failure_reason == "Account closed"
