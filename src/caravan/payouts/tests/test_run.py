from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from caravan.kernel.money import Money
from caravan.ledger.models import JournalEntry
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import party_for_seller
from caravan.payouts.models import Payout, PayoutBatch, PayoutEvent
from caravan.payouts.services import run_payouts
from caravan.sellers.models import Seller

from .factories import (
    RU_BIK,
    RU_INN,
    cny_seller,
    credit_payable,
    eur_seller,
    make_seller,
    ru_account,
    rub_seller,
)

AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def balance(seller, purpose, currency):
    return get_balance(purpose=purpose, party=party_for_seller(seller.id), currency=currency)


def test_a_balance_above_the_minimum_is_paid_out_in_full(db):
    seller = rub_seller()
    credit_payable(seller=seller, amount=Money("1500.00", "RUB"))
    credit_payable(seller=seller, amount=Money("250.50", "RUB"))

    result = run_payouts(at=AT)

    payout = Payout.objects.get()
    assert result.payouts == [payout]
    assert (payout.seller, payout.money, payout.status) == (
        seller,
        Money("1750.50", "RUB"),
        Payout.Status.IN_TRANSIT,
    )
    assert (payout.account_holder, payout.inn, payout.bik, payout.account_number) == (
        'ООО "Ромашка"',
        RU_INN,
        RU_BIK,
        ru_account(),
    )
    assert payout.purpose == f"Выплата по договору оферты, выплата {payout.public_id}, без НДС"
    assert balance(seller, "seller_payable", "RUB") == Money("0", "RUB")
    assert balance(seller, "payouts_in_transit", "RUB") == Money("1750.50", "RUB")
    assert JournalEntry.objects.filter(key=f"payout:{payout.public_id}", kind="payout").count() == 1
    assert list(PayoutEvent.objects.values_list("from_status", "to_status")) == [("", "in_transit")]
    batch = PayoutBatch.objects.get()
    assert (batch.currency, batch.file_format, batch.payout_count, batch.total) == (
        "RUB",
        "1c-client-bank-exchange",
        1,
        Money("1750.50", "RUB"),
    )
    assert batch.file_name == f"payouts-RUB-20261206-123000-{batch.pk}.txt"
    assert [(s.currency, s.count, s.total, s.file_name) for s in result.batches] == [
        ("RUB", 1, Money("1750.50", "RUB"), batch.file_name)
    ]
    assert result.skipped == []


def test_one_batch_per_currency(db, settings):
    settings.TIME_ZONE = "UTC"
    first, second = rub_seller(), rub_seller()
    chinese, german = cny_seller(), eur_seller()
    credit_payable(seller=first, amount=Money("1000.00", "RUB"))
    credit_payable(seller=second, amount=Money("2000.00", "RUB"))
    credit_payable(seller=chinese, amount=Money("300.00", "CNY"))
    credit_payable(seller=german, amount=Money("45.10", "EUR"))

    result = run_payouts(at=AT)

    assert [(s.currency, s.count, s.total) for s in result.batches] == [
        ("CNY", 1, Money("300.00", "CNY")),
        ("EUR", 1, Money("45.10", "EUR")),
        ("RUB", 2, Money("3000.00", "RUB")),
    ]
    assert sorted(PayoutBatch.objects.values_list("currency", "file_format")) == [
        ("CNY", "pain.001.001.03"),
        ("EUR", "pain.001.001.03"),
        ("RUB", "1c-client-bank-exchange"),
    ]
    german_payout = Payout.objects.get(seller=german)
    assert (german_payout.iban, german_payout.account_number, german_payout.bic) == (
        "DE89370400440532013000",
        "",
        "COBADEFFXXX",
    )


def test_a_balance_below_the_minimum_waits(db, settings):
    settings.PAYOUT_MINIMUMS = {"RUB": "1000"}
    seller = rub_seller()
    credit_payable(seller=seller, amount=Money("999.99", "RUB"))

    result = run_payouts(at=AT)

    assert [(s.seller_id, s.code, s.available) for s in result.skipped] == [
        (seller.id, "below_minimum", Money("999.99", "RUB"))
    ]
    assert result.batches == []
    assert Payout.objects.count() == 0
    assert PayoutBatch.objects.count() == 0
    assert balance(seller, "seller_payable", "RUB") == Money("999.99", "RUB")


