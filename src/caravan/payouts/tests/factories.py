"""Sellers with payout details and ledger balances for the payout tests."""

from __future__ import annotations

import itertools

from caravan.accounts.services import register_user
from caravan.kernel.money import Money
from caravan.ledger.flows import CaptureShare, post_capture, post_release
from caravan.sellers.models import PayoutDetails, Seller
from caravan.sellers.services import create_seller

_seller_orders = itertools.count(900_001)
_sequence = itertools.count(1)

RU_BIK = "044525225"
RU_INN = "7707083893"


def make_seller(*, currency: str = "RUB", country: str = "RU", name: str | None = None) -> Seller:
    number = next(_sequence)
    owner = register_user(
        email=f"payout-owner{number}@example.com",
        password="Caravan-test-pass-42",
        full_name="Test Owner",
    )
    return create_seller(
        owner=owner, name=name or f"Payout Seller {number}", country=country, currency=currency
    )


def ru_account(*, bik: str = RU_BIK, stem: str = "4070281040000000000") -> str:
    """A 20-digit account whose control digit (the ninth) matches the BIK."""
    for digit in "0123456789":
        account = stem[:8] + digit + stem[8:]
        digits = bik[-3:] + account
        total = sum((int(d) * (7, 1, 3)[i % 3]) % 10 for i, d in enumerate(digits))
        if total % 10 == 0:
            return account
    raise AssertionError("no control digit fits")


def rub_seller(*, holder: str = 'ООО "Ромашка"', name: str | None = None) -> Seller:
    seller = make_seller(name=name, currency="RUB")
    seller.tax_id = RU_INN
    seller.legal_name = holder
    seller.save()
    PayoutDetails.objects.create(
        seller=seller,
        currency="RUB",
        bank_country="RU",
        account_holder=holder,
        bank_name="ПАО Сбербанк",
        account_number=ru_account(),
        bik=RU_BIK,
    )
    return seller


def cny_seller(*, holder: str = "Shenzhen Tech Co., Ltd.") -> Seller:
    seller = make_seller(currency="CNY", country="CN")
    PayoutDetails.objects.create(
        seller=seller,
        currency="CNY",
        bank_country="CN",
        account_holder=holder,
        bank_name="Bank of China Shenzhen Branch",
        account_number="6217 8500 0000 1234",
        bic="BKCHCNBJ45A",
    )
    return seller


def eur_seller() -> Seller:
    seller = make_seller(currency="EUR", country="DE")
    PayoutDetails.objects.create(
        seller=seller,
        currency="EUR",
        bank_country="DE",
        account_holder="Berlin Waren GmbH",
        bank_name="Commerzbank",
        iban="DE89370400440532013000",
        bic="COBADEFFXXX",
    )
    return seller


def credit_payable(*, seller: Seller, amount: Money) -> None:
    """Money released to the seller's payable: a made-up seller order captured and released."""
    seller_order_id = next(_seller_orders)
    post_capture(
        key=f"capture:test-{seller_order_id}",
        memo="test capture",
        shares=[
            CaptureShare(
                seller_order_id=seller_order_id,
                seller_id=seller.id,
                buyer_amount=amount,
                seller_amount=amount,
                fx_margin=Money.zero(amount.currency),
            )
        ],
    )
    post_release(
        key=f"release:test-{seller_order_id}",
        memo="test release",
        seller_order_id=seller_order_id,
        seller_id=seller.id,
        escrow=amount,
        commission=Money.zero(amount.currency),
    )


def make_user():  # type: ignore[no-untyped-def]
    number = next(_sequence)
    return register_user(
        email=f"payout-operator{number}@example.com",
        password="Caravan-test-pass-42",
        full_name="Operator",
    )
