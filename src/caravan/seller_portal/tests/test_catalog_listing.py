"""Seller portal: proposals with their moderation state, the duplicate match on the new
product form, finding catalog products by GTIN or brand + part number, offer terms."""

from decimal import Decimal

import pytest
from django.urls import reverse
from tests.factories import make_category, make_user, project

from caravan.catalog.models import Product
from caravan.catalog.services import ProductInput, VariantInput, ensure_attribute
from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductProposal
from caravan.offers.moderation import reject_proposal
from caravan.offers.proposals import OfferTerms, propose_product_with_offers

from .portal_helpers import owner_of, png_upload
from .test_products import product_post

GTIN = "4006381333931"


def operator():
    user = make_user()
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def lantern(market):
    """An approved product with a GTIN and a part number, sold by the Chinese seller."""
    leaf = make_category(parent=make_category())
    product = propose_product_with_offers(
        seller=market.seller_cn,
        data=ProductInput(
            category=leaf,
            name_ru="Фонарь",
            name_en="Camping Lantern",
            brand="Lumo",
            variants=[VariantInput(gtin=GTIN, mpn="LX-200")],
        ),
        offers=[OfferTerms(price=Money("80", "CNY"), stock_quantity=9)],
        auto_approve=True,
    ).product
    project(product)
    return product


def rejected_product(market):
    outcome = propose_product_with_offers(
        seller=market.seller_ru,
        data=ProductInput(
            category=make_category(parent=make_category()),
            name_ru="Зонт",
            name_en="UMBRELLA!!!",
            variants=[VariantInput()],
        ),
        offers=[OfferTerms(price=Money("900", "RUB"), stock_quantity=2)],
    )
    reject_proposal(
        operator=operator(), proposal_id=outcome.proposal.id, reason="Write the name normally"
    )
    project(outcome.product)
    return outcome.product


def test_the_products_list_shows_each_state_and_the_rejection_reason(client, market):
    product = rejected_product(market)
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:products"))

    body = response.content.decode()
    assert [p.product for p in response.context["page"].object_list] == [product]
    assert '<span class="badge badge-bad">Rejected</span>' in body
    assert 'data-testid="rejection-reason">Write the name normally<' in body


def test_the_author_fixes_a_rejected_product_and_sends_it_again(client, market):
    product = rejected_product(market)
    client.force_login(owner_of(market.seller_ru))
    url = reverse("seller_portal:product_edit", args=[product.public_id])
    page = client.get(url).content.decode()

    response = client.post(
        url,
        {
            "name_ru": "Зонт складной",
            "name_en": "Folding umbrella",
            "brand": "",
            "description_ru": "",
            "description_en": "",
            "resubmit": "1",
        },
    )

    assert "Write the name normally" in page
    assert 'data-testid="resubmit"' in page
    assert response.status_code == 302
    proposal = ProductProposal.objects.get(product=product)
    assert (proposal.status, Product.objects.get(id=product.id).name_en) == (
        "pending",
        "Folding umbrella",
    )
    assert "Waiting for moderation" in client.get(url).content.decode()


def test_a_new_product_with_a_known_gtin_lands_on_the_existing_one(client, market, lantern):
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    client.force_login(owner_of(market.seller_ru))
    before = (Product.objects.count(), ProductProposal.objects.count())
    data = product_post(
        make_category(parent=make_category()),
        {
            "name_en": "Lantern",
            "name_ru": "Фонарь кемпинговый",
            "variant-0-gtin": "0" + GTIN,
            "variant-0-price": "650",
            "variant-0-stock": "7",
            "images": [png_upload()],
        },
    )

    response = client.post(reverse("seller_portal:product_new"), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("seller_portal:offers")
    assert (Product.objects.count(), ProductProposal.objects.count()) == before
    offer = Offer.objects.get(seller=market.seller_ru, product=lantern)
    assert (offer.price_amount, offer.stock_quantity) == (Decimal("650.00"), 7)
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Camping Lantern is already in the catalog (recognised by its GTIN), so no copy was "
        "made: your 1 offer(s) were added to it."
    ]


