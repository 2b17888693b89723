"""API shapes. Money travels as a decimal string plus an ISO 4217 code, never a float."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Schema

from caravan.kernel.money import Money


class MoneyOut(Schema):
    amount: str
    currency: str

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        return cls(amount=str(money.rounded().amount), currency=money.currency)


class ErrorOut(Schema):
    code: str
    message: str


class CategoryOut(Schema):
    slug: str
    name: str
    children: list[CategoryOut] = []


class SellerOut(Schema):
    name: str
    country: str


class OfferOut(Schema):
    id: str
    seller: SellerOut
    variant_id: str
    variant_label: str
    # The seller's own price, in the seller's currency.
    price: MoneyOut
    stock_quantity: int
    handling_days: int
    ships_from: str
    # With `currency`: the price in it, with the operator's conversion margin, rounded to the
    # currency's minor unit (the unit price checkout charges). Null without `currency`, and
    # when no exchange rate into it is known (never a made-up rate).
    buyer_price: MoneyOut | None = None


class ProductCardOut(Schema):
    id: str
    name: str
    brand: str
    category: str
    image_url: str | None
    best_offer: OfferOut | None
    offer_count: int
    seller_count: int


class FacetOptionOut(Schema):
    value: str
    label: str
    count: int
    selected: bool
    # Price ranges only: the bounds to send as price_min / price_max, in `currency`.
    price_min: Decimal | None = None
    price_max: Decimal | None = None


class FacetOut(Schema):
    # The query parameter a value is sent in (category facets: the category's slug).
    name: str
    title: str
    kind: str
    options: list[FacetOptionOut]


class ProductPageOut(Schema):
    items: list[ProductCardOut]
    total: int
    page: int
    pages: int
    # The buyer's currency the price facet and price filters use.
    currency: str
    # Counts per value, each as if its own facet were not chosen; empty with facets=false.
    facets: list[FacetOut]


class SpecOut(Schema):
    attribute: str
    value: str


class VariantOut(Schema):
    id: str
    label: str
    gtin: str


class ProductOut(Schema):
    id: str
    name: str
    brand: str
    description: str
    category: str
    images: list[str]
    specs: list[SpecOut]
    variants: list[VariantOut]
    offers: list[OfferOut]


class SellerOrderOut(Schema):
    number: str
    seller: str
    status: str
    # What the buyer pays for this parcel, in the order's currency.
    total: MoneyOut
    # The seller's own figure, in the seller's currency, and the frozen conversion.
    seller_total: MoneyOut
    fx_rate: str
    carrier: str
    tracking_number: str


class OrderOut(Schema):
    number: str
    status: str
    placed_at: datetime
    # The one amount charged, in the buyer's currency.
    total: MoneyOut
    totals: list[MoneyOut]
    seller_orders: list[SellerOrderOut]


class CheckoutIn(Schema):
    address_id: int
    currency: str


class PaymentOut(Schema):
    order: str
    payment: str
    amount: MoneyOut
    # Where the buyer pays this attempt.
    redirect_url: str


class CheckoutOut(Schema):
    order: str
    payment: str
    amount: MoneyOut
    # Where the buyer pays; empty when the provider could not be reached (pay again later).
    redirect_url: str
    replayed: bool


class ThreadMessageIn(Schema):
    body: str


class ThreadMessageOut(Schema):
    id: str
    # "buyer", "seller" or "operator"; `author` is "you" or the shop's name, never a person's.
    side: str
    author: str
    body: str
    created_at: datetime
    # Whether the other side has seen it (for the buyer's own messages).
    read: bool


class ThreadOut(Schema):
    # The seller order's number (SellerOrderOut.number).
    seller_order: str
    seller: str
    unread: int
    messages: list[ThreadMessageOut]
