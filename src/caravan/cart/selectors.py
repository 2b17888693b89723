"""The cart as the buyer sees it: lines grouped by seller, each figure in the seller's
currency and in the buyer's, and one total in the buyer's currency.

The buyer-currency figures follow the rounding rule of docs/decisions/0006-money.md: unit
prices and delivery charges are converted and rounded, everything else is a sum of those.
Placement freezes exactly these figures, so the charge equals what the cart showed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Sum

from caravan.fx.quotes import Quote, QuoteTable, quote_table
from caravan.fx.services import base_currency
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money, MoneyTotals
from caravan.offers.selectors import is_buyable_offer
from caravan.sellers.models import Seller
from caravan.shipping.models import ShippingMethod
from caravan.shipping.selectors import DeliveryPromise, delivery_promise, list_methods_by_seller

from .models import Cart, CartLine

if TYPE_CHECKING:
    from .landed import GroupCustoms


@dataclass
class CartLineView:
    line: CartLine
    unit_price: Money
    line_total: Money
    available: bool
    problem: str = ""
    buyer_unit_price: Money | None = None
    buyer_line_total: Money | None = None


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
    # None when no rate converts the seller's currency into the buyer's.
    quote: Quote | None = None
    buyer_subtotal: Money | None = None
    buyer_delivery: Money | None = None
    buyer_total: Money | None = None
    # The parcel's landed cost for the buyer's destination (cart.landed), once known.
    customs: GroupCustoms | None = None

    @property
    def choices(self) -> list[tuple[ShippingMethod, Money]]:
        """Each delivery option with its charge in the buyer currency (the seller's when no
        rate converts it)."""
        if self.quote is None:
            return [(method, method.price) for method in self.methods]
        return [(method, self.quote.to_buyer(method.price)) for method in self.methods]


@dataclass
class CartView:
    cart: Cart | None
    currency: str = ""
    groups: list[SellerGroup] = field(default_factory=list)
    # Per seller currency: what the sellers ask, before conversion.
    totals: MoneyTotals = field(default_factory=MoneyTotals)
    # In the buyer currency: the one amount checkout charges (None: a rate is missing).
    total: Money | None = None
    item_count: int = 0
    quotes: QuoteTable | None = None
    # The country the landed cost was worked out for (cart.landed); empty until then.
    destination: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def charge(self) -> Money | None:
        """The one amount checkout takes: `total` plus the duty and VAT collected now
        (DDP) once the landed cost is known; `total` before."""
        if self.total is None:
            return None
        charge = self.total
        for group in self.groups:
            if group.customs is not None and group.customs.collected is not None:
                charge += group.customs.collected
        return charge

    @property
    def customs_known(self) -> bool:
        """Every parcel's landed cost is worked out (for the destination)."""
        return bool(self.destination) and all(
            group.customs is not None and group.customs.landed is not None for group in self.groups
        )

    @property
    def customs_problem(self) -> bool:
        """A parcel's landed cost cannot be worked out: checkout would refuse the order."""
        return any(group.customs is not None and group.customs.problem for group in self.groups)

    @property
    def is_priced(self) -> bool:
        return all(group.quote is not None for group in self.groups)

    @property
    def is_buyable(self) -> bool:
        return (
            bool(self.groups)
            and self.is_priced
            and all(
                group.method is not None and all(view.available for view in group.lines)
                for group in self.groups
            )
        )


def _quote(table: QuoteTable, currency: str) -> Quote | None:
    try:
        return table.get(currency)
    except NotFound:
        return None


def build_cart_view(*, cart: Cart | None, currency: str = "") -> CartView:
    """Five queries whatever the size: lines (with offer, product, variant, seller),
    delivery choices, the sellers' delivery methods and the exchange rates.

    `currency` is the buyer's (empty: the marketplace currency)."""
    if cart is None:
        return CartView(cart=None, currency=currency)
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("offer", "offer__seller", "offer__product", "offer__variant")
        .order_by("offer__seller__name", "offer__seller_id", "added_at", "id")
    )
    if not lines:
        return CartView(cart=cart, currency=currency)
    table = quote_table(currency=currency or base_currency())
    chosen = {choice.seller_id: choice.method_id for choice in cart.deliveries.all()}
    methods_by_seller = list_methods_by_seller(seller_ids={line.offer.seller_id for line in lines})
    grouped: dict[int, list[CartLineView]] = {}
    sellers: dict[int, Seller] = {}
    for line in lines:
        offer = line.offer
        problem = ""
        if not is_buyable_offer(offer):
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
    view = CartView(cart=cart, currency=table.currency, quotes=table)
    buyer_total = Money.zero(table.currency)
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
            quote=_quote(table, seller.currency),
        )
        if group.quote is not None:
            _price_for_buyer(group, group.quote)
            assert group.buyer_total is not None  # set just above; narrows the type
            buyer_total += group.buyer_total
        view.groups.append(group)
        view.totals.add(group.total)
        view.item_count += sum(item.line.quantity for item in views)
    view.total = buyer_total if view.is_priced else None
    return view


def _price_for_buyer(group: SellerGroup, quote: Quote) -> None:
    """The rounding rule: convert and round each unit price and the delivery charge; the
    rest are sums and products of rounded figures."""
    subtotal = Money.zero(quote.quote)
    for item in group.lines:
        item.buyer_unit_price = quote.to_buyer(item.unit_price)
        item.buyer_line_total = item.buyer_unit_price * item.line.quantity
        subtotal += item.buyer_line_total
    group.buyer_subtotal = subtotal
    group.buyer_delivery = quote.to_buyer(group.delivery)
    group.buyer_total = subtotal + group.buyer_delivery


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