def test_a_new_product_form_refuses_a_gtin_with_a_wrong_check_digit(client, market):
    client.force_login(owner_of(market.seller_ru))
    before = Product.objects.count()
    data = product_post(
        make_category(parent=make_category()),
        {
            "variant-0-gtin": "4006381333932",
            "variant-0-price": "650",
            "variant-0-stock": "7",
            "images": [png_upload()],
        },
    )

    response = client.post(reverse("seller_portal:product_new"), data)

    assert response.status_code == 200
    assert response.context["variants"].forms[0].errors == {
        "gtin": ["Not a valid GTIN: it has 8, 12, 13 or 14 digits, the last a check digit."]
    }
    assert Product.objects.count() == before


@pytest.mark.parametrize(
    "query",
    [
        {"by": "gtin", "gtin": GTIN},
        {"by": "gtin", "gtin": "0" + GTIN},
        {"by": "mpn", "brand": "LUMO", "mpn": "lx 200"},
        {"by": "text", "q": "lantern"},
    ],
)
def test_a_seller_finds_a_catalog_product_by_gtin_part_number_or_name(
    client, market, lantern, query
):
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:offer_new"), query)

    assert [result["product"] for result in response.context["results"]] == [lantern]
    assert 'data-testid="catalog-result"' in response.content.decode()


def test_a_lookup_that_finds_nothing_offers_to_add_the_product(client, market, lantern):
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:offer_new"), {"by": "gtin", "gtin": "96385074"})

    assert response.context["results"] == []
    assert "Nothing in the catalog matches." in response.content.decode()


def test_a_new_offer_with_every_term(client, market, lantern):
    client.force_login(owner_of(market.seller_ru))
    variant = lantern.variants.get()

    response = client.post(
        reverse("seller_portal:offer_new"),
        {
            "variant": variant.public_id,
            "price": "590",
            "compare_at_price": "790",
            "stock": "20",
            "condition": "refurbished",
            "handling_days": "2",
            "ships_from": "KZ",
            "min_order_quantity": "2",
            "max_order_quantity": "10",
        },
    )

    assert response.status_code == 302
    offer = Offer.objects.get(seller=market.seller_ru, variant=variant)
    assert (
        offer.price_amount,
        offer.compare_at_amount,
        offer.condition,
        offer.ships_from,
        offer.min_order_quantity,
        offer.max_order_quantity,
    ) == (Decimal("590.00"), Decimal("790.00"), "refurbished", "KZ", 2, 10)


def test_the_offer_form_refuses_a_compare_at_price_not_above_the_price(client, market):
    client.force_login(owner_of(market.seller_ru))
    before = Offer.objects.filter(id=market.offer_ru.id).values_list("compare_at_amount").get()

    response = client.post(
        reverse("seller_portal:offer_edit", args=[market.offer_ru.public_id]),
        {
            "price": "2500",
            "compare_at_price": "2500",
            "stock": "5",
            "handling_days": "1",
            "min_order_quantity": "3",
            "max_order_quantity": "2",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "compare_at_price": ["The compare-at price must be above the price."],
        "max_order_quantity": ["The maximum cannot be below the minimum."],
    }
    after = Offer.objects.filter(id=market.offer_ru.id).values_list("compare_at_amount").get()
    assert after == before


def test_an_offer_on_a_product_awaiting_moderation_says_buyers_wait(client, market):
    leaf = make_category(parent=make_category())
    pending = propose_product_with_offers(
        seller=market.seller_cn,
        data=ProductInput(category=leaf, name_ru="Чайник", name_en="Kettle"),
        offers=[OfferTerms(price=Money("80", "CNY"), stock_quantity=9)],
    ).product
    client.force_login(owner_of(market.seller_ru))

    response = client.post(
        reverse("seller_portal:offer_new"),
        {
            "variant": pending.variants.get().public_id,
            "price": "990",
            "stock": "3",
            "handling_days": "1",
        },
    )

    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Your offer on Kettle is saved; buyers see it once the product passes moderation."
    ]


def test_a_rejected_product_cannot_be_offered_on(client, market):
    product = rejected_product(market)
    client.force_login(owner_of(market.seller_cn))

    response = client.get(
        reverse("seller_portal:offer_new"), {"variant": product.variants.get().public_id}
    )

    assert response.status_code == 302
    assert not Offer.objects.filter(seller=market.seller_cn, product=product).exists()
