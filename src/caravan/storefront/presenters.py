"""Shape selector results for the templates. No queries of their own beyond the selectors
they call, and those are batched: one query for the delivery methods of a whole page."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from caravan.catalog.models import AttributeValue, Category, Product
from caravan.catalog.selectors import CategoryNode, attach_variant_labels
from caravan.catalog.translations import Shown
from caravan.fx.models import ExchangeRate
from caravan.fx.quotes import QuoteTable
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money, MoneyTotals
from caravan.offers.buybox import (
    BuyBox,
    RankedOffer,
    buy_box_of,
    quote_offers,
    rank_offers,
)
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.orders.models import Order, SellerOrder, order_totals
from caravan.payments.failures import BUYER_CANCEL_REASON, EXPIRY_REASON
from caravan.payments.models import Payment
from caravan.sellers.models import Seller
from caravan.shipping.quotes import DeliveryDates, Destination, ShippingQuote, TablesReader

from .currency import ShownPrice, show_optional_price, show_price

LOW_STOCK = 5


@dataclass(frozen=True)
class ProductCard:
    product: Product
    # The seller's own figures; the page shows buyer_price and buyer_compare_at.
    price: Money
    compare_at_price: Money | None
    seller: Seller
    seller_count: int
    # The offer's cheapest method to the buyer (the cart's default), or None when it does
    # not deliver there.
    promise: DeliveryDates | None
    ships_from: str
    buyer_price: ShownPrice
    buyer_compare_at: ShownPrice | None
    # The listing row's version (ADR 0007): moves whenever anything the card shows does.
    version: int


def listed(summaries: Iterable[ProductOfferSummary]) -> list[ProductOfferSummary]:
    """The listing rows that make a card: those with a best offer."""
    return [summary for summary in summaries if summary.best_offer_id is not None]


def product_cards(
    summaries: Iterable[ProductOfferSummary],
    *,
    quotes: QuoteTable,
    destination: Destination,
    shipping: Mapping[int, ShippingQuote] | None = None,
    tables: TablesReader | None = None,
) -> list[ProductCard]:
    """Listing rows with the best offer's delivery dates to the buyer (the shipping engine's
    two queries for all the cards, none when `shipping` already quotes every best offer to
    the destination) and its price in the buyer currency (from the quote table already
    read: no query)."""
    rows = [summary for summary in summaries if summary.best_offer is not None]
    known = dict(shipping or {})
    missing = [
        summary.best_offer
        for summary in rows
        if summary.best_offer and summary.best_offer.id not in known
    ]
    if missing:
        known.update(quote_offers(offers=missing, destination=destination, tables=tables))
    shipping = known
    cards = []
    for summary in rows:
        offer = summary.best_offer
        assert offer is not None  # filtered above; narrows the type
        cards.append(
            ProductCard(
                product=summary.product,
                price=offer.price,
                compare_at_price=offer.compare_at_price,
                seller=offer.seller,
                seller_count=summary.seller_count,
                promise=next((option.dates for option in shipping[offer.id].options), None),
                ships_from=offer.ships_from,
                buyer_price=show_price(offer.price, quotes=quotes),
                buyer_compare_at=show_optional_price(offer.compare_at_price, quotes=quotes),
                version=summary.version,
            )
        )
    return cards


@dataclass(frozen=True)
class CategoryPlace:
    category: Category
    parent: Category | None
    children: list[Category]

    @property
    def ids(self) -> tuple[int, ...]:
        """The category and its children: a listing of a parent shows its children's goods."""
        return (self.category.id, *(child.id for child in self.children))


def locate_category(*, tree: Sequence[CategoryNode], slug: str) -> CategoryPlace:
    """Find the category in the already loaded two-level tree (no extra query)."""
    for node in tree:
        if node.category.slug == slug:
            return CategoryPlace(category=node.category, parent=None, children=node.children)
        for child in node.children:
            if child.slug == slug:
                return CategoryPlace(category=child, parent=node.category, children=[])
    raise NotFound("category not found")


