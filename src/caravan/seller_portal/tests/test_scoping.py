"""A seller never reaches another seller's objects: every such request is a 404 that
changes nothing, whether it reads or writes."""

from django.urls import reverse
from tests.factories import make_category

from caravan.catalog.models import Product, ProductImage
from caravan.catalog.services import ProductInput
from caravan.offers.models import Offer
from caravan.offers.proposals import propose_product
from caravan.orders.models import OrderEvent, SellerOrder

from .portal_helpers import (
    market_seller_order,
    owner_of,
    place_paid_order,
    png_upload,
    seller_order_of,
)


def snapshot():
    return (
        list(
            SellerOrder.objects.order_by("id").values_list(
                "status", "carrier", "tracking_number", "shipped_at"
            )
        ),
        OrderEvent.objects.count(),
        list(
            Offer.objects.order_by("id").values_list(
                "price_amount", "stock_quantity", "handling_days", "is_active"
            )
        ),
        list(Product.objects.order_by("id").values_list("name_ru", "name_en", "brand")),
        ProductImage.objects.count(),
    )


def test_another_sellers_order_offer_and_product_are_404_and_untouched(client, market):
    seller_order = market_seller_order(market)
    leaf = make_category(parent=make_category())
    product = propose_product(
        seller=market.seller_ru,
        data=ProductInput(category=leaf, name_ru="Чайник", name_en="Kettle"),
    ).product
    client.force_login(owner_of(market.seller_cn))
    before = snapshot()

    responses = [
        client.get(reverse("seller_portal:order", args=[seller_order.public_id])),
        client.post(
            reverse("seller_portal:order", args=[seller_order.public_id]),
            {"carrier": "SF Express", "tracking_number": "SF1234567890"},
        ),
        client.get(reverse("seller_portal:offer_edit", args=[market.offer_ru.public_id])),
        client.post(
            reverse("seller_portal:offer_edit", args=[market.offer_ru.public_id]),
            {"price": "1", "stock": "900", "handling_days": "9", "is_active": ""},
        ),
        client.post(
            reverse("seller_portal:offer_inline", args=[market.offer_ru.public_id]),
            {
                f"offer-{market.offer_ru.public_id}-price": "1",
                f"offer-{market.offer_ru.public_id}-stock": "900",
            },
            HTTP_HX_REQUEST="true",
        ),
        client.get(reverse("seller_portal:product_edit", args=[product.public_id])),
        client.post(
            reverse("seller_portal:product_edit", args=[product.public_id]),
            {
                "name_ru": "Взломано",
                "name_en": "Hijacked",
                "brand": "X",
                "description_ru": "",
                "description_en": "",
                "new_images": png_upload(),
            },
        ),
    ]

    assert [response.status_code for response in responses] == [404] * 7
    assert snapshot() == before


def test_own_objects_open_for_the_owner(client, market):
    seller_order = market_seller_order(market)
    client.force_login(owner_of(market.seller_ru))

    order = client.get(reverse("seller_portal:order", args=[seller_order.public_id]))
    offer = client.get(reverse("seller_portal:offer_edit", args=[market.offer_ru.public_id]))

    assert (order.status_code, offer.status_code) == (200, 200)


def test_a_product_someone_else_proposed_is_not_editable_even_if_i_sell_it(client, market):
    # Both sellers offer on the market product; neither proposed it, so neither may edit it.
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:product_edit", args=[market.product.public_id]))

    assert response.status_code == 404


def test_the_order_list_holds_only_my_seller_orders(client, market):
    mine = market_seller_order(market)
    theirs = seller_order_of(place_paid_order(offer=market.offer_cn), market.seller_cn)
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:orders"))

    assert [row.public_id for row in response.context["page"].object_list] == [mine.public_id]
    assert theirs.number.encode() not in response.content
