"""The money walkthrough (issue text): "a buyer in Russia buys from a CNY seller and a RUB
seller, sees roubles everywhere, pays once in roubles (the first card declined, the second
approved: issue 11's "pay again"); both sellers ship; the buyer confirms;
the window passes; the Shenzhen seller's finance page shows its yuan balance; a payout run
pays it; the operator's trial balance nets to zero."

One test with named phases, on the demo data (its six weeks of money history included), so
the balances start where `make demo` leaves them. "The window passes" is the release job run
from the test process at a moment past the protection window: the live server shares the
test database.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from caravan.demo.money_history import MOSCOW, SHENZHEN
from caravan.finance.services import release_escrow
from caravan.kernel.money import Money
from caravan.orders.models import SellerOrder

from . import money_steps as money
from .helpers import money_text, phase, shot

pytestmark = pytest.mark.browser

# Enough products that each of the two demo sellers wins some product's buy box.
SEED_PRODUCTS = 24


def test_a_buyer_in_russia_pays_once_in_roubles_and_the_yuan_seller_is_paid_out(  # type: ignore[no-untyped-def]
    new_page, screenshot_dir
):
    call_command("seed_demo", products=SEED_PRODUCTS, stdout=io.StringIO())
    shots = screenshot_dir
    shenzhen, moscow = money.seller(SHENZHEN), money.seller(MOSCOW)
    assert (shenzhen.currency, moscow.currency) == ("CNY", "RUB")
    basket = money.choose_basket()
    before = money.balance_of(shenzhen)
    page = new_page()

    with phase("the buyer browses in roubles"):
        money.buyer_signs_in_and_picks_roubles(page)
        money.sees_card(page, basket.yuan, shots, "money-01-card-yuan")
        money.sees_card(page, basket.rouble, shots, "money-01-card-rouble")
        yuan_quantity = basket.quantities[basket.yuan.id]
        money.adds_from_product_page(
            page,
            basket.yuan,
            yuan_quantity,
            cart_count=yuan_quantity,
            shots=shots,
            name="money-02-product-yuan",
        )
        money.adds_from_product_page(
            page,
            basket.rouble,
            1,
            cart_count=yuan_quantity + 1,
            shots=shots,
            name="money-02-product-rouble",
        )
    with phase("the cart, all in roubles"):
        money.checks_cart(page, basket)
        shot(page, shots, "money-03-cart")
        money.cart_on_a_phone(new_page, basket, shots)
    with phase("checkout: one payment in roubles, declined once, then paid again"):
        order = money.places_order_and_is_declined(page, basket, shots)
        money.declined_order_on_a_phone(new_page, order, shots)
        order = money.pays_again(page, order, basket, shots)
        money.order_on_a_phone(new_page, order, shots)
    yuan_order = order.seller_orders.get(seller=shenzhen)
    assert (yuan_order.currency, yuan_order.buyer_currency) == ("CNY", "RUB")
    net = yuan_order.total - yuan_order.commission
    assert net >= Money(settings.PAYOUT_MINIMUMS["CNY"], "CNY"), "this parcel alone pays out"

    with phase("both sellers ship"):
        shenzhen_page = money.ships(new_page, order, shenzhen, shots)
        money.ships(new_page, order, moscow, shots)
        shenzhen_page.goto("/seller/finance/")
        # The buyer's roubles are held for the seller in yuan: its seller total.
        money.expect_balance(shenzhen_page, money.moved(before, in_escrow=yuan_order.total))
        shot(shenzhen_page, shots, "money-08-seller-finance-escrow")
    with phase("the buyer confirms both deliveries"):
        money.confirms_both(page, order, shots)
    with phase("the protection window passes"):
        moment = timezone.now() + timedelta(days=settings.ESCROW_PROTECTION_DAYS + 1)
        release_escrow(at=moment)
        released = list(SellerOrder.objects.filter(seller=shenzhen, escrow_released_at=moment))
        assert yuan_order.id in {item.id for item in released}
        zero = Money.zero("CNY")
        released_total = sum((item.total for item in released), zero)
        released_net = sum((item.total - item.commission for item in released), zero)
        # The demo's yuan parcels still on their way are confirmed automatically by the same
        # run (release_escrow confirms them at the real time, whatever `at` says, so their
        # window is over at `at` too) and released with this one: the sums cover them all.
        after_release = money.moved(
            before, in_escrow=yuan_order.total - released_total, available=released_net
        )
        shenzhen_page.goto("/seller/finance/")
        money.expect_balance(shenzhen_page, after_release)
        assert after_release.available >= net
        shot(shenzhen_page, shots, "money-10-seller-finance-available")
    with phase("the Shenzhen seller gives yuan payout details"):
        money.gives_payout_details(shenzhen_page, shenzhen, shots)
    with phase("the operator runs payouts"):
        operator = money.operator_signs_in(new_page)
        payout = money.runs_payouts(operator, shenzhen, after_release.available, shots)
        in_transit = money.moved(after_release, available=-payout.money, in_transit=payout.money)
        shenzhen_page.goto("/seller/finance/")
        money.expect_balance(shenzhen_page, in_transit)
        row = shenzhen_page.get_by_test_id("payout-row").filter(has_text=payout.public_id)
        expect(row).to_contain_text("In transit")
        expect(row.locator("td.num.strong")).to_have_text(money_text(payout.money))
        shot(shenzhen_page, shots, "money-13-seller-finance-in-transit")
        money.settles(operator, payout)
        shenzhen_page.reload()
        money.expect_balance(
            shenzhen_page, money.moved(in_transit, in_transit=-payout.money, paid_out=payout.money)
        )
        expect(row).to_contain_text("Settled")
        money.remittance_advice(shenzhen_page, payout)
        shot(shenzhen_page, shots, "money-13-seller-finance-paid-out")
    with phase("the trial balance nets to zero"):
        currencies = money.trial_balance_nets_to_zero(operator, shots)
        assert {"RUB", "CNY"} <= set(currencies)
    assert Decimal(payout.amount) == after_release.available.amount
    with phase("the same pages in Russian"):
        english = money.in_russian(
            page,
            f"/orders/{order.number}/",
            shots,
            "money-15-order-ru",
            selectors=("[data-testid=fx-note]", ".order-side .protection", ".parcel-steps li"),
        )
        english += money.in_russian(
            shenzhen_page,
            "/seller/finance/",
            shots,
            "money-16-seller-finance-ru",
            selectors=(
                "h1",
                ".kpi-label",
                ".kpi .muted",
                "[data-testid=payouts] th",
                "[data-testid=payout-row] .badge",
            ),
        )
        english += money.in_russian(
            operator,
            "/backoffice/finance/",
            shots,
            "money-17-trial-ru",
            selectors=(
                "h1",
                "h2",
                "section[data-testid^='trial-'] th",
                "[data-testid=trial-balanced]",
            ),
        )
        assert not english, "still in English on Russian pages:\n" + "\n".join(english)
