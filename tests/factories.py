"""Factories: small functions that build valid objects through the services."""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from caravan.accounts.models import Address, User
from caravan.accounts.services import add_address, register_user
from caravan.cart.checkout import CheckoutResult, check_out
from caravan.cart.models import Cart
from caravan.cart.services import add_to_cart, get_or_create_cart, place_order
from caravan.catalog.models import Category, Product, Variant
from caravan.catalog.services import (
    AttributeInput,
    ProductInput,
    VariantInput,
    create_product,
    ensure_attribute,
)
from caravan.fx.services import record_rate
from caravan.kernel.ids import public_id
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.services import create_offer
from caravan.orders.models import Order
from caravan.payments.models import SandboxSession
from caravan.payments.sandbox import build_event, resolve_session
from caravan.payments.services import handle_notification
from caravan.payments.signing import SIGNATURE_HEADER, sign
from caravan.search.models import PendingProjection
from caravan.search.projection import project_listings
from caravan.sellers.models import Membership, Seller
from caravan.sellers.services import create_seller
from caravan.shipping.models import ProfileMethod, ShippingMethod
from caravan.shipping.services import create_shipping_method

PASSWORD = "Caravan-test-pass-42"
_sequence = itertools.count(1)


def make_user(*, email: str | None = None, full_name: str = "Test User") -> User:
    return register_user(
        email=email or f"user{next(_sequence)}@example.com", password=PASSWORD, full_name=full_name
    )


def make_address(
    *, user: User, country: str = "RU", street: str = "Tverskaya 1, flat 2"
) -> Address:
    """Addresses are saved once per distinct address: another one needs another street."""
    return add_address(
        user=user,
        full_name=user.full_name or "Ivan Petrov",
        phone="+79001234567",
        country=country,
        region="Москва" if country == "RU" else "",
        city="Moscow",
        postal_code="101000",
        street=street,
    )


# Addresses valid in their country's format (accounts.address_rules), for buyers abroad.
ADDRESSES_ABROAD = {
    "DE": {
        "phone": "+49 30 901820",
        "region": "",
        "city": "Berlin",
        "postal_code": "10117",
        "street": "Friedrichstraße 43",
    },
    "CN": {
        "phone": "+86 139 1234 5678",
        "region": "上海市",
        "city": "浦东新区",
        "postal_code": "200120",
        "street": "世纪大道 100号 8楼",
    },
    "US": {
        "phone": "+1 650 253 0000",
        "region": "CA",
        "city": "Mountain View",
        "postal_code": "94043",
        "street": "1600 Amphitheatre Parkway",
    },
}


def make_address_abroad(*, user: User, country: str) -> Address:
    """A buyer's address in Germany, China or the US, valid there (make_address writes
    Moscow's)."""
    return add_address(
        user=user,
        full_name=user.full_name or "Jonas Weber",
        country=country,
        **ADDRESSES_ABROAD[country],
    )


def make_seller(
    *,
    name: str | None = None,
    country: str = "RU",
    currency: str = "RUB",
    owner: User | None = None,
    delivery_price: str | None = "300",
) -> Seller:
    """An active seller; with a `delivery_price` also one flat delivery method (3-7 days),
    which the shipping app mirrors into a default worldwide profile (ADR 0012). None: no
    delivery at all (shipping-engine tests build their own profiles)."""
    label = name or f"Seller {next(_sequence)}"
    seller = create_seller(
        owner=owner or make_user(), name=label, country=country, currency=currency
    )
    if delivery_price is None:
        return seller
    create_shipping_method(
        seller=seller,
        name_ru="Стандартная доставка",
        name_en="Standard delivery",
        carrier="Caravan Post",
        price=Money(delivery_price, currency),
        transit_days_min=3,
        transit_days_max=7,
    )
    return seller


def add_member(*, seller: Seller, role: str, user: User | None = None) -> User:
    member = user or make_user()
    Membership.objects.create(seller=seller, user=member, role=role)
    return member


def make_category(*, slug: str | None = None, parent: Category | None = None) -> Category:
    number = next(_sequence)
    return Category.objects.create(
        slug=slug or f"category-{number}",
        parent=parent,
        name_ru=f"Категория {number}",
        name_en=f"Category {number}",
    )


