"""The product page's buy box: one winning offer, "N other sellers from X", compare-at
prices struck through, per-order limits, and products hidden until moderation approves."""

import pytest
from tests.factories import make_category, make_offer, make_seller, make_user

from caravan.cart.models import CartLine
from caravan.catalog.services import ProductInput, VariantInput
from caravan.kernel.money import Money
from caravan.offers.moderation import approve_proposal, reject_proposal
from caravan.offers.proposals import OfferTerms, propose_product_with_offers
from caravan.offers.services import update_offer

pytestmark = pytest.mark.django_db


def product_url(product):
    return f"/p/{product.public_id}/"


def test_the_buy_box_shows_the_winner_and_the_other_sellers(client, market):
    # Landed in RUB: 150 CNY + 25 delivery = 2187.50 beats 2500 + 300 = 2800.
    response = client.get(product_url(market.product))

    page = response.context["page"]
    assert page.best.offer == market.offer_cn
    assert [row.offer for row in page.rows] == [market.offer_cn, market.offer_ru]
    assert (page.other_seller_count, page.other_lowest_price) == (1, Money("2500", "RUB"))
    body = response.content.decode()
    # In the buyer's roubles: 150 CNY at 12.50 plus the 1.5 % margin = 1903.125.
    assert 'data-testid="buy-box-price">1,903.13 ₽<' in body
    assert "1 other seller from 2,500 ₽" in body


def test_the_winner_has_the_lowest_price_with_delivery_not_the_lowest_sticker(client, market):
    # At 1800 the Moscow offer lands at 1800 + 300 = 2100 RUB, below the Chinese offer's
    # 2187.50 RUB (150 + 25 CNY at 12.50), although 150 CNY (1875 RUB) is the lower sticker.
    update_offer(
        seller=market.seller_ru,
        offer_public_id=market.offer_ru.public_id,
        price=Money("1800", "RUB"),
    )

    page = client.get(product_url(market.product)).context["page"]

    assert page.best.offer == market.offer_ru
    assert page.other_lowest_price == Money("150", "CNY")


def test_a_card_and_the_product_page_name_the_same_winner(
    client, market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_offer(
            seller=market.seller_ru,
            offer_public_id=market.offer_ru.public_id,
            price=Money("1800", "RUB"),
        )

    cards = client.get(f"/c/{market.product.category.slug}/").context["cards"]
    page = client.get(product_url(market.product)).context["page"]

    assert [(card.product, card.seller) for card in cards] == [
        (market.product, page.best.offer.seller)
    ]


def test_a_compare_at_price_is_struck_through_on_the_page_and_the_card(client, market):
    update_offer(
        seller=market.seller_cn,
        offer_public_id=market.offer_cn.public_id,
        compare_at_price=Money("199", "CNY"),
    )

    page = client.get(product_url(market.product)).content.decode()
    listing = client.get(f"/c/{market.product.category.slug}/").content.decode()

    # 199 CNY at 12.50 plus the 1.5 % margin = 2524.8125 RUB.
    assert '<s class="compare-at muted" data-testid="buy-box-compare-at">2,524.81 ₽</s>' in page
    assert 'data-testid="card-compare-at">2,524.81 ₽</s>' in listing


def test_a_used_offer_and_order_limits_are_shown(client, market):
    update_offer(
        seller=market.seller_cn,
        offer_public_id=market.offer_cn.public_id,
        condition="used",
        min_order_quantity=2,
        max_order_quantity=4,
    )

    response = client.get(product_url(market.product))

    best = response.context["page"].best
    assert (best.min_quantity, best.max_quantity) == (2, 4)
    body = response.content.decode()
    assert "At least 2 per order · At most 4 per order" in body
    assert 'value="2" min="2" max="4"' in body
    assert '<span class="badge badge-warn">Used</span>' in body


def test_choosing_a_variant_ranks_only_its_offers(client, db):
    from tests.factories import default_rates, make_product

    default_rates()
    product = make_product(colours=("Black", "White"))
    black, white = product.variants.order_by("position")
    make_offer(seller=make_seller(), variant=black, price="500")
    white_offer = make_offer(seller=make_seller(), variant=white, price="900")

    page = client.get(f"{product_url(product)}?variant={white.public_id}").context["page"]

    assert [row.offer for row in page.rows] == [white_offer]
    assert (page.best.offer, page.other_seller_count) == (white_offer, 0)


@pytest.fixture
def pending(db):
    from tests.factories import default_rates

    default_rates()
    leaf = make_category(parent=make_category())
    return propose_product_with_offers(
        seller=make_seller(),
        data=ProductInput(
            category=leaf, name_ru="Фонарь", name_en="Camping Lantern", variants=[VariantInput()]
        ),
        offers=[OfferTerms(price=Money("900", "RUB"), stock_quantity=3)],
    )


def operator():
    user = make_user()
    user.is_staff = True
    user.save()
    return user


def test_a_pending_product_is_nowhere_for_buyers(client, pending):
    product = pending.product

    assert client.get(product_url(product)).status_code == 404
    assert "Camping Lantern" not in client.get("/search/?q=lantern").content.decode()
    assert "Camping Lantern" not in client.get(f"/c/{product.category.slug}/").content.decode()
    assert "Camping Lantern" not in client.get("/").content.decode()
    client.post("/cart/add/", {"offer": pending.offers[0].public_id, "quantity": 1})
    assert CartLine.objects.count() == 0


def test_a_rejected_product_is_nowhere_for_buyers(client, pending):
    reject_proposal(operator=operator(), proposal_id=pending.proposal.id, reason="Blurry")

    assert client.get(product_url(pending.product)).status_code == 404
    assert "Camping Lantern" not in client.get("/search/?q=lantern").content.decode()


def test_an_approved_product_appears_for_buyers(
    client, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve_proposal(operator=operator(), proposal_id=pending.proposal.id)

    assert client.get(product_url(pending.product)).status_code == 200
    assert "Camping Lantern" in client.get("/search/?q=lantern").content.decode()
