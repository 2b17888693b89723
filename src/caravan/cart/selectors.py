"""The cart as the buyer sees it: lines grouped by seller, a total per currency."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum

from caravan.kernel.money import Money, MoneyTotals
from caravan.sellers.models import Seller
from caravan.shipping.models import ShippingMethod
from caravan.shipping.selectors import DeliveryPromise, delivery_promise, list_methods_by_seller

from .models import Cart, CartLine


@dataclass
class CartLineView:
    line: CartLine
    unit_price: Money
    line_total: Money
    available: bool
    problem: str = ""


@dataclass
class SellerGroup:
    seller: Seller
    lines: list[CartLineView]
    methods: list[ShippingMethod]
    method: ShippingMethod | None
    subtotal: Money
    delivery: Money
    total: Money
    promise: DeliveryPromise | None


@dataclass
class CartView:
    cart: Cart | None
    groups: list[SellerGroup] = field(default_factory=list)
    totals: MoneyTotals = field(default_factory=MoneyTotals)
    item_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def is_buyable(self) -> bool:
        return bool(self.groups) and all(
            group.method is not None and all(view.available for view in group.lines)
            for group in self.groups
        )


def build_cart_view(*, cart: Cart | None) -> CartView:
    """Four queries whatever the size: lines (with offer, product, variant, seller),
    delivery choices, and the sellers' delivery methods."""
    if cart is None:
        return CartView(cart=None)
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("offer", "offer__seller", "offer__product", "offer__variant")
        .order_by("offer__seller__name", "offer__seller_id", "added_at", "id")
    )
    if not lines:
        return CartView(cart=cart)
    chosen = {choice.seller_id: choice.method_id for choice in cart.deliveries.all()}
    methods_by_seller = list_methods_by_seller(seller_ids={line.offer.seller_id for line in lines})
    grouped: dict[int, list[CartLineView]] = {}
    sellers: dict[int, Seller] = {}
    for line in lines:
        offer = line.offer
        problem = ""
        if not offer.is_active or offer.seller.status != "active":
            problem = "unavailable"
        elif offer.stock_quantity < line.quantity:
            problem = "short"
        unit = offer.price
        grouped.setdefault(offer.seller_id, []).append(
            CartLineView(
                line=line,
                unit_price=unit,
                line_total=(unit * line.quantity).rounded(),
                available=not problem,
                problem=problem,
            )
        )
        sellers[offer.seller_id] = offer.seller
    view = CartView(cart=cart)
    for seller_id, views in grouped.items():
        seller = sellers[seller_id]
        methods = methods_by_seller.get(seller_id, [])
        method = next((m for m in methods if m.id == chosen.get(seller_id)), None)
        if method is None and methods:
            method = methods[0]
        subtotal = sum((item.line_total for item in views), Money.zero(seller.currency))
        delivery = method.price.rounded() if method else Money.zero(seller.currency)
        handling = max(item.line.offer.handling_days for item in views)
        group = SellerGroup(
            seller=seller,
            lines=views,
            methods=methods,
            method=method,
            subtotal=subtotal,
            delivery=delivery,
            total=subtotal + delivery,
            promise=delivery_promise(handling_days=handling, method=method) if method else None,
        )
        view.groups.append(group)
        view.totals.add(group.total)
        view.item_count += sum(item.line.quantity for item in views)
    return view


def find_cart(*, token: str | None, user_id: int | None) -> Cart | None:
    if user_id is not None:
        cart = Cart.objects.filter(user_id=user_id).first()
        if cart is not None:
            return cart
    if token:
        return Cart.objects.filter(token=token, user__isnull=True).first()
    return None


def count_cart_items(*, cart: Cart | None) -> int:
    """Units in the cart (the header's badge): one aggregate query."""
    if cart is None:
        return 0
    total = CartLine.objects.filter(cart=cart).aggregate(units=Sum("quantity"))["units"]
    return int(total or 0)