def test_a_currency_without_a_minimum_pays_anything_above_zero(db, settings):
    settings.PAYOUT_MINIMUMS = {"RUB": "1000"}
    seller = cny_seller()
    credit_payable(seller=seller, amount=Money("0.01", "CNY"))

    run_payouts(at=AT)

    assert Payout.objects.get().money == Money("0.01", "CNY")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("no_details", "payout_details_incomplete"),
        ("other_currency", "payout_details_currency"),
        ("no_inn", "payout_details_incomplete"),
        ("bad_account", "payout_details_incomplete"),
    ],
)
def test_a_seller_without_usable_details_is_skipped_with_the_reason(db, change, code):
    seller = rub_seller()
    details = seller.payout_details
    if change == "no_details":
        details.delete()
    elif change == "other_currency":
        details.currency = "EUR"
        details.save()
    elif change == "no_inn":
        Seller.objects.filter(pk=seller.pk).update(tax_id="")
    else:
        details.account_number = "40702810400000000001"
        details.save()
    paid = rub_seller()
    credit_payable(seller=seller, amount=Money("5000.00", "RUB"))
    credit_payable(seller=paid, amount=Money("5000.00", "RUB"))

    result = run_payouts(at=AT)

    assert [(s.seller_id, s.code) for s in result.skipped] == [(seller.id, code)]
    assert result.skipped[0].reason
    assert list(Payout.objects.values_list("seller_id", flat=True)) == [paid.id]
    assert balance(seller, "seller_payable", "RUB") == Money("5000.00", "RUB")
    assert balance(seller, "payouts_in_transit", "RUB") == Money("0", "RUB")


def test_a_suspended_seller_is_held(db):
    seller = rub_seller()
    credit_payable(seller=seller, amount=Money("5000.00", "RUB"))
    Seller.objects.filter(pk=seller.pk).update(status=Seller.Status.SUSPENDED)

    result = run_payouts(at=AT)

    assert [(s.seller_id, s.code) for s in result.skipped] == [(seller.id, "seller_suspended")]
    assert Payout.objects.count() == 0


def test_running_twice_pays_once(db):
    seller = rub_seller()
    credit_payable(seller=seller, amount=Money("1500.00", "RUB"))
    run_payouts(at=AT)

    second = run_payouts(at=AT)

    assert (second.payouts, second.batches, second.skipped) == ([], [], [])
    assert Payout.objects.count() == 1
    assert PayoutBatch.objects.count() == 1
    assert balance(seller, "payouts_in_transit", "RUB") == Money("1500.00", "RUB")


def test_a_seller_without_a_ledger_balance_gets_nothing(db):
    make_seller(currency="RUB")

    result = run_payouts(at=AT)

    assert (result.payouts, result.batches, result.skipped) == ([], [], [])


def test_the_command_writes_the_files_and_reports(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    paid = rub_seller()
    chinese = cny_seller()
    unpaid = rub_seller(name="No Details Shop")
    unpaid.payout_details.delete()
    credit_payable(seller=paid, amount=Money("1500.00", "RUB"))
    credit_payable(seller=chinese, amount=Money("120.00", "CNY"))
    credit_payable(seller=unpaid, amount=Money("2500.00", "RUB"))
    import io

    out = io.StringIO()
    call_command("payouts_run", stdout=out)

    batches = {batch.currency: batch for batch in PayoutBatch.objects.all()}
    rub_path = tmp_path / "payouts" / batches["RUB"].file_name
    cny_path = tmp_path / "payouts" / batches["CNY"].file_name
    assert out.getvalue().splitlines() == [
        f"CNY: 1 payout(s), total 120.00 CNY, file {cny_path}",
        f"RUB: 1 payout(s), total 1500.00 RUB, file {rub_path}",
        f"Skipped No Details Shop (id {unpaid.id}), 2500.00 RUB: "
        "The seller has not entered payout details",
    ]
    assert rub_path.read_bytes().startswith(b"1CClientBankExchange\r\n")
    assert "Сумма=1500.00" in rub_path.read_bytes().decode("cp1251")
    assert cny_path.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert Decimal(batches["CNY"].total_amount) == Decimal("120.00")
