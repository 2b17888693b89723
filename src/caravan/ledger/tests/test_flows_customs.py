"""Customs duty and import VAT in the journal (ADR 0010): collected at checkout (DDP) they
go to their own liability accounts in the buyer currency and never into the seller's
escrow; due at delivery (DAP) they are never posted. Refunds return them."""

import pytest

from caravan.kernel.money import Money
from caravan.ledger.flows import (
    CaptureShare,
    post_capture,
    post_refund_from_escrow,
    post_refund_from_payable,
    post_release,
)
from caravan.ledger.selectors import get_balance
from caravan.ledger.services import LedgerError
from caravan.ledger.verify import verify_ledger

from .factories import cny, postings

pytestmark = pytest.mark.django_db


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def eu_share(*, duty: str | None, vat: str | None) -> CaptureShare:
    """A CNY seller's parcel paid in EUR by a buyer in Germany: 52.50 EUR of goods and
    delivery for 400 CNY, 0.50 EUR of FX margin."""
    return CaptureShare(
        seller_order_id=70,
        seller_id=7,
        buyer_amount=eur("52.50"),
        seller_amount=cny("400.00"),
        fx_margin=eur("0.50"),
        duty=None if duty is None else eur(duty),
        vat=None if vat is None else eur(vat),
    )


SELLER_SIDE = [
    ("escrow", "seller:7", "seller_order:70", "CNY", "-400.00"),
    ("fx_margin_revenue", "platform", "", "EUR", "-0.50"),
    ("fx_position", "platform", "", "CNY", "400.00"),
    ("fx_position", "platform", "", "EUR", "-52.00"),
]


@pytest.mark.parametrize(
    ("regime", "duty", "vat", "customs_lines", "charged"),
    [
        (
            "DDP: EU IOSS, flat duty and VAT at checkout",
            "3.00",
            "11.66",
            [
                ("customs_duty_payable", "platform", "", "EUR", "-3.00"),
                ("import_vat_payable", "platform", "", "EUR", "-11.66"),
            ],
            "67.16",
        ),
        (
            "DDP: GB low value, VAT only",
            "0.00",
            "10.50",
            [("import_vat_payable", "platform", "", "EUR", "-10.50")],
            "63.00",
        ),
        ("DAP: EAEU, duty and VAT to the carrier", None, None, [], "52.50"),
        ("DAP: under the allowance, nothing due", "0.00", "0.00", [], "52.50"),
    ],
)
def test_capture_posts_ddp_customs_to_their_liabilities_and_dap_not_at_all(
    regime, duty, vat, customs_lines, charged
):
    entry = post_capture(key="capture:p1", memo=regime, shares=[eu_share(duty=duty, vat=vat)])

    assert postings(entry) == sorted(
        [*SELLER_SIDE, *customs_lines, ("provider_clearing", "platform", "", "EUR", charged)]
    )


def test_release_of_a_ddp_order_takes_commission_on_the_escrow_only():
    post_capture(key="capture:p1", memo="", shares=[eu_share(duty="3.00", vat="11.66")])

    post_release(
        key="release:70",
        memo="",
        seller_order_id=70,
        seller_id=7,
        escrow=cny("400.00"),
        commission=cny("40.00"),
    )

    assert get_balance(purpose="commission_revenue", party="platform", currency="CNY") == cny(
        "40.00"
    )
    assert get_balance(purpose="seller_payable", party="seller:7", currency="CNY") == cny("360.00")
    assert get_balance(purpose="customs_duty_payable", party="platform", currency="EUR") == eur(
        "3.00"
    )
    assert get_balance(purpose="import_vat_payable", party="platform", currency="EUR") == eur(
        "11.66"
    )


