"""The cart as the buyer sees it: lines grouped by seller, each figure in the seller's
currency and in the buyer's, and one total in the buyer's currency.

The buyer-currency figures follow the rounding rule of docs/decisions/0006-money.md: unit
prices and delivery charges are converted and rounded, everything else is a sum of those.
Placement freezes exactly these figures, so the charge equals what the cart showed.

Delivery is quoted per seller by the shipping engine (ADR 0012) for the buyer's destination:
every method that reaches it, the buyer's choice (else the cheapest), its price and dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Sum

from caravan.catalog.selectors import attach_product_names, attach_variant_labels
from caravan.fx.models import ExchangeRate
from caravan.fx.quotes import Quote, QuoteTable, quote_table
from caravan.fx.selectors import latest_rates_into
from caravan.fx.services import base_currency
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money, MoneyTotals
from caravan.offers.selectors import is_buyable_offer
from caravan.sellers.models import Seller
from caravan.shipping.models import ProfileMethod
from caravan.shipping.quotes import (
    DeliveryDates,
    Destination,
    MethodQuote,
    ParcelLine,
    SellerParcel,
    ShippingQuote,
    choose_option,
    quote_sellers,
)

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
    # Every method of the seller that reaches the destination, or why none does.
    shipping: ShippingQuote
    # The buyer's choice among them, else the cheapest; None when none reaches.
    option: MethodQuote | None
    subtotal: Money
    delivery: Money
    total: Money
    # None when no rate converts the seller's currency into the buyer's.
    quote: Quote | None = None
    buyer_subtotal: Money | None = None
    buyer_delivery: Money | None = None
    buyer_total: Money | None = None
    # The parcel's landed cost for the buyer's destination (cart.landed), once known.
    customs: GroupCustoms | None = None

    @property
    def method(self) -> ProfileMethod | None:
        return self.option.method if self.option else None

    @property
    def promise(self) -> DeliveryDates | None:
        return self.option.dates if self.option else None

    @property
    def ships(self) -> bool:
        return self.option is not None

    @property
    def choices(self) -> list[tuple[MethodQuote, Money]]:
        """Each delivery option with its charge in the buyer currency (the seller's when no
        rate converts it)."""
        if self.quote is None:
            return [(option, option.price) for option in self.shipping.options]
        return [(option, self.quote.to_buyer(option.price)) for option in self.shipping.options]


@dataclass
class CartView:
    cart: Cart | None
    currency: str = ""
    # Where delivery was quoted to (the shipping engine's destination).
    shipping_to: Destination | None = None
    groups: list[SellerGroup] = field(default_factory=list)
    # Per seller currency: what the sellers ask, before conversion.
    totals: MoneyTotals = field(default_factory=MoneyTotals)
    # In the buyer currency: the one amount checkout charges (None: a rate is missing).
    total: Money | None = None
    item_count: int = 0
    quotes: QuoteTable | None = None
    # The latest rates into the buyer's and the sellers' currencies ({quote: {base: rate}}).
    rates: dict[str, dict[str, ExchangeRate]] = field(default_factory=dict)
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


def default_destination() -> Destination:
    return Destination(country=settings.MARKETPLACE_COUNTRY)


def build_cart_view(
    *,
    cart: Cart | None,
    currency: str = "",
    destination: Destination | None = None,
    placed_at: datetime | None = None,
) -> CartView:
    """Seven queries whatever the size: lines (with offer, product, variant, seller), their
    translations, delivery choices, the exchange rates and the shipping engine's two (zones,
    bands; the profile's holidays) for all sellers at once.

    `currency` is the buyer's (empty: the marketplace currency); `destination` where the
    parcels go (None: the marketplace's country); `placed_at` the moment the delivery dates
    count from (None: now; placement passes the order's)."""
    destination = destination or default_destination()
    if cart is None:
        return CartView(cart=None, currency=currency, shipping_to=destination)
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("offer", "offer__seller", "offer__product", "offer__variant")
        .order_by("offer__seller__name", "offer__seller_id", "added_at", "id")
    )
    if not lines:
        return CartView(cart=cart, currency=currency, shipping_to=destination)
    # The names in the buyer's language: at most one query for every line.
    attach_product_names([line.offer.product for line in lines])
    attach_variant_labels([line.offer.variant for line in lines])
    # One read of the rates into the buyer's currency (the quotes) and into each seller's
    # (placement's commission minimums, which would read them again otherwise).
    buyer_currency = currency or base_currency()
    rates = latest_rates_into(
        quotes={buyer_currency, *(line.offer.seller.currency for line in lines)}
    )
    table = quote_table(currency=buyer_currency, rates=rates[buyer_currency])
    chosen = {choice.seller_id: choice.method_id for choice in cart.deliveries.all()}
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
    view = CartView(
        cart=cart, currency=table.currency, shipping_to=destination, quotes=table, rates=rates
    )
    shipping = quote_sellers(
        parcels={
            seller_id: _parcel(sellers[seller_id], views) for seller_id, views in grouped.items()
        },
        destination=destination,
        placed_at=placed_at,
    )
    buyer_total = Money.zero(table.currency)
    for seller_id, views in grouped.items():
        seller = sellers[seller_id]
        option = choose_option(shipping[seller_id], method_id=chosen.get(seller_id))
        subtotal = sum((item.line_total for item in views), Money.zero(seller.currency))
        delivery = option.price.rounded() if option else Money.zero(seller.currency)
        group = SellerGroup(
            seller=seller,
            lines=views,
            shipping=shipping[seller_id],
            option=option,
            subtotal=subtotal,
            delivery=delivery,
            total=subtotal + delivery,
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


def _parcel(seller: Seller, views: list[CartLineView]) -> SellerParcel:
    """One seller's lines as the engine weighs and prices them; the slowest offer's handling
    time holds the parcel back."""
    return SellerParcel(
        seller_id=seller.id,
        currency=seller.currency,
        lines=[
            ParcelLine.of_variant(
                variant=item.line.offer.variant,
                quantity=item.line.quantity,
                unit_price=item.unit_price,
            )
            for item in views
        ],
        handling_days=max(item.line.offer.handling_days for item in views),
    )


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