def make_product(
    *,
    category: Category | None = None,
    name_en: str | None = None,
    name_ru: str | None = None,
    colours: tuple[str, ...] = ("Black",),
    hs_code: str = "851830",
    net_weight_grams: int | None = 250,
) -> Product:
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    ensure_attribute(code="brand-line", name_ru="Серия", name_en="Series")
    number = next(_sequence)
    leaf = category or make_category(parent=make_category())
    return create_product(
        data=ProductInput(
            category=leaf,
            name_ru=name_ru or f"Товар {number}",
            name_en=name_en or f"Product {number}",
            brand="Acme",
            description_ru="Описание товара",
            description_en="Product description",
            specs=[AttributeInput("brand-line", "Классика", "Classic")],
            variants=[
                VariantInput(
                    options=[AttributeInput("colour", colour, colour)],
                    net_weight_grams=net_weight_grams,
                )
                for colour in colours
            ],
            # A cross-border sale is assessed for customs at placement (ADR 0010), which
            # needs the HS code and the net weight; headphones, made in China.
            hs_code=hs_code,
            origin_country="CN" if hs_code else "",
        )
    )


def make_offer(
    *,
    seller: Seller,
    variant: Variant | None = None,
    price: str = "1000",
    stock: int = 10,
    handling_days: int = 1,
) -> Offer:
    target = variant or make_product().variants.get()
    offer = create_offer(
        seller=seller,
        variant=target,
        price=Money(price, seller.currency),
        stock_quantity=stock,
        handling_days=handling_days,
    )
    project(target.product_id)
    return offer


def project(*products: Product | int) -> None:
    """Project these products' listing rows and take them off the pending-projection queue,
    as the drain after the commit of the change that touched them does (ADR 0007): a test's
    transaction never commits. Tests of a service's own change use
    django_capture_on_commit_callbacks(execute=True) instead, to run the production path."""
    product_ids = [product if isinstance(product, int) else product.id for product in products]
    project_listings(product_ids=product_ids)
    PendingProjection.objects.filter(product_id__in=product_ids).delete()


def default_rates() -> None:
    """Rates both ways, as a feed import records them (the inverse of a RUB rate, and the
    cross rates through it)."""
    customs_rates()
    rub = {"CNY": Decimal("12.50"), "EUR": Decimal("100.00"), "TRY": Decimal("2.50")}
    for base, rate in rub.items():
        record_rate(base=base, quote="RUB", rate=rate, source="test")
        record_rate(
            base="RUB", quote=base, rate=(1 / rate).quantize(Decimal("1e-8")), source="test"
        )
    record_rate(base="CNY", quote="EUR", rate=Decimal("0.125"), source="test")
    record_rate(base="EUR", quote="CNY", rate=Decimal("8"), source="test")


def customs_rates() -> None:
    """The rates customs thresholds convert at (the CBR's for the EAEU, the ECB's for the
    EU), for a buyer paying in RUB, CNY or EUR; recorded as the feeds would, apart from the
    checkout's own quotes (whose "test" rows are newer and win)."""
    record_rate(base="EUR", quote="RUB", rate=Decimal("100.00"), source="cbr")
    record_rate(base="EUR", quote="CNY", rate=Decimal("8"), source="cbr-cross")
    record_rate(base="EUR", quote="RUB", rate=Decimal("100.00"), source="ecb")
    record_rate(base="EUR", quote="CNY", rate=Decimal("8"), source="ecb")


@dataclass
class Market:
    """Two sellers in two currencies competing on one product, and a buyer."""

    buyer: User
    address: Address
    seller_ru: Seller
    seller_cn: Seller
    product: Product
    offer_ru: Offer
    offer_cn: Offer
    method_ru: ShippingMethod  # the flat rows (the old portal page)
    method_cn: ShippingMethod
    delivery_ru: ProfileMethod  # what the cart quotes: mirrored into default profiles
    delivery_cn: ProfileMethod


def build_market() -> Market:
    default_rates()
    seller_ru = make_seller(name="Moscow Goods", country="RU", currency="RUB", delivery_price="300")
    seller_cn = make_seller(name="Shenzhen Tech", country="CN", currency="CNY", delivery_price="25")
    product = make_product(name_en="Wireless Headphones", name_ru="Беспроводные наушники")
    variant = product.variants.get()
    offer_ru = make_offer(seller=seller_ru, variant=variant, price="2500", stock=5)
    offer_cn = make_offer(seller=seller_cn, variant=variant, price="150", stock=8, handling_days=3)
    buyer = make_user(email="buyer@example.com", full_name="Ivan Petrov")
    return Market(
        buyer=buyer,
        address=make_address(user=buyer),
        seller_ru=seller_ru,
        seller_cn=seller_cn,
        product=product,
        offer_ru=offer_ru,
        offer_cn=offer_cn,
        method_ru=seller_ru.shipping_methods.get(),
        method_cn=seller_cn.shipping_methods.get(),
        delivery_ru=ProfileMethod.objects.get(profile__seller=seller_ru),
        delivery_cn=ProfileMethod.objects.get(profile__seller=seller_cn),
    )


