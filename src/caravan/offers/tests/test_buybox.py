from decimal import Decimal

import pytest
from tests.factories import default_rates, make_offer, make_product, make_seller

from caravan.kernel.money import Money
from caravan.offers.buybox import (
    NEUTRAL_SELLER_RATING,
    Candidate,
    build_buy_box,
    product_buy_box,
    rank,
    seller_ratings_for_buy_box,
)
from caravan.offers.models import ProductOfferSummary
from caravan.offers.selectors import list_product_offers
from caravan.offers.services import update_offer
from caravan.shipping.models import ProfileMethod
from caravan.shipping.quotes import Destination
from caravan.shipping.tests.profile_helpers import method, moscow_profile, rate, zones_of


def candidate(offer_id, landed, days=5, rating="0", stock=10, minimum=1, active=True):
    return Candidate(
        offer_id=offer_id,
        landed_reference_amount=None if landed is None else Decimal(landed),
        delivery_days=days,
        seller_rating=Decimal(rating),
        stock_quantity=stock,
        min_order_quantity=minimum,
        is_active=active,
    )


def ids(candidates):
    return [c.offer_id for c in rank(candidates)]


# --- The ranking itself, on plain values ---


def test_the_lowest_landed_price_wins():
    assert ids([candidate(1, "1500.00"), candidate(2, "1100.00"), candidate(3, "1300.00")]) == [
        2,
        3,
        1,
    ]


def test_faster_delivery_breaks_a_price_tie():
    assert ids([candidate(1, "1000.00", days=9), candidate(2, "1000.00", days=4)]) == [2, 1]


def test_a_better_rating_breaks_a_price_and_delivery_tie():
    assert ids([candidate(1, "1000.00", rating="4.1"), candidate(2, "1000.00", rating="4.8")]) == [
        2,
        1,
    ]


def test_more_stock_breaks_the_next_tie():
    assert ids([candidate(1, "1000.00", stock=3), candidate(2, "1000.00", stock=40)]) == [2, 1]


def test_the_offer_id_breaks_the_last_tie():
    assert ids([candidate(7, "1000.00"), candidate(3, "1000.00"), candidate(5, "1000.00")]) == [
        3,
        5,
        7,
    ]


def test_price_outranks_every_later_criterion():
    cheap_but_slow = candidate(1, "999.99", days=30, rating="0", stock=1)
    dear_but_fast = candidate(2, "1000.00", days=1, rating="5", stock=500)

    assert ids([dear_but_fast, cheap_but_slow]) == [1, 2]


@pytest.mark.parametrize(
    "unbuyable",
    [
        candidate(1, "1.00", stock=0),
        candidate(1, "1.00", stock=2, minimum=3),
        candidate(1, "1.00", active=False),
        candidate(1, None),
        Candidate(1, Decimal("1.00"), None, Decimal(0), 10),
    ],
    ids=["out of stock", "below its minimum", "inactive", "no landed price", "no delivery"],
)
def test_an_offer_nobody_can_buy_never_wins(unbuyable):
    assert ids([unbuyable, candidate(2, "5000.00")]) == [2]
    assert ids([unbuyable]) == []


def test_the_rating_input_is_neutral_for_every_seller_until_reviews_exist():
    assert seller_ratings_for_buy_box(seller_ids=[4, 9]) == {
        4: NEUTRAL_SELLER_RATING,
        9: NEUTRAL_SELLER_RATING,
    }


# --- The inputs gathered from offers, delivery and exchange rates ---


@pytest.fixture
def variant(db):
    default_rates()
    return make_product(name_en="Kettle").variants.get()


def test_a_cheaper_landed_price_wins_even_with_a_higher_sticker_price(variant):
    costly_delivery = make_seller(name="Costly delivery", delivery_price="600")
    free_delivery = make_seller(name="Free delivery", delivery_price="0")
    low_sticker = make_offer(seller=costly_delivery, variant=variant, price="1000")
    high_sticker = make_offer(seller=free_delivery, variant=variant, price="1200")

    buy_box = product_buy_box(product_id=variant.product_id)

    assert buy_box.winner.offer == high_sticker
    assert [row.offer for row in buy_box.ranked] == [high_sticker, low_sticker]
    assert [row.landed_price for row in buy_box.ranked] == [
        Money("1200", "RUB"),
        Money("1600", "RUB"),
    ]


def test_landed_prices_in_other_currencies_compare_at_the_reference_rate(variant):
    # CNY at 12.50: 90 + 20 delivery = 110 CNY = 1375 RUB, below 1300 + 300 = 1600 RUB.
    moscow = make_seller(name="Moscow", delivery_price="300")
    shenzhen = make_seller(name="Shenzhen", country="CN", currency="CNY", delivery_price="20")
    rouble_offer = make_offer(seller=moscow, variant=variant, price="1300")
    yuan_offer = make_offer(seller=shenzhen, variant=variant, price="90")

    buy_box = product_buy_box(product_id=variant.product_id)

    assert [row.offer for row in buy_box.ranked] == [yuan_offer, rouble_offer]
    assert [row.candidate.landed_reference_amount for row in buy_box.ranked] == [
        Decimal("1375.00"),
        Decimal("1600.00"),
    ]


