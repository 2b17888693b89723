"""The checkout's SQL budget (issue 9): a 3-seller, cross-currency checkout from a filled
cart to the captured notification, ledger postings included."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caravan.cart.models import Cart
from caravan.payments.sandbox import resolve_session
from tests.factories import (
    build_market,
    check_out_cart,
    fill_cart,
    make_offer,
    make_seller,
)

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _three_seller_cart() -> tuple[Cart, object]:
    market = build_market()
    seller_eu = make_seller(name="Berlin Shop", country="DE", currency="EUR", delivery_price="5")
    offer_eu = make_offer(
        seller=seller_eu, variant=market.product.variants.get(), price="20", stock=5
    )
    cart = fill_cart(
        user=market.buyer, lines=[(market.offer_ru, 1), (market.offer_cn, 2), (offer_eu, 1)]
    )
    return cart, market


def _statements(context: CaptureQueriesContext) -> list[str]:
    """Caravan's own statements: transaction control is not counted, nor the sandbox
    provider's bookkeeping of its side (a real provider is an HTTP call, not SQL)."""
    return [
        query["sql"]
        for query in context.captured_queries
        if not query["sql"].upper().startswith(TRANSACTION_CONTROL)
        and '"payments_sandbox' not in query["sql"]
    ]


def test_three_seller_cross_currency_checkout_to_capture_fits_the_budget(
    django_capture_on_commit_callbacks,
):
    # given a filled 3-seller cart in RUB, CNY and EUR
    cart, market = _three_seller_cart()

    # when the buyer checks out in roubles and the sandbox captures
    with (
        CaptureQueriesContext(connection) as context,
        django_capture_on_commit_callbacks(execute=False),
    ):
        result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
        resolve_session(reference=result.payment.provider_reference, approved=True)

    # then the whole path stays within 40 statements
    statements = _statements(context)
    assert len(statements) <= 40, "\n".join(sql[:120] for sql in statements)


@pytest.mark.postgres
def test_the_budget_holds_on_postgresql(django_capture_on_commit_callbacks):
    # given the same cart on the production database
    cart, market = _three_seller_cart()

    # when the buyer checks out and the sandbox captures
    with (
        CaptureQueriesContext(connection) as context,
        django_capture_on_commit_callbacks(execute=False),
    ):
        result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
        resolve_session(reference=result.payment.provider_reference, approved=True)

    # then PostgreSQL sees no more statements than SQLite's budget, its two `SET LOCAL
    # synchronous_commit = off` and the pending-projection row (ADR 0007 amended) included:
    # the notification locks the order its payment names in one statement
    statements = _statements(context)
    assert len(statements) <= 40, "\n".join(sql[:120] for sql in statements)