@pytest.mark.parametrize(
    ("refund", "expected"),
    [
        (
            {
                "buyer_amount": eur("52.50"),
                "seller_amount": cny("400.00"),
                "duty": eur("3.00"),
                "vat": eur("11.66"),
                "fx_margin": eur("0.50"),
            },
            [
                ("customs_duty_payable", "platform", "", "EUR", "3.00"),
                ("escrow", "seller:7", "seller_order:70", "CNY", "400.00"),
                ("fx_margin_revenue", "platform", "", "EUR", "0.50"),
                ("fx_position", "platform", "", "CNY", "-400.00"),
                ("fx_position", "platform", "", "EUR", "52.00"),
                ("import_vat_payable", "platform", "", "EUR", "11.66"),
                ("refunds_payable", "platform", "", "EUR", "-67.16"),
            ],
        ),
        (
            {
                "buyer_amount": eur("26.25"),
                "seller_amount": cny("200.00"),
                "duty": eur("1.50"),
                "vat": eur("5.83"),
                "fx_margin": eur("0.25"),
            },
            [
                ("customs_duty_payable", "platform", "", "EUR", "1.50"),
                ("escrow", "seller:7", "seller_order:70", "CNY", "200.00"),
                ("fx_margin_revenue", "platform", "", "EUR", "0.25"),
                ("fx_position", "platform", "", "CNY", "-200.00"),
                ("fx_position", "platform", "", "EUR", "26.00"),
                ("import_vat_payable", "platform", "", "EUR", "5.83"),
                ("refunds_payable", "platform", "", "EUR", "-33.58"),
            ],
        ),
    ],
    ids=["full", "half"],
)
def test_refund_before_release_returns_the_ddp_customs_with_the_goods(refund, expected):
    post_capture(key="capture:p1", memo="", shares=[eu_share(duty="3.00", vat="11.66")])

    entry = post_refund_from_escrow(
        key="refund:r1", memo="", seller_order_id=70, seller_id=7, **refund
    )

    assert postings(entry) == expected
    assert verify_ledger().violations == []


def test_refund_after_release_returns_customs_from_their_accounts_not_from_the_seller():
    post_capture(key="capture:p1", memo="", shares=[eu_share(duty="3.00", vat="11.66")])
    post_release(
        key="release:70",
        memo="",
        seller_order_id=70,
        seller_id=7,
        escrow=cny("400.00"),
        commission=cny("40.00"),
    )

    entry = post_refund_from_payable(
        key="refund:r1",
        memo="",
        seller_order_id=70,
        seller_id=7,
        buyer_amount=eur("52.50"),
        seller_amount=cny("400.00"),
        fx_margin=eur("0.50"),
        commission_returned=cny("40.00"),
        duty=eur("3.00"),
        vat=eur("11.66"),
    )

    assert postings(entry) == [
        ("commission_revenue", "platform", "", "CNY", "40.00"),
        ("customs_duty_payable", "platform", "", "EUR", "3.00"),
        ("fx_margin_revenue", "platform", "", "EUR", "0.50"),
        ("fx_position", "platform", "", "CNY", "-400.00"),
        ("fx_position", "platform", "", "EUR", "52.00"),
        ("import_vat_payable", "platform", "", "EUR", "11.66"),
        ("refunds_payable", "platform", "", "EUR", "-67.16"),
        ("seller_payable", "seller:7", "", "CNY", "360.00"),
    ]
    for purpose in ("customs_duty_payable", "import_vat_payable"):
        assert get_balance(purpose=purpose, party="platform", currency="EUR") == eur("0.00")
    assert verify_ledger().violations == []


def test_customs_in_another_currency_than_the_charge_are_refused():
    share = CaptureShare(
        seller_order_id=70,
        seller_id=7,
        buyer_amount=eur("52.50"),
        seller_amount=cny("400.00"),
        fx_margin=eur("0.50"),
        duty=cny("20.00"),
    )

    with pytest.raises(LedgerError) as error:
        post_capture(key="capture:p1", memo="", shares=[share])

    assert error.value.code == "invalid_amount"


def test_verify_reports_a_customs_liability_on_the_debit_side():
    post_capture(key="capture:p1", memo="", shares=[eu_share(duty="3.00", vat="0.00")])
    post_refund_from_escrow(
        key="refund:r1",
        memo="",
        seller_order_id=70,
        seller_id=7,
        buyer_amount=eur("10.00"),
        seller_amount=cny("76.19"),
        fx_margin=eur("0.10"),
        duty=eur("4.00"),
    )

    codes = [(violation.code, violation.detail) for violation in verify_ledger().violations]

    assert codes == [("wrong_side", "customs_duty_payable platform EUR is on the debit side: 1.00")]
