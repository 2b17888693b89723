"""Helpers shared by the seller portal tests (not a test module)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from tests.factories import Market, fill_cart, make_buyer

from caravan.accounts.models import User
from caravan.cart.services import place_order
from caravan.offers.models import Offer
from caravan.orders.models import Order, SellerOrder
from caravan.orders.services import mark_order_paid
from caravan.sellers.models import Seller


def owner_of(seller: Seller) -> User:
    return seller.memberships.get(role="owner").user


def place_paid_order(*, offer: Offer, quantity: int = 1, paid: bool = True) -> Order:
    """A new buyer orders from one offer; the order is paid unless told otherwise."""
    buyer, address = make_buyer()
    cart = fill_cart(user=buyer, lines=[(offer, quantity)])
    order = place_order(cart=cart, buyer=buyer, address=address)
    if paid:
        mark_order_paid(order_id=order.id)
    return order


def seller_order_of(order: Order, seller: Seller) -> SellerOrder:
    return SellerOrder.objects.get(order=order, seller=seller)


def restock(offer: Offer, quantity: int) -> None:
    Offer.objects.filter(id=offer.id).update(stock_quantity=quantity)


def png_upload(name: str = "photo.png", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def market_seller_order(market: Market, *, paid: bool = True) -> SellerOrder:
    """A paid order from the market's Russian seller, awaiting shipment."""
    order = place_paid_order(offer=market.offer_ru, paid=paid)
    return seller_order_of(order, market.seller_ru)
