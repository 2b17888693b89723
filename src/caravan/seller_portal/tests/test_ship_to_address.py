"""The seller reads the address it ships to in the destination's format."""

import pytest
from django.urls import reverse
from tests.factories import fill_cart, make_user

from caravan.accounts.services import add_address
from caravan.cart.services import place_order
from caravan.orders.models import SellerOrder
from caravan.orders.services import mark_order_paid

from .portal_helpers import owner_of

pytestmark = pytest.mark.django_db


def test_the_seller_sees_a_chinese_address_in_latin_and_the_phone_internationally(client, market):
    buyer = make_user(email="wang@example.com", full_name="王芳")
    address = add_address(
        user=buyer,
        full_name="王芳",
        phone="138 0013 8000",
        country="CN",
        region="广东省",
        city="深圳市",
        city_area="南山区",
        postal_code="518057",
        street="科技园 1号",
    )
    order = place_order(
        cart=fill_cart(user=buyer, lines=[(market.offer_ru, 1)]), buyer=buyer, address=address
    )
    mark_order_paid(order_id=order.id)
    seller_order = SellerOrder.objects.get(order=order)
    client.force_login(owner_of(market.seller_ru))

    html = client.get(
        reverse("seller_portal:order", args=[seller_order.public_id])
    ).content.decode()

    # A Russian seller reads China's Latin-script format: recipient first, region names in Latin.
    assert (
        "<strong>王芳</strong><br>科技园 1号<br>Nanshan Qu<br>Shenzhen Shi<br>Guangdong Sheng, 518057<br>"
        in html
    )
    assert '<span class="muted" data-testid="ship-to-phone">+86 138 0013 8000</span>' in html


def test_a_us_address_keeps_its_state_code_for_a_seller_abroad(client, market):
    buyer = make_user(email="emily@example.com", full_name="Emily Carter")
    address = add_address(
        user=buyer,
        full_name="Emily Carter",
        phone="(212) 555-0147",
        country="US",
        region="new york",
        city="New York",
        postal_code="10001",
        street="350 Fifth Avenue, Apt 12B",
    )
    order = place_order(
        cart=fill_cart(user=buyer, lines=[(market.offer_ru, 1)]), buyer=buyer, address=address
    )
    mark_order_paid(order_id=order.id)
    seller_order = SellerOrder.objects.get(order=order)
    client.force_login(owner_of(market.seller_ru))

    html = client.get(
        reverse("seller_portal:order", args=[seller_order.public_id])
    ).content.decode()

    assert (
        "<strong>Emily Carter</strong><br>350 Fifth Avenue, Apt 12B<br>New York, NY 10001<br>"
        in html
    )
    assert '<span class="muted" data-testid="ship-to-phone">+1 212-555-0147</span>' in html