class StockState:
    IN_STOCK = "in_stock"
    LOW = "low"
    OUT = "out"


@dataclass(frozen=True)
class OfferRow:
    offer: Offer
    # The cheapest method's dates to the buyer: the cart's default, the same calculation.
    promise: DeliveryDates | None
    # Why it does not deliver to the buyer ("Does not ship to Germany"), when it does not.
    refusal: str
    stock_state: str
    min_quantity: int
    max_quantity: int
    buyer_price: ShownPrice
    buyer_compare_at: ShownPrice | None


@dataclass(frozen=True)
class VariantChoice:
    public_id: str
    label: str
    offer_count: int
    is_selected: bool
    # The label with its language, for the `lang` of an untranslated one.
    shown_label: Shown | None = None


@dataclass(frozen=True)
class ProductPage:
    product: Product
    specs: list[AttributeValue]
    rows: list[OfferRow]
    variants: list[VariantChoice]
    best: OfferRow | None
    seller_count: int
    # The buyer's country, delivery is quoted to; and whether an offer in stock there is
    # kept from the buyer only because its seller does not deliver there.
    country: str = ""
    blocked_by_delivery: bool = False
    # "N other sellers from X": other sellers with a buyable offer, and their lowest price
    # (the seller's own figure, and as the buyer sees it).
    other_seller_count: int = 0
    other_lowest_price: Money | None = None
    other_lowest_buyer_price: ShownPrice | None = None
    # The first specification (name or value) and the first option label shown in another
    # language than the buyer's: the page says so once under each, not on every line.
    specs_fallback: Shown | None = None
    variants_fallback: Shown | None = None
    # The key each row's HTML is kept under (offer_rows.row_key), in the rows' order; empty
    # when rows are not kept.
    fragment_keys: list[str] = field(default_factory=list)


def first_fallback(shown: Iterable[Shown]) -> Shown | None:
    return next((text for text in shown if text.is_original_fallback), None)


MAX_CART_QUANTITY = 99


def _offer_row(
    offer: Offer, *, promise: DeliveryDates | None, refusal: str, quotes: QuoteTable
) -> OfferRow:
    if offer.stock_quantity <= 0 or offer.stock_quantity < offer.min_order_quantity:
        state = StockState.OUT
    elif offer.stock_quantity <= LOW_STOCK:
        state = StockState.LOW
    else:
        state = StockState.IN_STOCK
    limit = min(offer.stock_quantity, offer.max_order_quantity or MAX_CART_QUANTITY)
    return OfferRow(
        offer=offer,
        promise=promise,
        refusal=refusal,
        stock_state=state,
        min_quantity=offer.min_order_quantity,
        max_quantity=max(0, min(limit, MAX_CART_QUANTITY)),
        buyer_price=show_price(offer.price, quotes=quotes),
        buyer_compare_at=show_optional_price(offer.compare_at_price, quotes=quotes),
    )


def _other_lowest(
    box: BuyBox, rows: Sequence[OfferRow], *, quotes: QuoteTable
) -> ShownPrice | None:
    """The lowest price the buyer sees among the other sellers' buyable offers. The buy box
    picks its lowest by reference price (at the mid rate); in the buyer currency an offer
    already priced in it carries no conversion margin, so it can be the cheaper one on the
    page by up to FX_MARGIN_BPS: the figure quoted is the one the rows below show. Without a
    rate for one of them (its price is in the seller's currency) the buy box's pick stays."""
    fallback = show_optional_price(box.other_lowest_price, quotes=quotes)
    if box.winner is None:
        return fallback
    winner_seller = box.winner.offer.seller_id
    others = [
        row.buyer_price
        for ranked, row in zip(box.ranked, rows, strict=True)
        if ranked.is_eligible and ranked.offer.seller_id != winner_seller
    ]
    if not others or any(price.rate_missing for price in others):
        return fallback
    return min(others, key=lambda price: price.buyer.amount)


