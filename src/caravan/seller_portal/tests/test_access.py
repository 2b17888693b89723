from urllib.parse import quote

import pytest
from django.urls import reverse
from tests.factories import add_member, make_user

from caravan.offers.models import Offer
from caravan.orders.models import SellerOrder

from .portal_helpers import market_seller_order, owner_of

PORTAL_PAGES = [
    ("seller_portal:dashboard", {}),
    ("seller_portal:orders", {}),
    ("seller_portal:offers", {}),
    ("seller_portal:offer_new", {}),
    ("seller_portal:products", {}),
    ("seller_portal:product_new", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PORTAL_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in_with_next(client, db, name, kwargs):
    url = reverse(name, kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('storefront:login')}?next={quote(url)}"


@pytest.mark.parametrize(("name", "kwargs"), PORTAL_PAGES)
def test_buyer_without_a_shop_gets_a_friendly_403(client, db, name, kwargs):
    client.force_login(make_user(email="shopper@example.com"))

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 403
    assert b'data-testid="not-seller"' in response.content
    assert reverse("storefront:home").encode() in response.content


def test_owner_sees_the_dashboard_with_shop_name_flag_and_currency(client, market):
    client.force_login(owner_of(market.seller_cn))

    response = client.get(reverse("seller_portal:dashboard"))

    assert response.status_code == 200
    seller_block = response.content.decode().split('data-testid="portal-seller"')[1][:600]
    assert "Shenzhen Tech" in seller_block
    assert "🇨🇳" in seller_block
    assert "CNY" in seller_block


def test_fulfilment_member_cannot_change_prices(client, market):
    member = add_member(seller=market.seller_ru, role="fulfilment")
    client.force_login(member)
    offer = market.offer_ru

    inline = client.post(
        reverse("seller_portal:offer_inline", args=[offer.public_id]),
        {f"offer-{offer.public_id}-price": "1", f"offer-{offer.public_id}-stock": "1"},
        HTTP_HX_REQUEST="true",
    )
    edit = client.post(
        reverse("seller_portal:offer_edit", args=[offer.public_id]),
        {"price": "1", "stock": "1", "handling_days": "1", "is_active": "on"},
    )
    listing = client.get(reverse("seller_portal:offers"))

    assert (inline.status_code, edit.status_code, listing.status_code) == (403, 403, 403)
    assert b'data-testid="forbidden"' in inline.content
    offer.refresh_from_db()
    assert (offer.price_amount, offer.stock_quantity) == (2500, 5)


def test_fulfilment_member_can_ship_and_lands_on_orders(client, market):
    seller_order = market_seller_order(market)
    member = add_member(seller=market.seller_ru, role="fulfilment")
    client.force_login(member)

    landing = client.get(reverse("seller_portal:dashboard"))
    response = client.post(
        reverse("seller_portal:order", args=[seller_order.public_id]),
        {"carrier": "Russian Post", "tracking_number": "RA123456789RU"},
    )

    assert landing.status_code == 302
    assert landing["Location"] == reverse("seller_portal:orders")
    assert response.status_code == 302
    seller_order.refresh_from_db()
    assert (seller_order.status, seller_order.tracking_number) == ("shipped", "RA123456789RU")
    assert seller_order.events.order_by("-id").first().actor == member


def test_finance_member_reads_orders_but_cannot_ship(client, market):
    seller_order = market_seller_order(market)
    client.force_login(add_member(seller=market.seller_ru, role="finance"))

    dashboard = client.get(reverse("seller_portal:dashboard"))
    detail = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))
    ship = client.post(
        reverse("seller_portal:order", args=[seller_order.public_id]),
        {"carrier": "Russian Post", "tracking_number": "RA123456789RU"},
    )
    offers = client.get(reverse("seller_portal:offers"))

    assert (dashboard.status_code, detail.status_code) == (200, 200)
    assert b'data-testid="ship-form"' not in detail.content
    assert (ship.status_code, offers.status_code) == (403, 403)
    seller_order.refresh_from_db()
    assert (seller_order.status, seller_order.tracking_number) == ("awaiting_shipment", "")


def test_catalog_member_manages_offers_but_not_orders(client, market):
    seller_order = market_seller_order(market)
    client.force_login(add_member(seller=market.seller_ru, role="catalog"))

    landing = client.get(reverse("seller_portal:dashboard"))
    offers = client.get(reverse("seller_portal:offers"))
    products = client.get(reverse("seller_portal:products"))
    orders = client.get(reverse("seller_portal:orders"))
    ship = client.post(
        reverse("seller_portal:order", args=[seller_order.public_id]),
        {"carrier": "Russian Post", "tracking_number": "RA123456789RU"},
    )

    assert landing["Location"] == reverse("seller_portal:offers")
    assert (offers.status_code, products.status_code) == (200, 200)
    assert (orders.status_code, ship.status_code) == (403, 403)
    assert SellerOrder.objects.get(id=seller_order.id).status == "awaiting_shipment"
    assert Offer.objects.get(id=market.offer_ru.id).price_amount == 2500


def test_the_portal_speaks_russian(client, market):
    client.force_login(owner_of(market.seller_ru))
    client.cookies["django_language"] = "ru"

    response = client.get(reverse("seller_portal:dashboard"))

    html = response.content.decode()
    assert "<h1>Сводка</h1>" in html
    assert "Выручка сегодня" in html
    assert "Продавать товар из каталога" in html
