from caravan.catalog.models import Product
from caravan.offers.models import Offer
from caravan.offers.selectors import buyable_offer_filter, is_buyable_offer
from caravan.sellers.models import Seller


def buyable_by_filter():
    return sorted(Offer.objects.filter(buyable_offer_filter()).values_list("id", flat=True))


def buyable_by_predicate():
    offers = Offer.objects.select_related("seller", "product")
    return sorted(offer.id for offer in offers if is_buyable_offer(offer))


def test_the_filter_and_the_predicate_state_one_rule(market):
    # given both offers buyable
    assert (
        buyable_by_filter()
        == buyable_by_predicate()
        == sorted([market.offer_ru.id, market.offer_cn.id])
    )

    # when the Chinese seller is suspended
    Seller.objects.filter(id=market.seller_cn.id).update(status="suspended")
    # then only the Russian offer is buyable
    assert buyable_by_filter() == buyable_by_predicate() == [market.offer_ru.id]

    # when the Russian offer is switched off
    Offer.objects.filter(id=market.offer_ru.id).update(is_active=False)
    # then nothing is
    assert buyable_by_filter() == buyable_by_predicate() == []


def test_an_unapproved_or_hidden_product_sells_nothing(market):
    Product.objects.filter(id=market.product.id).update(is_approved=False)

    assert buyable_by_filter() == buyable_by_predicate() == []

    Product.objects.filter(id=market.product.id).update(is_approved=True, is_active=False)

    assert buyable_by_filter() == buyable_by_predicate() == []
