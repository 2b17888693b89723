from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import make_category

from caravan.catalog.models import AttributeValue, Product, ProductImage, Variant
from caravan.catalog.services import ensure_attribute
from caravan.kernel.tests.pictures import jpeg_with_exif, png_declaring
from caravan.offers.matching import find_catalog_products
from caravan.offers.models import Offer, ProductOfferSummary, ProductProposal

from .portal_helpers import owner_of, png_upload


def catalog_counts():
    return (
        Product.objects.count(),
        Variant.objects.count(),
        AttributeValue.objects.count(),
        ProductImage.objects.count(),
        Offer.objects.count(),
        ProductProposal.objects.count(),
    )


def product_post(category, *parts):
    """The new-product form as the browser posts it, with the given fields merged in."""
    data = {
        "category": str(category.id),
        "name_ru": "Термокружка",
        "name_en": "Thermo mug",
        "brand": "Caravan Home",
        "description_ru": "Держит тепло 6 часов",
        "description_en": "Keeps drinks hot for 6 hours",
        "spec-TOTAL_FORMS": "5",
        "spec-INITIAL_FORMS": "0",
        "spec-MIN_NUM_FORMS": "0",
        "spec-MAX_NUM_FORMS": "5",
        "spec-0-attribute": "",
        "variant-TOTAL_FORMS": "5",
        "variant-INITIAL_FORMS": "0",
        "variant-MIN_NUM_FORMS": "0",
        "variant-MAX_NUM_FORMS": "5",
    }
    for index in range(5):
        data[f"variant-{index}-handling_days"] = "1"
    for part in parts:
        data.update(part)
    return data


def two_variants(colour):
    return {
        "spec-0-attribute": "",
        "variant-0-attribute": str(colour.id),
        "variant-0-value_ru": "Красный",
        "variant-0-value_en": "Red",
        "variant-0-gtin": "4601234567893",
        "variant-0-price": "1 290,00",
        "variant-0-stock": "15",
        "variant-0-handling_days": "2",
        "variant-1-attribute": str(colour.id),
        "variant-1-value_ru": "Синий",
        "variant-1-value_en": "Blue",
        "variant-1-mpn": "CH-450/BL",
        "variant-1-price": "1350",
        "variant-1-stock": "3",
        "variant-1-handling_days": "1",
    }


