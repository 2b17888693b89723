from caravan.cart.selectors import build_cart_view
from caravan.cart.services import add_to_cart, get_or_create_cart
from caravan.kernel.money import Money


def test_cart_groups_two_sellers_with_a_total_per_currency(market):
    cart = get_or_create_cart(token=None, user=market.buyer)
    add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=2)
    add_to_cart(cart=cart, offer_public_id=market.offer_cn.public_id, quantity=1)

    view = build_cart_view(cart=cart)

    assert [group.seller.name for group in view.groups] == ["Moscow Goods", "Shenzhen Tech"]
    assert view.totals.as_list() == [Money("175.00", "CNY"), Money("5300.00", "RUB")]
    assert view.item_count == 3