@dataclass(frozen=True)
class OfferLine:
    """One offer as its product page shows it, worked out from that offer alone: ranked
    (offers.buybox.rank_offers), its row, and the key its row's HTML is kept under
    (offer_rows.row_key; "" when rows are not kept)."""

    ranked: RankedOffer
    row: OfferRow
    fragment_key: str = ""


def offer_lines(
    offers: Sequence[Offer],
    *,
    quotes: QuoteTable,
    destination: Destination,
    rates: dict[str, ExchangeRate] | None = None,
    tables: TablesReader | None = None,
    placed_at: datetime | None = None,
    fragment_key: Callable[[OfferRow], str] | None = None,
) -> list[OfferLine]:
    """Each offer (with seller and variant loaded) quoted to the buyer with its delivery
    estimate and stock state: the shipping engine's two queries for all of them (none with
    `tables` that hold their sellers'), the rates when not given."""
    attach_variant_labels(offer.variant for offer in offers)
    lines = []
    for ranked in rank_offers(
        offers=offers, destination=destination, rates=rates, placed_at=placed_at, tables=tables
    ):
        row = _offer_row(
            ranked.offer, promise=ranked.promise, refusal=ranked.shipping.refusal, quotes=quotes
        )
        key = fragment_key(row) if fragment_key is not None else ""
        lines.append(OfferLine(ranked=ranked, row=row, fragment_key=key))
    return lines


def product_page(
    *,
    product: Product,
    lines: Sequence[OfferLine],
    quotes: QuoteTable,
    destination: Destination,
    variant_public_id: str = "",
) -> ProductPage:
    """Every seller's offer (offer_lines) with its delivery estimate and stock state, in
    buy-box order (offers.buybox): the winner first, then the other buyable offers by the
    same ranking, then the ones nobody can buy now. Variants come from the offers (a variant
    nobody sells cannot be bought anyway)."""
    counts: dict[str, int] = {}
    labels: dict[str, Shown] = {}
    for line in lines:
        variant = line.row.offer.variant
        counts[variant.public_id] = counts.get(variant.public_id, 0) + 1
        if variant.public_id not in labels:
            labels[variant.public_id] = variant.shown_label
    selected = variant_public_id if variant_public_id in counts else ""
    shown = {
        line.row.offer.id: line
        for line in lines
        if not selected or line.row.offer.variant.public_id == selected
    }
    buy_box = buy_box_of([line.ranked for line in shown.values()])
    ordered = [shown[ranked.offer.id] for ranked in buy_box.ranked]
    rows = [line.row for line in ordered]
    variants = (
        [
            VariantChoice(
                public_id=public_id,
                label=labels[public_id].text,
                offer_count=counts[public_id],
                is_selected=public_id == selected,
                shown_label=labels[public_id],
            )
            for public_id in counts
        ]
        if len(counts) > 1 or any(label.text for label in labels.values())
        else []
    )
    specs = [value for value in product.attribute_values.all() if value.variant_id is None]
    best = rows[0] if buy_box.winner is not None else None
    return ProductPage(
        product=product,
        specs=specs,
        rows=rows,
        variants=variants,
        best=best,
        seller_count=len({line.row.offer.seller_id for line in lines}),
        country=destination.country,
        blocked_by_delivery=any(row.refusal and row.stock_state != StockState.OUT for row in rows),
        other_seller_count=buy_box.other_seller_count,
        other_lowest_price=buy_box.other_lowest_price,
        other_lowest_buyer_price=_other_lowest(buy_box, rows, quotes=quotes),
        specs_fallback=first_fallback(
            text for value in specs for text in (value.attribute.shown_name, value.shown_value)
        ),
        variants_fallback=first_fallback(
            variant.shown_label for variant in variants if variant.shown_label is not None
        ),
        fragment_keys=[line.fragment_key for line in ordered],
    )