def test_seller_creates_a_product_with_variants_specs_image_and_offers(
    client, market, django_capture_on_commit_callbacks
):
    colour = ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    volume = ensure_attribute(code="volume", name_ru="Объём", name_en="Volume")
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    data = product_post(
        leaf,
        two_variants(colour),
        {
            "spec-0-attribute": str(volume.id),
            "spec-0-value_ru": "450 мл",
            "spec-0-value_en": "450 ml",
            "images": [png_upload("mug.png"), png_upload("side.PNG")],
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seller_portal:product_new"), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("seller_portal:products")
    proposal = ProductProposal.objects.get(seller=market.seller_ru)
    product = proposal.product
    assert (product.name_ru, product.name_en, product.brand, product.category) == (
        "Термокружка",
        "Thermo mug",
        "Caravan Home",
        leaf,
    )
    assert [
        (v.label_ru, v.label_en, v.gtin, v.mpn) for v in product.variants.order_by("position")
    ] == [
        ("Красный", "Red", "4601234567893", ""),
        ("Синий", "Blue", "", "CH-450/BL"),
    ]
    specs = product.attribute_values.filter(variant__isnull=True)
    assert [(s.attribute.code, s.value_en) for s in specs] == [("volume", "450 ml")]
    images = list(product.images.order_by("position"))
    assert [image.image.name.rsplit(".", 1)[1] for image in images] == ["png", "png"]
    assert product.cover_image == images[0].image.name
    offers = Offer.objects.filter(product=product).order_by("variant__position")
    assert [(o.price_amount, o.currency, o.stock_quantity, o.handling_days) for o in offers] == [
        (Decimal("1290.00"), "RUB", 15, 2),
        (Decimal("1350"), "RUB", 3, 1),
    ]
    # Waiting for moderation: the offers exist but buyers cannot see or buy the product yet.
    summary = ProductOfferSummary.objects.get(product=product)
    assert (proposal.status, product.is_approved, summary.is_buyable, summary.offer_count) == (
        "pending",
        False,
        False,
        0,
    )
    assert [str(message) for message in response.wsgi_request._messages] == [
        "Thermo mug was sent for moderation with 2 offer(s). Buyers see it once an operator "
        "approves it."
    ]


def test_a_text_file_named_png_is_refused_and_nothing_is_created(client, market):
    colour = ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    fake = SimpleUploadedFile("photo.png", b"this is not a picture", content_type="image/png")
    before = catalog_counts()

    response = client.post(
        reverse("seller_portal:product_new"),
        product_post(leaf, two_variants(colour), {"images": [fake]}),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "images": ["photo.png: This is not a picture we can read. Upload a PNG, JPEG or WebP file."]
    }
    html = response.content.decode()
    assert 'value="Термокружка"' in html
    assert 'value="1 290,00"' in html
    assert catalog_counts() == before


def test_a_gif_is_refused_even_though_it_is_a_real_image(client, market):
    import io

    from PIL import Image

    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="GIF")
    gif = SimpleUploadedFile("anim.png", buffer.getvalue(), content_type="image/png")
    before = catalog_counts()

    response = client.post(
        reverse("seller_portal:product_new"),
        product_post(leaf, {"variant-0-price": "100", "variant-0-stock": "1", "images": [gif]}),
    )

    assert response.context["form"].errors == {
        "images": ["anim.png: This is not a picture we can read. Upload a PNG, JPEG or WebP file."]
    }
    assert catalog_counts() == before


def test_an_image_over_5_mb_is_refused(client, market):
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    big = SimpleUploadedFile("big.png", png_upload().read() + b"\0" * (5 * 1024 * 1024))
    before = catalog_counts()

    response = client.post(
        reverse("seller_portal:product_new"),
        product_post(leaf, {"variant-0-price": "100", "variant-0-stock": "1", "images": [big]}),
    )

    assert response.context["form"].errors == {"images": ["big.png is larger than 5 MB."]}
    assert catalog_counts() == before


def test_bad_price_and_missing_option_are_shown_per_row_and_nothing_is_created(client, market):
    colour = ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    before = catalog_counts()
    data = product_post(
        leaf,
        two_variants(colour),
        {"variant-0-price": "twelve", "variant-1-value_en": "", "images": [png_upload()]},
    )

    response = client.post(reverse("seller_portal:product_new"), data)

    variants = response.context["variants"]
    assert variants.forms[0].errors == {
        "price": ["Enter a price as a number, for example 1499.90."]
    }
    assert variants.forms[1].errors == {"__all__": ["Give the value in Russian and in English."]}
    assert catalog_counts() == before


def test_several_variants_need_an_option_each(client, market):
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    before = catalog_counts()
    data = product_post(
        leaf,
        {
            "variant-0-price": "100",
            "variant-0-stock": "1",
            "variant-1-price": "120",
            "variant-1-stock": "1",
            "images": [png_upload()],
        },
    )

    response = client.post(reverse("seller_portal:product_new"), data)

    assert response.context["variants"].non_form_errors() == [
        "With several variants, each needs an option such as a colour or a size."
    ]
    assert catalog_counts() == before


def test_product_edit_changes_texts_and_adds_an_image(
    client, market, django_capture_on_commit_callbacks
):
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("seller_portal:product_new"),
            product_post(
                leaf, {"variant-0-price": "100", "variant-0-stock": "1", "images": [png_upload()]}
            ),
        )
    product = ProductProposal.objects.get(seller=market.seller_ru).product
    version = ProductOfferSummary.objects.get(product=product).version

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("seller_portal:product_edit", args=[product.public_id]),
            {
                "name_ru": "Термокружка 2.0",
                "name_en": "Thermo mug 2.0",
                "brand": "Caravan Home",
                "description_ru": "Новая крышка",
                "description_en": "New lid",
                "new_images": [png_upload("lid.png")],
            },
        )

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name_en, product.description_en) == ("Thermo mug 2.0", "New lid")
    assert product.images.count() == 2
    # the listing read model follows the edit (the product page and the search document)
    assert ProductOfferSummary.objects.get(product=product).version == version + 1
    assert [found.id for found in find_catalog_products(text="термокружка 2.0")] == [product.id]


def test_product_edit_refuses_an_empty_name_and_changes_nothing(client, market):
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    client.post(
        reverse("seller_portal:product_new"),
        product_post(
            leaf, {"variant-0-price": "100", "variant-0-stock": "1", "images": [png_upload()]}
        ),
    )
    product = ProductProposal.objects.get(seller=market.seller_ru).product
    before = catalog_counts(), Product.objects.values_list("name_ru", "name_en").get(id=product.id)

    response = client.post(
        reverse("seller_portal:product_edit", args=[product.public_id]),
        {
            "name_ru": " ",
            "name_en": "Renamed",
            "brand": "",
            "description_ru": "",
            "description_en": "",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"name_ru": ["This field is required."]}
    assert (
        catalog_counts(),
        Product.objects.values_list("name_ru", "name_en").get(id=product.id),
    ) == before


def test_a_product_image_declaring_30000_by_30000_pixels_is_a_form_error(client, market):
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    bomb = SimpleUploadedFile("bomb.png", png_declaring(30000, 30000), content_type="image/png")
    before = catalog_counts()

    response = client.post(
        reverse("seller_portal:product_new"),
        product_post(leaf, {"variant-0-price": "100", "variant-0-stock": "1", "images": [bomb]}),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "images": [
            "bomb.png: The picture has too many pixels (at most 40 megapixels). "
            "Save it at a smaller size and upload it again."
        ]
    }
    assert catalog_counts() == before


def test_product_images_are_stored_re_encoded_without_exif(client, market):
    colour = ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    leaf = make_category(parent=make_category())
    client.force_login(owner_of(market.seller_ru))
    photo = SimpleUploadedFile("photo.webp", jpeg_with_exif(), content_type="image/webp")

    client.post(
        reverse("seller_portal:product_new"),
        product_post(leaf, two_variants(colour), {"images": [photo]}),
    )

    image = ProductImage.objects.get(product__name_en="Thermo mug")
    stored = image.image.read()
    assert image.image.name.endswith(".jpg")
    assert b"SERIAL-12345" not in stored
