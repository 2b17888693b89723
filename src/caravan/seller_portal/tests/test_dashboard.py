from datetime import timedelta

from django.urls import reverse
from tests.factories import make_offer, make_product, move_clock

from caravan.kernel.money import Money
from caravan.orders.models import Order

from .portal_helpers import market_seller_order, owner_of, place_paid_order, restock


def test_dashboard_shows_revenue_counts_orders_to_ship_and_low_stock(client, market):
    restock(market.offer_ru, 50)
    # Each order is 2500 + 300 delivery = 2800 RUB.
    old = market_seller_order(market)
    Order.objects.filter(id=old.order_id).update(paid_at=old.order.paid_at - timedelta(days=40))
    recent = market_seller_order(market)
    Order.objects.filter(id=recent.order_id).update(
        paid_at=recent.order.paid_at - timedelta(days=3)
    )
    shipped = market_seller_order(market)
    client.force_login(owner_of(market.seller_ru))
    client.post(
        reverse("seller_portal:order", args=[shipped.public_id]),
        {"carrier": "Russian Post", "tracking_number": "RA1"},
    )
    market_seller_order(market, paid=False)
    place_paid_order(offer=market.offer_cn)  # another seller's money
    low = make_offer(seller=market.seller_ru, variant=make_product().variants.get(), stock=3)
    make_offer(seller=market.seller_ru, variant=make_product().variants.get(), stock=4)

    response = client.get(reverse("seller_portal:dashboard"))

    context = response.context
    assert context["revenue_today"] == [Money("2800.00", "RUB")]
    assert context["revenue_30_days"] == [Money("5600.00", "RUB")]
    assert [(status, count) for status, _label, count in context["state_counts"]] == [
        ("pending_payment", 1),
        ("awaiting_shipment", 2),
        ("shipped", 1),
        ("delivered", 0),
        ("cancelled", 0),
    ]
    assert [seller_order.id for seller_order in context["to_ship"]] == [old.id, recent.id]
    assert [offer.id for offer in context["low_stock"]] == [low.id]
    assert context["overdue_count"] == 0
    chart = context["chart"]
    assert len(chart.bars) == 30
    assert chart.total == Money("5600.00", "RUB")
    assert chart.orders == 2
    assert [bar.height > 0 for bar in chart.bars].count(True) == 2
    assert chart.bars[-1].height == chart.baseline - 4  # today is the best day
    assert 'data-testid="sales-chart"' in response.content.decode()


def test_dashboard_highlights_an_overdue_order(client, market, monkeypatch):
    seller_order = market_seller_order(market)
    client.force_login(owner_of(market.seller_ru))
    move_clock(monkeypatch, by=timedelta(days=3))

    response = client.get(reverse("seller_portal:dashboard"))

    assert response.context["overdue_count"] == 1
    assert response.content.decode().count('data-testid="overdue"') == 1
    assert seller_order.number.encode() in response.content


def test_dashboard_of_a_new_shop_shows_zero_revenue_in_its_currency(client, market):
    client.force_login(owner_of(market.seller_cn))

    response = client.get(reverse("seller_portal:dashboard"))

    assert response.context["revenue_today"] == [Money("0", "CNY")]
    assert response.context["to_ship"] == []
