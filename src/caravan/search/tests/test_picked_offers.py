from decimal import Decimal

import pytest
from tests.factories import default_rates, make_offer, make_product, make_seller

from caravan.fx.services import latest_rates
from caravan.kernel.money import Money
from caravan.offers.buybox import OfferFacts, build_buy_box, pick_winners
from caravan.offers.models import ProductOfferSummary
from caravan.offers.selectors import list_product_offers
from caravan.search.facets import Selection
from caravan.search.picked_offers import show_offers_for
from caravan.shipping.models import ProfileMethod
from caravan.shipping.quotes import Destination, ParcelLine


@pytest.fixture
def variant(db):
    default_rates()
    return make_product(name_en="Kettle").variants.get()


def facts_of(offers):
    return [
        OfferFacts(
            offer_id=offer.id,
            product_id=offer.product_id,
            seller_id=offer.seller_id,
            price=offer.price,
            handling_days=offer.handling_days,
            stock_quantity=offer.stock_quantity,
            min_order_quantity=offer.min_order_quantity,
            unit=ParcelLine.of_variant(variant=offer.variant, quantity=1, unit_price=offer.price),
        )
        for offer in offers
    ]


def test_pick_winners_names_the_buy_box_winner_and_dates_only_the_price_ties(variant):
    # Two sellers tie on landed price (1000 + 300) and differ in speed; a third is cheaper
    # by sticker but dearer landed (900 + 600); a fourth has nothing in stock.
    slow = make_offer(seller=make_seller(name="Slow"), variant=variant, handling_days=5)
    fast = make_offer(seller=make_seller(name="Fast"), variant=variant, handling_days=1)
    sticker = make_offer(
        seller=make_seller(name="Sticker", delivery_price="600"), variant=variant, price="900"
    )
    empty = make_offer(seller=make_seller(name="Empty"), variant=variant, price="10", stock=0)
    offers = [slow, fast, sticker, empty]
    destination = Destination("RU")

    winners, quotes = pick_winners(
        offers=facts_of(offers), destination=destination, rates=latest_rates(quote="RUB")
    )

    page = build_buy_box(offers=list_product_offers(product=variant.product))
    assert winners == {variant.product_id: fast.id} == {variant.product_id: page.winner.offer.id}
    assert sorted(quotes) == sorted([slow.id, fast.id])
    assert quotes[fast.id].options[0].price == Money("300", "RUB")


def test_pick_winners_leaves_out_a_product_nothing_reaches(variant):
    stranded = make_seller(name="Stranded")
    ProfileMethod.objects.filter(profile__seller=stranded).update(is_active=False)
    offer = make_offer(seller=stranded, variant=variant)

    winners, quotes = pick_winners(
        offers=facts_of([offer]), destination=Destination("RU"), rates=latest_rates(quote="RUB")
    )

    assert (winners, quotes) == ({}, {})


def test_a_card_filtered_by_origin_shows_the_offer_free_delivery_makes_cheapest(variant):
    # Delivery 500 unless the goods reach 2,000: 2,900 landed, below 2,800 + 150 = 2,950.
    # Its lowest band price (500) alone would have put it out of the running.
    free_above = make_seller(name="Free above 2000", delivery_price="500")
    ProfileMethod.objects.filter(profile__seller=free_above).update(
        free_threshold_amount=Decimal("2000")
    )
    free = make_offer(seller=free_above, variant=variant, price="2900")
    make_offer(
        seller=make_seller(name="Cheap sticker", delivery_price="150"),
        price="2800",
        variant=variant,
    )
    summaries = list(ProductOfferSummary.objects.filter(product=variant.product))

    picked = show_offers_for(
        summaries, destination=Destination("RU"), selection=Selection(ships_from=("RU",))
    )

    page = build_buy_box(offers=list_product_offers(product=variant.product))
    assert picked.summaries[0].best_offer == free == page.winner.offer
    assert picked.shipping[free.id].options[0].is_free is True
