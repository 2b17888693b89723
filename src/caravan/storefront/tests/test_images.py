"""Product images on buyer pages (issue 11): WebP renditions offered through `srcset`, a box
reserved by width and height, lazy loading everywhere but the first visible row of cards and
the product page's main image; and a cached card never carries another position's loading."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from caravan.catalog.renditions import rendition_name
from caravan.catalog.services import add_product_image
from caravan.storefront.card_cache import FIRST_ROW_CARDS

from .shelves import build_shelf, card_names

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<article class="product-card".*?</article>', re.S)
IMG = re.compile(r"<img[^>]*>")


def jpeg(size: tuple[int, int] = (400, 400)) -> ContentFile[bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


@pytest.fixture
def pictured_shelf():
    shelf = build_shelf(count=6)
    for product in shelf.products:
        add_product_image(product=product, image=jpeg())
        product.refresh_from_db()
    return shelf


def loading_by_card(html: str) -> list[str]:
    """Each card's image loading attribute, in page order ("" when there is none)."""
    found = []
    for card in CARD.findall(html):
        image = IMG.search(card)
        assert image is not None
        match = re.search(r'loading="(\w+)"', image.group(0))
        found.append(match.group(1) if match else "")
    return found


def test_a_card_offers_its_webp_renditions_with_sizes_and_a_reserved_box(client, pictured_shelf):
    response = client.get("/c/electronics/", {"sort": "price"})

    html = response.content.decode()
    first = CARD.findall(html)[0]
    cover = pictured_shelf.products[0].cover_image
    assert (
        f'<source type="image/webp" srcset="/media/{rendition_name(cover, 160)} 160w, '
        f'/media/{rendition_name(cover, 320)} 320w" sizes="(min-width: 1240px) 240px, '
        '(min-width: 900px) 20vw, (min-width: 560px) 33vw, 50vw">'
    ) in first
    assert f'<img src="/media/{cover}" alt="" width="300" height="300" decoding="async">' in first


def test_the_first_row_of_cards_loads_at_once_and_the_rest_lazily(client, pictured_shelf):
    response = client.get("/c/electronics/", {"sort": "price"})

    assert loading_by_card(response.content.decode()) == [""] * FIRST_ROW_CARDS + ["lazy"] * 2


def test_a_card_cached_in_the_first_row_is_lazy_further_down(client, pictured_shelf, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "img"},
    }
    from django.core.cache import cache

    cache.clear()
    cheapest_first = client.get("/c/electronics/", {"sort": "price"})
    dearest_first = client.get("/c/electronics/", {"sort": "-price"})

    # Phone 00 and 01 are first in one order and last in the other: their cached copies
    # from the first page must not be reused at the second page's positions 5 and 6.
    assert card_names(cheapest_first)[:2] == ["Phone 00", "Phone 01"]
    assert card_names(dearest_first)[4:] == ["Phone 01", "Phone 00"]
    assert loading_by_card(cheapest_first.content.decode()) == ["", "", "", "", "lazy", "lazy"]
    assert loading_by_card(dearest_first.content.decode()) == ["", "", "", "", "lazy", "lazy"]
    cache.clear()


def test_the_product_pages_main_image_comes_first_and_its_others_lazily(client, pictured_shelf):
    product = pictured_shelf.products[0]
    add_product_image(product=product, image=jpeg((800, 800)))

    html = client.get(f"/p/{product.public_id}/").content.decode()

    gallery = html.split('data-testid="gallery"', 1)[1].split('class="product-info"', 1)[0]
    images = IMG.findall(gallery)
    assert [re.search(r'(loading|fetchpriority)="\w+"', image).group(0) for image in images] == [
        'fetchpriority="high"',
        'loading="lazy"',
        'loading="lazy"',
        'loading="lazy"',
    ]
    assert ' 640w" sizes="(min-width: 1240px) 590px' in gallery
    assert all('width="600" height="600"' in image for image in images[:2])
    assert all('width="72" height="72"' in image for image in images[2:])


def test_an_image_without_renditions_shows_as_a_plain_img(client, pictured_shelf):
    from caravan.catalog.renditions import delete_renditions

    product = pictured_shelf.products[0]
    delete_renditions(product.cover_image)

    html = client.get(f"/p/{product.public_id}/").content.decode()

    gallery = html.split('data-testid="gallery"', 1)[1].split('class="product-info"', 1)[0]
    assert "<picture>" not in gallery
    assert f'src="/media/{product.cover_image}"' in gallery