class PaymentState:
    PAID = "paid"
    PROCESSING = "processing"
    AWAITING = "awaiting"
    OVERDUE = "overdue"
    DECLINED = "declined"
    # The last attempt was declined (or abandoned) and the order can still be paid.
    DECLINED_PAYABLE = "declined_payable"
    EXPIRED = "expired"
    # The buyer cancelled the unpaid order; its items went back to the cart.
    STARTED_OVER = "started_over"
    CANCELLED = "cancelled"


def payment_state(
    *,
    order: Order,
    payment: Payment | None,
    returned_from_payment: bool,
    at: datetime,
    cancellation_note: str = "",
) -> str:
    """What the buyer should be told about paying for the order. `cancellation_note` is the
    order's reason for a cancelled one (orders.selectors.get_cancellation_note)."""
    if order.status in {Order.Status.PAID, Order.Status.COMPLETED}:
        return PaymentState.PAID
    if order.status == Order.Status.CANCELLED:
        if cancellation_note == BUYER_CANCEL_REASON:
            return PaymentState.STARTED_OVER
        if cancellation_note == EXPIRY_REASON or payment is None:
            return PaymentState.EXPIRED
        if payment.status == Payment.Status.FAILED:
            # Before declines left orders payable (ADR 0006), a decline cancelled at once.
            return PaymentState.DECLINED
        if payment.status == Payment.Status.EXPIRED:
            return PaymentState.EXPIRED
        return PaymentState.CANCELLED
    if order.payment_deadline <= at:
        return PaymentState.OVERDUE
    if payment is not None and payment.status == Payment.Status.FAILED:
        return PaymentState.DECLINED_PAYABLE
    if returned_from_payment and payment is not None and payment.status == Payment.Status.PENDING:
        # Back from the provider before its webhook arrived: wait for it, do not offer to pay
        # again (that would open a second session for the same order).
        return PaymentState.PROCESSING
    return PaymentState.AWAITING


@dataclass(frozen=True)
class OrderSummary:
    order: Order
    seller_orders: list[SellerOrder]
    totals: MoneyTotals


def order_summary(order: Order) -> OrderSummary:
    seller_orders = list(order.seller_orders.all())
    return OrderSummary(
        order=order, seller_orders=seller_orders, totals=order_totals(seller_orders)
    )


@dataclass(frozen=True)
class OrderLineRow:
    product_public_id: str
    name: str
    variant_label: str
    image: str
    # What the buyer paid, in their currency; the seller's own price when it differs.
    unit_price: Money
    quantity: int
    total: Money
    seller_unit_price: Money | None


@dataclass(frozen=True)
class SellerOrderView:
    seller_order: SellerOrder
    lines: list[OrderLineRow]
    can_confirm_delivery: bool
    # Paid, not shipped yet: the buyer may still cancel and is refunded in full.
    can_cancel: bool


def seller_order_views(order: Order) -> list[SellerOrderView]:
    return [
        SellerOrderView(
            seller_order=seller_order,
            lines=order_line_rows(seller_order),
            can_confirm_delivery=SellerOrder.TRANSITIONS.can(
                seller_order.status, SellerOrder.Status.DELIVERED
            ),
            can_cancel=seller_order.status == SellerOrder.Status.AWAITING_SHIPMENT,
        )
        for seller_order in order.seller_orders.all()
    ]


def order_line_rows(seller_order: SellerOrder) -> list[OrderLineRow]:
    converted = seller_order.is_converted
    return [
        OrderLineRow(
            product_public_id=line.product_public_id,
            name=line.product_name,
            variant_label=line.variant_label,
            image=line.image,
            unit_price=Money(line.buyer_unit_price_amount, seller_order.buyer_currency),
            quantity=line.quantity,
            total=Money(line.buyer_line_total_amount, seller_order.buyer_currency),
            seller_unit_price=Money(line.unit_price_amount, seller_order.currency)
            if converted
            else None,
        )
        for line in seller_order.lines.all()
    ]
