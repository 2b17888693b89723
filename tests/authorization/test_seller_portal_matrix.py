"""The seller portal's authorization matrix, proven URL by URL.

Every URL pattern of the portal is listed here with the roles allowed to use it. Each is
checked as: anonymous (sent to sign in), a buyer (403), a member of another seller (404 for
an object of this seller, nothing changed), every role (allowed -> success, others -> 403).
A new URL pattern that is not listed makes `test_every_portal_url_is_in_the_matrix` fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import TestCase
from django.urls import get_resolver, reverse
from django.utils import timezone

from caravan.catalog.models import Product, ProductTranslation
from caravan.catalog.services import AttributeInput, ProductInput, VariantInput
from caravan.conversations.models import ThreadMessage
from caravan.imports.models import OfferImport
from caravan.imports.services import preview_import
from caravan.imports.tests.helpers import csv_bytes, upload
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.proposals import propose_product
from caravan.orders.models import Order, SellerOrder
from caravan.parcels.models import Parcel, SdrRate, TrackingEvent
from caravan.parcels.services import ship_parcel
from caravan.payments.models import Refund
from caravan.payouts.models import Payout
from caravan.payouts.services import run_payouts
from caravan.payouts.tests.factories import RU_BIK, RU_INN, credit_payable, ru_account
from caravan.seller_portal.tests.portal_helpers import market_seller_order, owner_of
from caravan.sellers.models import Invitation, Membership, PayoutDetails, Seller
from caravan.sellers.services.staff import invite_member
from caravan.shipping.models import ProfileMethod, ShippingMethod, ShippingProfile, ShippingZone
from caravan.shipping.profile_services import save_method, save_profile, save_zone
from tests.factories import Market, add_member, build_market, make_user, pay_market_order

ROLES = ("owner", "manager", "catalog", "fulfilment", "finance")
SELLS = frozenset({"owner", "manager", "catalog"})
READS_ORDERS = frozenset({"owner", "manager", "fulfilment", "finance"})
SHIPS = frozenset({"owner", "manager", "fulfilment"})
FINANCE = frozenset({"owner", "finance"})


@dataclass
class World:
    """Seller A (the market's Russian seller) with one object of every kind."""

    market: Market
    seller_order: SellerOrder
    product_public_id: str
    offer_import: OfferImport
    colleague: Membership
    invitation: Invitation
    paid_seller_order: SellerOrder  # captured through the payment provider, refundable
    payout: Payout
    parcel: Parcel  # one of two units shipped: its seller order still awaits shipment


def build_world() -> World:
    market = build_market()
    owner = owner_of(market.seller_ru)
    outcome = propose_product(
        seller=market.seller_ru,
        data=ProductInput(
            category=market.product.category,
            name_ru="Чайник",
            name_en="Kettle",
            brand="Teapot Co",
            variants=[VariantInput(options=[AttributeInput("colour", "Белый", "White")])],
        ),
    )
    rows = [
        ["seller_sku", "product_id", "variant", "price", "currency", "stock"],
        ["SKU-1", market.product.public_id, "", "2400", "RUB", "7"],
    ]
    offer_import = preview_import(
        seller=market.seller_ru, uploaded_by=owner, upload=upload(csv_bytes(rows))
    )
    colleague_user = add_member(seller=market.seller_ru, role="catalog")
    with TestCase.captureOnCommitCallbacks(execute=True):
        paid_order = pay_market_order(market, quantity_ru=1, quantity_cn=1)
    PayoutDetails.objects.update_or_create(
        seller=market.seller_ru,
        defaults={
            "currency": "RUB",
            "bank_country": "RU",
            "account_holder": "ООО Московские товары",
            "bank_name": "ПАО Сбербанк",
            "account_number": ru_account(),
            "bik": RU_BIK,
        },
    )
    market.seller_ru.tax_id = RU_INN  # a rouble payout names the seller's INN
    market.seller_ru.save(update_fields=["tax_id"])
    credit_payable(seller=market.seller_ru, amount=Money("1200.00", "RUB"))
    add_shipping_profile(market.seller_ru)
    (payout,) = run_payouts().payouts
    return World(
        market=market,
        seller_order=market_seller_order(market),
        product_public_id=outcome.product.public_id,
        offer_import=offer_import,
        colleague=Membership.objects.get(user=colleague_user),
        invitation=invite_member(
            seller=market.seller_ru,
            actor=owner,
            email="newcomer@example.com",
            role="fulfilment",
            site_url="http://testserver",
        ),
        paid_seller_order=paid_order.seller_orders.get(seller=market.seller_ru),
        payout=payout,
        parcel=ship_one_of_two(market),
    )


def ship_one_of_two(market: Market) -> Parcel:
    with TestCase.captureOnCommitCallbacks(execute=True):
        order = pay_market_order(market, quantity_ru=2, quantity_cn=1)
    # Bound for Kazakhstan: a cross-border parcel, with a customs declaration to print.
    Order.objects.filter(id=order.id).update(ship_to_country="KZ")
    SdrRate.objects.create(rate_date=timezone.localdate(), rub_per_sdr="107.4492", source="cbr")
    seller_order = order.seller_orders.get(seller=market.seller_ru)
    return ship_parcel(
        seller=market.seller_ru,
        seller_order_public_id=seller_order.public_id,
        carrier="sandbox",
        tracking_number="SBX-MATRIX-1",
        quantities={seller_order.lines.get().id: 1},
        actor=owner_of(market.seller_ru),
    )


@dataclass(frozen=True)
class Route:
    allowed: frozenset[str]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    target: Callable[[World], dict[str, Any]] | None = None
    # The dashboard sends a member whose role has no dashboard to their own first page.
    refused_with_redirect: bool = False


def order(world: World) -> dict[str, Any]:
    return {"public_id": world.seller_order.public_id}


def paid_order(world: World) -> dict[str, Any]:
    return {"public_id": world.paid_seller_order.public_id}


def parcel(world: World) -> dict[str, Any]:
    return {"public_id": world.parcel.seller_order.public_id, "parcel_id": world.parcel.id}


def parcel_event(world: World) -> dict[str, Any]:
    prefix = f"parcel-{world.parcel.id}"
    return {
        f"{prefix}-status": "in_transit",
        f"{prefix}-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


def payout(world: World) -> dict[str, Any]:
    return {"public_id": world.payout.public_id}


def offer(world: World) -> dict[str, Any]:
    return {"public_id": world.market.offer_ru.public_id}


def product(world: World) -> dict[str, Any]:
    return {"public_id": world.product_public_id}


def offer_import(world: World) -> dict[str, Any]:
    return {"public_id": world.offer_import.public_id}


def colleague(world: World) -> dict[str, Any]:
    return {"membership_id": world.colleague.id}


def invitation(world: World) -> dict[str, Any]:
    return {"public_id": world.invitation.public_id}


def add_shipping_profile(seller: Seller) -> None:
    profile = save_profile(
        seller=seller,
        name="Moscow",
        warehouse_country="RU",
        warehouse_city="Moscow",
        warehouse_timezone="Europe/Moscow",
        handling_days=1,
        weekdays_off=[5, 6],
    )
    save_zone(seller=seller, profile_id=profile.id, name="Russia", countries=["RU"])
    save_method(
        seller=seller, profile_id=profile.id, name_ru="Курьер", name_en="Courier", carrier="CDEK"
    )


def shipping_profile(world: World) -> dict[str, Any]:
    return {
        "profile_id": ShippingProfile.objects.get(seller=world.market.seller_ru, name="Moscow").id
    }


def shipping_zone(world: World) -> dict[str, Any]:
    return {
        "zone_id": ShippingZone.objects.get(
            profile__seller=world.market.seller_ru, profile__name="Moscow", name="Russia"
        ).id
    }


def profile_method(world: World) -> dict[str, Any]:
    return {
        "method_id": ProfileMethod.objects.get(
            profile__seller=world.market.seller_ru, profile__name="Moscow"
        ).id
    }


def shipping_rate(world: World) -> dict[str, Any]:
    return profile_method(world) | shipping_zone(world)


def shipping_method(world: World) -> dict[str, Any]:
    method = world.market.seller_ru.shipping_methods.first()
    assert method is not None
    return {"method_id": method.id}


def inline_prices(world: World) -> dict[str, Any]:
    prefix = f"offer-{world.market.offer_ru.public_id}"
    return {f"{prefix}-price": "2450", f"{prefix}-stock": "9"}


MATRIX: dict[str, Route] = {
    "dashboard": Route(frozenset({"owner", "manager", "finance"}), refused_with_redirect=True),
    "orders": Route(READS_ORDERS),
    "order": Route(READS_ORDERS, target=order),
    "order_cancel": Route(SHIPS, "post", lambda _: {"reason": "Out of stock"}, paid_order),
    "order_thread_post": Route(READS_ORDERS, "post", lambda _: {"body": "Shipping today"}, order),
    "order_ship": Route(SHIPS, target=paid_order),
    "parcel_event": Route(SHIPS, "post", parcel_event, parcel),
    "parcel_declaration": Route(SHIPS, target=parcel),
    "offers": Route(SELLS),
    "offer_new": Route(SELLS),
    "offer_edit": Route(SELLS, target=offer),
    "offer_inline": Route(SELLS, "post", inline_prices, offer),
    "products": Route(SELLS),
    "product_new": Route(SELLS),
    "product_edit": Route(SELLS, target=product),
    "product_customs": Route(SELLS, target=product),
    "product_translations": Route(SELLS, target=product),
    "bulk": Route(SELLS),
    "bulk_export": Route(SELLS),
    "bulk_template": Route(SELLS),
    "bulk_preview": Route(SELLS, target=offer_import),
    "bulk_apply": Route(SELLS, "post", target=offer_import),
    "bulk_discard": Route(SELLS, "post", target=offer_import),
    "staff": Route(frozenset({"owner", "manager"})),
    "member_role": Route(
        frozenset({"owner", "manager"}), "post", lambda _: {"role": "finance"}, colleague
    ),
    "member_remove": Route(frozenset({"owner", "manager"}), "post", target=colleague),
    "invitation_revoke": Route(frozenset({"owner", "manager"}), "post", target=invitation),
    "store_profile": Route(frozenset({"owner", "manager", "catalog"})),
    "payout": Route(frozenset({"owner", "finance"})),
    "delivery": Route(SELLS),
    "delivery_new": Route(SELLS),
    "delivery_edit": Route(SELLS, target=shipping_method),
    "delivery_toggle": Route(SELLS, "post", target=shipping_method),
    "shipping_profiles": Route(SELLS),
    "shipping_profile_new": Route(SELLS),
    "shipping_profile_edit": Route(SELLS, target=shipping_profile),
    "shipping_zone_new": Route(SELLS, target=shipping_profile),
    "shipping_zone_edit": Route(SELLS, target=shipping_zone),
    "shipping_method_new": Route(SELLS, target=shipping_profile),
    "shipping_method_edit": Route(SELLS, target=profile_method),
    "shipping_rate_edit": Route(SELLS, target=shipping_rate),
    "finance": Route(FINANCE),
    "finance_statement": Route(FINANCE),
    "finance_statement_export": Route(FINANCE),
    "finance_remittance": Route(FINANCE, target=payout),
}

# Portal URLs that are not a seller's workspace, and why.
OUTSIDE_SELLER_SCOPE = {
    "sell": "public: explains selling and links to the application; shows no seller's data",
    "apply": "anyone signed in may apply; the page shows only the user's own application",
    "apply_document_remove": "removes a document of the signed-in applicant's own application",
    "invitation": "reached through a signed one-time token, by whoever holds the link",
}

OBJECT_ROUTES = [name for name, route in MATRIX.items() if route.target is not None]


def portal_url_names() -> set[str]:
    namespace = get_resolver().namespace_dict["seller_portal"][1]
    return {pattern.name for pattern in namespace.url_patterns if pattern.name}


def url_for(name: str, world: World) -> str:
    route = MATRIX[name]
    return reverse(f"seller_portal:{name}", kwargs=route.target(world) if route.target else None)


def call(client: Any, name: str, world: World) -> Any:
    route = MATRIX[name]
    return getattr(client, route.method)(
        url_for(name, world), route.data(world) if route.data else {}
    )


def fingerprint(world: World) -> tuple[object, ...]:
    """What a refused request must leave exactly as it was."""
    world.invitation.refresh_from_db()
    return (
        tuple(Offer.objects.order_by("id").values_list("id", "price_amount", "stock_quantity")),
        tuple(Membership.objects.order_by("id").values_list("id", "role")),
        tuple(OfferImport.objects.order_by("id").values_list("id", "status")),
        tuple(SellerOrder.objects.order_by("id").values_list("id", "status", "tracking_number")),
        tuple(ShippingMethod.objects.order_by("id").values_list("id", "is_active", "price_amount")),
        world.invitation.revoked_at,
        tuple(Refund.objects.order_by("id").values_list("id", "status", "amount")),
        tuple(Payout.objects.order_by("id").values_list("id", "status")),
        tuple(ThreadMessage.objects.order_by("id").values_list("id", "body")),
        tuple(Parcel.objects.order_by("id").values_list("id", "status")),
        TrackingEvent.objects.count(),
        tuple(ProductTranslation.objects.order_by("id").values_list("id", "name")),
        tuple(Product.objects.order_by("id").values_list("id", "original_language", "hs_code")),
    )


def test_every_portal_url_is_in_the_matrix():
    assert portal_url_names() == set(MATRIX) | set(OUTSIDE_SELLER_SCOPE)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    world = build_world()
    before = fingerprint(world)

    response = call(client, name, world)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("storefront:login"))
    assert fingerprint(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_buyer_is_refused(client, name):
    world = build_world()
    before = fingerprint(world)
    client.force_login(world.market.buyer)

    response = call(client, name, world)

    assert response.status_code == 403
    assert fingerprint(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_another_sellers_owner_finds_nothing(client, name):
    world = build_world()
    before = fingerprint(world)
    client.force_login(owner_of(world.market.seller_cn))

    response = call(client, name, world)

    assert response.status_code == 404
    assert fingerprint(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_exactly_its_pages(client, name, role):
    world = build_world()
    member = (
        owner_of(world.market.seller_ru)
        if role == "owner"
        else add_member(seller=world.market.seller_ru, role=role, user=make_user())
    )
    before = fingerprint(world)
    client.force_login(member)

    response = call(client, name, world)

    route = MATRIX[name]
    if role in route.allowed:
        expected = {200} if route.method == "get" else {200, 302}
        assert response.status_code in expected
    elif route.refused_with_redirect:
        assert response.status_code == 302
        assert fingerprint(world) == before
    else:
        assert response.status_code == 403
        assert fingerprint(world) == before