def test_a_faster_seller_wins_a_landed_price_tie(variant):
    slow = make_seller(name="Slow")
    fast = make_seller(name="Fast")
    slow_offer = make_offer(seller=slow, variant=variant, price="1000", handling_days=5)
    fast_offer = make_offer(seller=fast, variant=variant, price="1000", handling_days=1)

    buy_box = product_buy_box(product_id=variant.product_id)

    assert [row.offer for row in buy_box.ranked] == [fast_offer, slow_offer]
    assert [row.candidate.delivery_days for row in buy_box.ranked] == [8, 12]


def test_more_stock_then_the_older_offer_win_the_remaining_ties(variant):
    first = make_offer(seller=make_seller(), variant=variant, price="1000", stock=5)
    second = make_offer(seller=make_seller(), variant=variant, price="1000", stock=5)
    deepest = make_offer(seller=make_seller(), variant=variant, price="1000", stock=50)

    buy_box = product_buy_box(product_id=variant.product_id)

    assert [row.offer for row in buy_box.ranked] == [deepest, first, second]


def test_an_out_of_stock_offer_never_wins_however_cheap(variant):
    cheapest = make_offer(seller=make_seller(), variant=variant, price="10", stock=0)
    dearer = make_offer(seller=make_seller(), variant=variant, price="5000", stock=1)

    buy_box = product_buy_box(product_id=variant.product_id)

    assert buy_box.winner.offer == dearer
    assert [(row.offer, row.is_eligible) for row in buy_box.ranked] == [
        (dearer, True),
        (cheapest, False),
    ]


def test_a_seller_without_delivery_options_never_wins(variant):
    stranded = make_seller()
    ProfileMethod.objects.filter(profile__seller=stranded).update(is_active=False)
    stranded_offer = make_offer(seller=stranded, variant=variant, price="10")
    other = make_offer(seller=make_seller(), variant=variant, price="5000")

    buy_box = product_buy_box(product_id=variant.product_id)

    assert buy_box.winner.offer == other
    assert buy_box.ranked[1].offer == stranded_offer
    assert (buy_box.ranked[1].delivery, buy_box.ranked[1].promise) == (None, None)


def test_nothing_wins_when_nothing_is_in_stock(variant):
    make_offer(seller=make_seller(), variant=variant, stock=0)

    buy_box = product_buy_box(product_id=variant.product_id)

    assert (buy_box.winner, buy_box.other_seller_count, buy_box.other_lowest_price) == (
        None,
        0,
        None,
    )


def test_other_sellers_and_their_lowest_price_in_its_own_currency(variant):
    winner = make_offer(seller=make_seller(delivery_price="0"), variant=variant, price="1000")
    make_offer(seller=make_seller(), variant=variant, price="1500")
    shenzhen = make_seller(country="CN", currency="CNY", delivery_price="200")
    make_offer(seller=shenzhen, variant=variant, price="100")  # 1250 RUB + 2500 delivery
    make_offer(seller=make_seller(), variant=variant, price="900", stock=0)

    buy_box = product_buy_box(product_id=variant.product_id)

    assert buy_box.winner.offer == winner
    assert (buy_box.other_seller_count, buy_box.other_lowest_price) == (2, Money("100", "CNY"))


def test_the_listing_summary_names_the_product_page_winner(variant):
    costly_delivery = make_seller(delivery_price="600")
    free_delivery = make_seller(delivery_price="0")
    make_offer(seller=costly_delivery, variant=variant, price="1000")
    winner = make_offer(seller=free_delivery, variant=variant, price="1200")
    product = variant.product

    summary = ProductOfferSummary.objects.get(product=product)
    page_winner = build_buy_box(offers=list_product_offers(product=product)).winner

    assert summary.best_offer_id == page_winner.offer.id == winner.id
    assert (summary.offer_count, summary.seller_count, summary.min_reference_price_amount) == (
        2,
        2,
        Decimal("1200.00"),
    )


def test_a_price_change_of_the_winner_changes_the_listing(
    variant, monkeypatch, django_capture_on_commit_callbacks
):
    seller = make_seller()
    offer = make_offer(seller=seller, variant=variant, price="1000")
    published = []
    monkeypatch.setattr("caravan.search.projection.publish", published.append)

    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=seller, offer_public_id=offer.public_id, price=Money("900", "RUB"))
    with django_capture_on_commit_callbacks(execute=True):
        update_offer(seller=seller, offer_public_id=offer.public_id, stock_quantity=4)

    assert [event.listing_changed for event in published] == [True, False]


def test_an_offer_that_does_not_ship_to_the_buyers_country_is_skipped(variant):
    # A seller delivering to Russia only, cheapest of all; a dearer one delivering anywhere.
    local = make_seller(name="Local", delivery_price=None)
    profile = moscow_profile(local)
    zones = zones_of(local, profile)
    rate(local, method(local, profile), zones.russia, [(None, "100")], transit=(1, 2))
    local_offer = make_offer(seller=local, variant=variant, price="500")
    anywhere = make_offer(seller=make_seller(name="Anywhere"), variant=variant, price="5000")

    at_home = product_buy_box(product_id=variant.product_id, destination=Destination("RU"))
    abroad = product_buy_box(product_id=variant.product_id, destination=Destination("DE"))

    assert at_home.winner.offer == local_offer
    assert abroad.winner.offer == anywhere
    assert [(row.offer, row.is_eligible, row.shipping.refusal) for row in abroad.ranked] == [
        (anywhere, True, ""),
        (local_offer, False, "Does not ship to Germany"),
    ]