# --- Checkout and payment helpers (service-level tests of cart, orders, payments) ---


def make_buyer(*, email: str | None = None) -> tuple[User, Address]:
    """A registered buyer with one shipping address."""
    buyer = make_user(email=email, full_name="Anna Smirnova")
    return buyer, make_address(user=buyer)


def fill_cart(*, user: User, lines: Sequence[tuple[Offer, int]]) -> Cart:
    """The user's cart holding the given (offer, quantity) lines."""
    cart = get_or_create_cart(token=None, user=user)
    for offer, quantity in lines:
        add_to_cart(cart=cart, offer_public_id=offer.public_id, quantity=quantity)
    return cart


def place_market_order(market: Market, *, quantity_ru: int = 2, quantity_cn: int = 1) -> Order:
    """The market's buyer orders from both sellers in one checkout."""
    cart = fill_cart(
        user=market.buyer, lines=[(market.offer_ru, quantity_ru), (market.offer_cn, quantity_cn)]
    )
    return place_order(cart=cart, buyer=market.buyer, address=market.address)


def webhook_signature(
    *, body: bytes, timestamp: int | None = None, secret: str | None = None
) -> str:
    """The Caravan-Signature header the sandbox provider would send with this body."""
    return sign(
        body=body,
        secret=secret if secret is not None else settings.PAYMENT_WEBHOOK_SECRET,
        timestamp=int(time.time()) if timestamp is None else timestamp,
    )


def provider_event(
    *, session_reference: str, approved: bool, event_id: str | None = None
) -> tuple[bytes, str]:
    """A signed notification body and header for the sandbox payment, with a chosen event
    id, exactly as the sandbox provider sends it."""
    session = SandboxSession.objects.get(reference=session_reference)
    body = build_event(session=session, approved=approved, event_id=event_id)
    return body, webhook_signature(body=body)


def deliver_event(*, session_reference: str, approved: bool, event_id: str | None = None) -> bool:
    """The provider notifies Caravan (the service, as the webhook view calls it)."""
    body, signature = provider_event(
        session_reference=session_reference, approved=approved, event_id=event_id
    )
    return handle_notification(
        body=body, headers={SIGNATURE_HEADER: signature}, remote_addr="127.0.0.1"
    )


def check_out_cart(
    *, user: User, address: Address, cart: Cart, currency: str = "RUB", key: str | None = None
) -> CheckoutResult:
    """Place and open the payment the way the storefront does."""
    return check_out(
        cart=cart,
        buyer=user,
        address=address,
        currency=currency,
        idempotency_key=key or public_id(),
        return_url=lambda order: f"/orders/{order.number}/?from=payment",
    )


def pay_market_order(market: Market, *, quantity_ru: int = 2, quantity_cn: int = 1) -> Order:
    """The market's buyer checks out from both sellers in roubles and the sandbox captures."""
    cart = fill_cart(
        user=market.buyer, lines=[(market.offer_ru, quantity_ru), (market.offer_cn, quantity_cn)]
    )
    result = check_out_cart(user=market.buyer, address=market.address, cart=cart)
    # The buyer approves on the sandbox's hosted page, which notifies Caravan.
    resolve_session(reference=result.payment.provider_reference, approved=True)
    result.order.refresh_from_db()
    return result.order


def set_clock(monkeypatch: pytest.MonkeyPatch, *, at: datetime) -> datetime:
    """Stop every reader of django.utils.timezone.now at `at` (an aware datetime)."""
    monkeypatch.setattr(timezone, "now", lambda: at)
    return at


def move_clock(monkeypatch: pytest.MonkeyPatch, *, by: timedelta) -> datetime:
    """Move every reader of django.utils.timezone.now (kernel.clock included) forward."""
    later = timezone.now() + by
    monkeypatch.setattr(timezone, "now", lambda: later)
    return later


def place_cart_order(*, user: User, address: Address, lines: Sequence[tuple[Offer, int]]) -> Order:
    """Fill the user's cart with the lines and place it (for tests below the cart layer)."""
    return place_order(cart=fill_cart(user=user, lines=lines), buyer=user, address=address)
