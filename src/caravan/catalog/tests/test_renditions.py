"""WebP renditions of product images: the widths made, their format and size, and what is
never made (wider than the original, from an unreadable or oversized file)."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from caravan.catalog.renditions import (
    delete_renditions,
    make_renditions,
    rendition_name,
    rendition_widths,
)
from caravan.catalog.services import add_product_image, create_product
from caravan.kernel.tests.pictures import png_declaring

from .test_catalog_services import leaf, png, sneaker  # noqa: F401 (the fixture)


def stored(data: bytes, name: str) -> str:
    return default_storage.save(f"products/test/{name}", ContentFile(data))


def jpeg(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def opened(name: str) -> tuple[str | None, tuple[int, int]]:
    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        return image.format, image.size


def test_a_photo_gets_a_webp_at_each_width_up_to_its_own():
    name = stored(jpeg((1000, 750)), "wide.jpg")

    widths = make_renditions(name)

    assert widths == [160, 320, 480, 640, 960]
    assert [opened(rendition_name(name, width)) for width in widths] == [
        ("WEBP", (160, 120)),
        ("WEBP", (320, 240)),
        ("WEBP", (480, 360)),
        ("WEBP", (640, 480)),
        ("WEBP", (960, 720)),
    ]
    assert rendition_widths(name) == widths


def test_a_rendition_is_never_wider_than_its_original():
    name = stored(jpeg((600, 600)), "demo.jpg")

    assert make_renditions(name) == [160, 320, 480]
    assert not default_storage.exists(rendition_name(name, 640))
    assert rendition_widths(name) == [160, 320, 480]


def test_renditions_are_smaller_than_the_original_and_keep_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (800, 400), (250, 10, 10, 0)).save(buffer, "PNG")
    name = stored(buffer.getvalue(), "clear.png")

    make_renditions(name)

    with (
        default_storage.open(rendition_name(name, 640), "rb") as handle,
        Image.open(handle) as image,
    ):
        assert (image.mode, image.size) == ("RGBA", (640, 320))
        assert image.getpixel((10, 10))[3] == 0
    assert default_storage.size(rendition_name(name, 640)) < default_storage.size(name)


def test_a_file_declaring_thirty_thousand_pixels_square_gets_none_and_is_not_decoded():
    name = stored(png_declaring(30000, 30000), "bomb.png")

    assert make_renditions(name) == []
    assert rendition_widths(name) == []


def test_a_file_that_is_no_image_gets_none():
    name = stored(b"not a picture", "junk.png")

    assert make_renditions(name) == []


def test_rendition_names_keep_each_original_apart():
    assert (
        rendition_name("products/2026/12/a.jpg", 320) == "renditions/products/2026/12/a-320w.webp"
    )
    assert rendition_name("products/2026/12/a.png", 320) != rendition_name(
        "products/2026/11/a.png", 320
    )


def test_deleting_renditions_removes_every_width():
    name = stored(jpeg((700, 700)), "gone.jpg")
    make_renditions(name)

    delete_renditions(name)

    assert rendition_widths(name) == []
    assert [default_storage.exists(rendition_name(name, w)) for w in (160, 320, 480, 640)] == [
        False
    ] * 4


def test_adding_a_product_image_makes_its_renditions(leaf):  # noqa: F811
    product = create_product(data=sneaker(leaf), images=[png("first.png")])

    added = add_product_image(
        product=product, image=ContentFile(jpeg((500, 400)), name="second.jpg")
    )

    assert rendition_widths(added.image.name) == [160, 320, 480]
    # The 8 px cover is narrower than the smallest width: it has none, and shows as it is.
    product.refresh_from_db()
    assert rendition_widths(product.cover_image) == []


@pytest.mark.django_db
def test_the_command_fills_in_images_stored_before_renditions_were_made(leaf):  # noqa: F811
    product = create_product(data=sneaker(leaf), images=[])
    image = add_product_image(product=product, image=ContentFile(jpeg((400, 400)), name="old.jpg"))
    delete_renditions(image.image.name)
    out = io.StringIO()

    call_command("make_renditions", stdout=out)

    assert rendition_widths(image.image.name) == [160, 320]
    assert out.getvalue() == "Renditions made for 1 images (0 already had them).\n"
