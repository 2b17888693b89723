"""The signed-in buyer's orders (session authentication)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.security import django_auth

from caravan.accounts.selectors import get_address
from caravan.cart.checkout import check_out
from caravan.cart.selectors import find_cart
from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, NotFound
from caravan.orders.models import Order, order_totals
from caravan.orders.selectors import get_buyer_order, list_buyer_orders
from caravan.payments.services import pay_order

from .schemas import (
    CheckoutIn,
    CheckoutOut,
    ErrorOut,
    MoneyOut,
    OrderOut,
    PaymentOut,
    SellerOrderOut,
)

router = Router(tags=["orders"], auth=django_auth)

MAX_ORDERS = 50


def _order(order: Order) -> OrderOut:
    seller_orders = list(order.seller_orders.all())
    return OrderOut(
        number=order.number,
        status=order.status,
        placed_at=order.placed_at,
        total=MoneyOut.of(order.total),
        totals=[MoneyOut.of(total) for total in order_totals(seller_orders)],
        seller_orders=[
            SellerOrderOut(
                number=seller_order.number,
                seller=seller_order.seller.name,
                status=seller_order.status,
                total=MoneyOut.of(seller_order.buyer_total),
                seller_total=MoneyOut.of(seller_order.total),
                fx_rate=str(seller_order.fx_effective_rate.normalize()),
                carrier=seller_order.carrier,
                tracking_number=seller_order.tracking_number,
            )
            for seller_order in seller_orders
        ],
    )


@router.get("/orders", response=list[OrderOut], summary="My latest orders, newest first")
def orders(request: HttpRequest) -> list[OrderOut]:
    return [_order(order) for order in list_buyer_orders(buyer=request.user)[:MAX_ORDERS]]  # type: ignore[arg-type]


@router.get("/orders/{number}", response=OrderOut, summary="One of my orders")
def order(request: HttpRequest, number: str) -> OrderOut:
    return _order(get_buyer_order(buyer=request.user, number=number[:20]))  # type: ignore[arg-type]


@router.post(
    "/checkout",
    response={200: CheckoutOut, 400: ErrorOut, 404: ErrorOut},
    summary="Place my cart as one order and open its payment",
    description=(
        "Charged in `currency`, one amount. Send an `Idempotency-Key` header (1-64 "
        "characters): the same key with the same body replays the first answer; with "
        "another body it is refused (`idempotency_conflict`). Keys are kept 24 hours."
    ),
)
def checkout(request: HttpRequest, payload: CheckoutIn) -> CheckoutOut:
    user = request.user
    cart = find_cart(token=None, user_id=user.id)
    if cart is None:
        raise NotFound("cart not found", code="cart_empty")
    result = check_out(
        cart=cart,
        buyer=user,  # type: ignore[arg-type]
        address=get_address(user=user, address_id=payload.address_id),  # type: ignore[arg-type]
        currency=payload.currency.upper()[:3],
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        return_url=lambda order: f"/orders/{order.number}/?from=payment",
    )
    return CheckoutOut(
        order=result.order.number,
        payment=result.payment.public_id,
        amount=MoneyOut.of(result.payment.money),
        redirect_url=result.redirect_url,
        replayed=result.replayed,
    )


@router.post(
    "/orders/{number}/pay",
    response={200: PaymentOut, 400: ErrorOut, 404: ErrorOut},
    summary="Pay for my order (again)",
    description=(
        "For an order awaiting payment before its deadline: the open attempt's page, or a "
        "new attempt for the same amount when the last one was declined or abandoned. "
        "Repeating the call answers with the same attempt. A paid, cancelled or overdue "
        "order is refused (`order_not_payable`)."
    ),
)
def pay(request: HttpRequest, number: str) -> PaymentOut:
    order = get_buyer_order(buyer=request.user, number=number[:20])  # type: ignore[arg-type]
    if order.payment_deadline <= now():
        raise InvalidTransition(_("This order can no longer be paid."), code="order_not_payable")
    opened = pay_order(order=order, return_url=f"/orders/{order.number}/?from=payment")
    return PaymentOut(
        order=order.number,
        payment=opened.payment.public_id,
        amount=MoneyOut.of(opened.payment.money),
        redirect_url=opened.redirect_url,
    )
