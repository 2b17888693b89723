"""Money made through the services, as the marketplace makes it: paid, delivered and
released orders and payout details, for the tests of the finance pages (seller portal and
back office) and services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import TestCase

from caravan.accounts.models import User
from caravan.finance.services import release_escrow
from caravan.orders.models import Order
from caravan.orders.services import confirm_delivery, ship_seller_order
from caravan.payouts.tests.factories import RU_BIK, RU_INN, ru_account
from caravan.sellers.models import PayoutDetails, Seller
from tests.factories import Market, add_member, make_user, move_clock, pay_market_order


def make_operator() -> User:
    user = make_user()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def paid_order(market: Market, *, quantity_ru: int = 2, quantity_cn: int = 1) -> Order:
    """The market's buyer pays both sellers in roubles; the sandbox captures (and every
    after-commit task runs, as in production)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return pay_market_order(market, quantity_ru=quantity_ru, quantity_cn=quantity_cn)


def ship_and_deliver(order: Order, market: Market) -> None:
    for seller_order in order.seller_orders.select_related("seller"):
        ship_seller_order(
            seller=seller_order.seller,
            seller_order_public_id=seller_order.public_id,
            carrier="Post",
            tracking_number="RA123",
            actor=add_member(seller=seller_order.seller, role="fulfilment"),
        )
        confirm_delivery(buyer=market.buyer, seller_order_public_id=seller_order.public_id)


def released_order(market: Market, monkeypatch: pytest.MonkeyPatch) -> Order:
    """Paid, shipped, delivered and released after the protection window (16 days on)."""
    order = paid_order(market)
    ship_and_deliver(order, market)
    move_clock(monkeypatch, by=timedelta(days=16))
    release_escrow()
    return order


def give_cny_payout_details(seller: Seller) -> None:
    PayoutDetails.objects.update_or_create(
        seller=seller,
        defaults={
            "currency": "CNY",
            "bank_country": "CN",
            "account_holder": "Shenzhen Tech Co., Ltd.",
            "bank_name": "Bank of China Shenzhen Branch",
            "account_number": "6217 8500 0000 1234",
            "bic": "BKCHCNBJ45A",
        },
    )


def give_payout_details(seller: Seller) -> None:
    """A Russian bank account the payout files accept."""
    seller.tax_id = RU_INN
    seller.save(update_fields=["tax_id"])
    PayoutDetails.objects.update_or_create(
        seller=seller,
        defaults={
            "currency": "RUB",
            "bank_country": "RU",
            "account_holder": "ООО Московские товары",
            "bank_name": "ПАО Сбербанк",
            "account_number": ru_account(),
            "bik": RU_BIK,
        },
    )
