"""check_out: one order and one payment per checkout key, whatever the repeats; refused
(and nothing written) when a cross-currency price cannot be confirmed; charged exactly what
the cart showed, by the rounding rule of ADR 0006."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from tests.factories import (
    check_out_cart,
    fill_cart,
    make_address,
    make_buyer,
    make_offer,
    make_seller,
    move_clock,
)

from caravan.cart.checkout import check_out, purge_checkout_attempts
from caravan.cart.models import CartLine, CheckoutAttempt
from caravan.cart.selectors import build_cart_view
from caravan.cart.tasks import purge_checkout_attempts_task
from caravan.fx.services import record_rate
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.orders.models import Order, OrderLine, SellerOrder
from caravan.payments.models import Payment, SandboxSession
from caravan.payments.sandbox import resolve_session

pytestmark = pytest.mark.django_db

# 2 x 2500 + 300 RUB, and 150 + 25 CNY at 12.50 x 1.015: 1903.13 + 317.19 RUB
TOTAL = Money("7520.32", "RUB")


def market_cart(market):
    return fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 1)])


def checkout(market, *, key, currency="RUB", address=None):
    return check_out_cart(
        user=market.buyer,
        address=address or market.address,
        cart=market.buyer.cart,
        currency=currency,
        key=key,
    )


def written():
    """Every row a checkout writes, and the stock it takes."""
    return (
        Order.objects.count(),
        SellerOrder.objects.count(),
        OrderLine.objects.count(),
        Payment.objects.count(),
        SandboxSession.objects.count(),
        CheckoutAttempt.objects.count(),
        list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)),
        list(CartLine.objects.order_by("id").values_list("offer_id", "quantity")),
    )


def test_a_checkout_places_one_order_and_opens_its_payment(market):
    market_cart(market)

    result = checkout(market, key="key-1")

    assert result.replayed is False
    assert result.provider_error == ""
    assert result.order.status == Order.Status.PENDING_PAYMENT
    assert result.order.total == TOTAL
    assert (result.payment.money, result.payment.status) == (TOTAL, Payment.Status.PENDING)
    session = SandboxSession.objects.get()
    assert result.redirect_url == f"/sandbox/pay/{session.reference}/"
    assert session.money == TOTAL
    assert written() == (1, 2, 2, 1, 1, 1, [3, 7], [])


def test_the_same_key_and_request_replays_the_first_answer(market):
    market_cart(market)
    first = checkout(market, key="key-1")

    again = checkout(market, key="key-1")

    assert again.replayed is True
    assert (again.order.id, again.payment.id) == (first.order.id, first.payment.id)
    assert again.redirect_url == first.redirect_url
    assert written() == (1, 2, 2, 1, 1, 1, [3, 7], [])


def test_a_replay_after_the_payment_was_captured_opens_nothing(market):
    market_cart(market)
    first = checkout(market, key="key-1")
    resolve_session(reference=first.payment.provider_reference, approved=True)

    again = checkout(market, key="key-1")

    assert again.replayed is True
    assert (again.order.id, again.payment.id, again.redirect_url) == (
        first.order.id,
        first.payment.id,
        "",
    )
    assert again.payment.status == Payment.Status.CAPTURED
    assert written() == (1, 2, 2, 1, 1, 1, [3, 7], [])


@pytest.mark.parametrize("other", ["currency", "address"])
def test_the_same_key_with_another_request_is_refused_and_writes_nothing(market, other):
    market_cart(market)
    checkout(market, key="key-1")
    market_cart(market)
    before = written()
    changes = (
        {"currency": "CNY"}
        if other == "currency"
        else {"address": make_address(user=market.buyer, street="Tverskaya 1, flat 3")}
    )

    with pytest.raises(ValidationFailed) as caught:
        checkout(market, key="key-1", **changes)

    assert caught.value.code == "idempotency_conflict"
    assert written() == before


@pytest.mark.parametrize("key", ["", "   ", "k" * 65])
def test_a_missing_or_overlong_key_is_refused(market, key):
    market_cart(market)
    before = written()

    with pytest.raises(ValidationFailed) as caught:
        check_out(
            cart=market.buyer.cart,
            buyer=market.buyer,
            address=market.address,
            currency="RUB",
            idempotency_key=key,
            return_url=lambda order: "/",
        )

    assert caught.value.code == "idempotency_key_invalid"
    assert written() == before


def test_another_buyer_may_use_the_same_key(market):
    market_cart(market)
    checkout(market, key="key-1")
    other, address = make_buyer()
    cart = fill_cart(user=other, lines=[(market.offer_ru, 1)])

    result = check_out_cart(user=other, address=address, cart=cart, key="key-1")

    assert result.replayed is False
    assert result.order.buyer == other
    assert Order.objects.count() == 2


def test_a_key_older_than_24_hours_starts_a_new_checkout(market, monkeypatch):
    market_cart(market)
    first = checkout(market, key="key-1")
    move_clock(monkeypatch, by=timedelta(hours=24, minutes=1))
    market_cart(market)

    again = checkout(market, key="key-1")

    assert again.replayed is False
    assert again.order.id != first.order.id
    assert again.payment.id != first.payment.id
    assert Order.objects.count() == 2
    assert CheckoutAttempt.objects.get().order_number == again.order.number


def test_a_key_younger_than_24_hours_still_replays(market, monkeypatch):
    market_cart(market)
    first = checkout(market, key="key-1")
    move_clock(monkeypatch, by=timedelta(hours=23, minutes=59))

    again = checkout(market, key="key-1")

    assert (again.replayed, again.order.id) == (True, first.order.id)


def test_purging_removes_the_keys_older_than_24_hours_only(market, monkeypatch):
    market_cart(market)
    checkout(market, key="old")
    move_clock(monkeypatch, by=timedelta(hours=20))
    market_cart(market)
    checkout(market, key="recent")
    move_clock(monkeypatch, by=timedelta(hours=5))

    assert purge_checkout_attempts() == 1

    assert list(CheckoutAttempt.objects.values_list("key", flat=True)) == ["recent"]
    assert Order.objects.count() == 2
    assert purge_checkout_attempts() == 0


# --- rates ---


def test_a_cross_currency_cart_with_a_stale_rate_is_refused_and_writes_nothing(market, monkeypatch):
    market_cart(market)
    before = written()
    # the rates were published today; their day ended less than a day from now
    move_clock(monkeypatch, by=timedelta(hours=settings.FX_MAX_RATE_AGE_HOURS + 25))

    with pytest.raises(ValidationFailed) as caught:
        checkout(market, key="key-1")

    assert caught.value.code == "rate_stale"
    assert written() == before


def test_a_rate_still_within_its_age_is_sold_at(market, monkeypatch):
    market_cart(market)
    move_clock(monkeypatch, by=timedelta(hours=settings.FX_MAX_RATE_AGE_HOURS))

    result = checkout(market, key="key-1")

    assert result.order.total == TOTAL


@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_a_missing_rate_is_refused_and_writes_nothing(market, currency):
    # no rate into USD at all; into EUR there are RUB and CNY rates, but none from TRY
    seller_tr = make_seller(name="Istanbul Bazaar", currency="TRY", delivery_price="150")
    offer_tr = make_offer(seller=seller_tr, price="800", stock=3)
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1), (offer_tr, 1)])
    before = written()

    with pytest.raises(NotFound) as caught:
        checkout(market, key="key-1", currency=currency)

    assert caught.value.code == "rate_missing"
    assert written() == before


def test_a_cart_in_the_buyer_currency_needs_no_fresh_rate(market, monkeypatch):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])
    move_clock(monkeypatch, by=timedelta(days=30))

    result = checkout(market, key="key-1")

    assert result.order.total == Money("5300", "RUB")
    assert result.payment.money == Money("5300", "RUB")
    seller_order = result.order.seller_orders.get()
    assert (seller_order.fx_rate, seller_order.fx_margin) == (Decimal(1), Money("0", "RUB"))


# --- the rounding rule: what the buyer sees is what is charged ---


@pytest.mark.parametrize(
    ("seller_currency", "price", "delivery", "quantity", "buyer", "rate", "unit", "shipping"),
    [
        # 1999 JPY x 0.6123 x 1.015 = 1242.3475 -> 1242.35; 500 JPY -> 310.74225 -> 310.74
        ("JPY", "1999", "500", 3, "RUB", "0.6123", "1242.35", "310.74"),
        # 15900 KRW x 0.0671 x 1.015 = 1082.89; 3000 KRW -> 204.3195 -> 204.32
        ("KRW", "15900", "3000", 2, "RUB", "0.0671", "1082.89", "204.32"),
        # 2499.99 RUB x 1.6331 x 1.015 = 4143.97 -> 4144 JPY (no minor unit); 300 -> 497
        ("RUB", "2499.99", "300", 2, "JPY", "1.6331", "4144", "497"),
        ("RUB", "2499.99", "300", 2, "KRW", "14.8795", "37757", "4531"),
        ("JPY", "1999", "500", 3, "KRW", "9.1234", "18511", "4630"),
        ("CNY", "150", "25", 1, "RUB", "12.50", "1903.13", "317.19"),
    ],
)
def test_the_charge_is_the_sum_of_the_figures_the_cart_shows(
    seller_currency, price, delivery, quantity, buyer, rate, unit, shipping, settings
):
    # An operator may accept 0-digit currencies such as JPY and KRW from buyers.
    settings.BUYER_CURRENCIES = [*settings.BUYER_CURRENCIES, "JPY", "KRW"]
    record_rate(base=seller_currency, quote=buyer, rate=Decimal(rate), source="test")
    if seller_currency != "RUB":
        # an offer keeps a reference price in the marketplace currency, and the minimum
        # commission (10 RUB) is converted into the seller's
        if buyer != "RUB":
            record_rate(base=seller_currency, quote="RUB", rate=Decimal("0.6"), source="test")
        record_rate(base="RUB", quote=seller_currency, rate=Decimal("1.6"), source="test")
    seller = make_seller(currency=seller_currency, delivery_price=delivery)
    offer = make_offer(seller=seller, price=price, stock=5)
    user, address = make_buyer()
    cart = fill_cart(user=user, lines=[(offer, quantity)])

    view = build_cart_view(cart=cart, currency=buyer)
    (group,) = view.groups
    (line,) = group.lines
    shown = line.buyer_line_total + group.buyer_delivery
    result = check_out_cart(user=user, address=address, cart=cart, currency=buyer)

    assert line.buyer_unit_price == Money(unit, buyer)
    assert group.buyer_delivery == Money(shipping, buyer)
    assert line.buyer_line_total == Money(unit, buyer) * quantity
    assert view.total == shown
    assert result.order.total == shown
    assert result.payment.money == shown
    assert SandboxSession.objects.get().money == shown
    seller_order = result.order.seller_orders.get()
    order_line = seller_order.lines.get()
    assert order_line.buyer_unit_price_amount == Decimal(unit)
    assert seller_order.buyer_total == shown
    assert seller_order.buyer_delivery == Money(shipping, buyer)


def test_a_cart_of_three_currencies_is_charged_the_sum_of_its_parcels(market):
    record_rate(base="JPY", quote="RUB", rate=Decimal("0.6123"), source="test")
    record_rate(base="RUB", quote="JPY", rate=Decimal("1.6331"), source="test")
    seller_jp = make_seller(name="Osaka Store", currency="JPY", delivery_price="500")
    offer_jp = make_offer(seller=seller_jp, price="1999", stock=5)
    cart = fill_cart(
        user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 1), (offer_jp, 3)]
    )
    view = build_cart_view(cart=cart, currency="RUB")

    result = checkout(market, key="key-1")

    # 5300 + 2220.32 + 4037.79 RUB
    assert view.total == Money("11558.11", "RUB")
    assert result.payment.money == Money("11558.11", "RUB")
    assert sorted(result.order.seller_orders.values_list("buyer_total_amount", flat=True)) == [
        Decimal("2220.32"),
        Decimal("4037.79"),
        Decimal("5300.00"),
    ]


def test_the_hourly_task_purges_old_keys(market, monkeypatch):
    market_cart(market)
    checkout(market, key="old")
    move_clock(monkeypatch, by=timedelta(days=2))

    assert purge_checkout_attempts_task() == 1

    assert CheckoutAttempt.objects.count() == 0
