from django.urls import reverse
from tests.factories import make_category

from caravan.catalog.models import Product, Variant
from caravan.catalog.services import AttributeInput, ProductInput, VariantInput, ensure_attribute
from caravan.kernel.money import Money
from caravan.offers.proposals import OfferTerms, propose_product_with_offers

from .portal_helpers import owner_of


def proposed_product(seller) -> Product:
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    outcome = propose_product_with_offers(
        seller=seller,
        data=ProductInput(
            category=make_category(parent=make_category()),
            name_ru="Термокружка",
            name_en="Thermo mug",
            variants=[
                VariantInput(options=[AttributeInput("colour", "Красный", "Red")]),
                VariantInput(options=[AttributeInput("colour", "Синий", "Blue")]),
            ],
        ),
        offers=[
            OfferTerms(price=Money("500", seller.currency), stock_quantity=3),
            OfferTerms(price=Money("500", seller.currency), stock_quantity=3),
        ],
    )
    return outcome.product


def customs_post(product: Product, **fields: str) -> dict[str, str]:
    data = {"hs_code": "", "eaeu_code": "", "origin_country": ""}
    for variant in product.variants.all():
        for name in ("net_weight_grams", "length_mm", "width_mm", "height_mm"):
            data[f"variant-{variant.public_id}-{name}"] = ""
    data.update(fields)
    return data


def test_the_author_saves_codes_origin_weights_and_boxes(client, market):
    product = proposed_product(market.seller_ru)
    red, blue = product.variants.order_by("position")
    client.force_login(owner_of(market.seller_ru))

    response = client.post(
        reverse("seller_portal:product_customs", args=[product.public_id]),
        customs_post(
            product,
            hs_code="9617.00",
            eaeu_code="9617 00 000 0",
            origin_country="RU",
            **{
                f"variant-{red.public_id}-net_weight_grams": "350",
                f"variant-{red.public_id}-length_mm": "90",
                f"variant-{red.public_id}-width_mm": "90",
                f"variant-{red.public_id}-height_mm": "220",
            },
        ),
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.hs_code, product.eaeu_code, product.origin_country) == (
        "961700",
        "9617000000",
        "RU",
    )
    assert Variant.objects.values_list(
        "net_weight_grams", "length_mm", "width_mm", "height_mm"
    ).get(id=red.id) == (350, 90, 90, 220)
    assert Variant.objects.get(id=blue.id).net_weight_grams is None
    page = client.get(reverse("seller_portal:product_edit", args=[product.public_id]))
    assert "961700" in page.content.decode()


def test_a_code_that_does_not_extend_the_hs_code_is_refused_and_nothing_changes(client, market):
    product = proposed_product(market.seller_ru)
    red = product.variants.order_by("position").first()
    assert red is not None
    client.force_login(owner_of(market.seller_ru))

    response = client.post(
        reverse("seller_portal:product_customs", args=[product.public_id]),
        customs_post(
            product,
            hs_code="961700",
            eaeu_code="8518300095",
            **{f"variant-{red.public_id}-net_weight_grams": "350"},
        ),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The EAEU code 8518300095 does not start with the HS code 961700."
    ]
    stored = Product.objects.get(id=product.id)
    assert (stored.hs_code, stored.eaeu_code) == ("", "")
    assert Variant.objects.get(id=red.id).net_weight_grams is None


def test_a_box_with_two_sides_is_refused(client, market):
    product = proposed_product(market.seller_ru)
    red = product.variants.order_by("position").first()
    assert red is not None
    client.force_login(owner_of(market.seller_ru))

    response = client.post(
        reverse("seller_portal:product_customs", args=[product.public_id]),
        customs_post(
            product,
            hs_code="961700",
            **{
                f"variant-{red.public_id}-length_mm": "90",
                f"variant-{red.public_id}-width_mm": "90",
            },
        ),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Give all three dimensions (length, width, height) or none."
    ]
    assert Product.objects.get(id=product.id).hs_code == ""


def test_another_seller_cannot_open_or_change_the_page(client, market):
    product = proposed_product(market.seller_ru)
    client.force_login(owner_of(market.seller_cn))
    url = reverse("seller_portal:product_customs", args=[product.public_id])

    assert client.get(url).status_code == 404
    assert client.post(url, customs_post(product, hs_code="961700")).status_code == 404
    assert Product.objects.get(id=product.id).hs_code == ""
