"""Line thumbnails on the cart, checkout and order pages: the small WebP rendition (sharp on a
2x screen), the original as the fallback, a reserved box and lazy loading; the original alone
when the image has no renditions."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from PIL import Image
from tests.factories import fill_cart, pay_market_order

from caravan.catalog.renditions import delete_renditions, rendition_name
from caravan.catalog.services import add_product_image

pytestmark = pytest.mark.django_db


def pictured(market) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), (30, 90, 200)).save(buffer, "JPEG")
    add_product_image(
        product=market.product, image=ContentFile(buffer.getvalue(), name="headphones.jpg")
    )
    market.product.refresh_from_db()
    return market.product.cover_image


def thumbnail_html(cover: str, *, size: int) -> str:
    return (
        f'<picture><source type="image/webp" srcset="/media/{rendition_name(cover, 160)} 160w" '
        f'sizes="{size}px"><img src="/media/{cover}" alt="" width="{size}" height="{size}" '
        'loading="lazy" decoding="async"></picture>'
    )


def test_the_cart_line_shows_the_160_px_rendition_for_an_80_px_box(market, signed_in):
    cover = pictured(market)
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    page = signed_in(market.buyer).get("/cart/").content.decode()

    assert thumbnail_html(cover, size=80) in page
    assert rendition_name(cover, 320) not in page


def test_the_checkout_lines_show_the_small_rendition(market, signed_in):
    cover = pictured(market)
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    page = signed_in(market.buyer).get("/checkout/").content.decode()

    assert thumbnail_html(cover, size=48) in page


def test_the_order_page_shows_the_small_rendition_of_the_image_kept_on_the_line(market, signed_in):
    cover = pictured(market)
    with TestCase.captureOnCommitCallbacks(execute=True):
        order = pay_market_order(market, quantity_ru=1, quantity_cn=1)

    page = signed_in(market.buyer).get(f"/orders/{order.number}/").content.decode()

    assert page.count(thumbnail_html(cover, size=56)) == 2


def test_an_image_without_renditions_shows_the_original_alone(market, signed_in):
    cover = pictured(market)
    delete_renditions(cover)
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    page = signed_in(market.buyer).get("/cart/").content.decode()

    line = re.search(r'<a class="cart-line-image".*?</a>', page, re.S)
    assert line is not None
    assert "<picture>" not in line.group(0)
    assert (
        f'<img src="/media/{cover}" alt="" width="80" height="80" loading="lazy" decoding="async">'
    ) in line.group(0)
