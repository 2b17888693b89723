"""Time two-seller checkouts through the service layer: place_order + start_payment + the
signed webhook that marks the order paid. Usage: python bench/checkout.py N (N orders)."""

from __future__ import annotations

import sys
import time

import django


def main(count: int) -> None:
    django.setup()
    from caravan.accounts.models import User
    from caravan.accounts.services import add_address
    from caravan.cart.services import add_to_cart, choose_delivery, get_or_create_cart, place_order
    from caravan.offers.models import Offer
    from caravan.offers.services import update_offer
    from caravan.payments.sandbox import resolve_session
    from caravan.payments.services import start_payment

    first = (
        Offer.objects.filter(is_active=True, stock_quantity__gt=0)
        .select_related("seller")
        .order_by("id")
        .first()
    )
    assert first is not None, "seed the demo first"
    second = (
        Offer.objects.filter(is_active=True, stock_quantity__gt=0)
        .exclude(seller=first.seller)
        .select_related("seller")
        .order_by("id")
        .first()
    )
    assert second is not None
    for offer in (first, second):
        update_offer(
            seller=offer.seller, offer_public_id=offer.public_id, stock_quantity=count + 10
        )
    buyer, _ = User.objects.get_or_create(email="bench-buyer@caravan.bench")
    address = add_address(
        user=buyer,
        full_name="Bench Buyer",
        phone="+79000000000",
        country="RU",
        city="Moscow",
        postal_code="101000",
        street="Tverskaya 1",
    )
    started = time.perf_counter()
    for _ in range(count):
        cart = get_or_create_cart(token=None, user=buyer)
        add_to_cart(cart=cart, offer_public_id=first.public_id, quantity=1)
        add_to_cart(cart=cart, offer_public_id=second.public_id, quantity=1)
        for offer in (first, second):
            method = offer.seller.shipping_methods.filter(is_active=True).order_by("id").first()
            choose_delivery(cart=cart, seller_id=offer.seller_id, method_id=method.id)
        order = place_order(cart=cart, buyer=buyer, address=address)
        session = start_payment(order=order, return_url="/")
        resolve_session(reference=session.reference, approved=True)
    elapsed = time.perf_counter() - started
    print(
        f"{count} two-seller orders (cart, place, pay, webhook) in {elapsed:.2f} s: "
        f"{count / elapsed:.1f} orders/s, {elapsed / count * 1000:.1f} ms each"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
