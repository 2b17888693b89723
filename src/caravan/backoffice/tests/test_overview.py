"""The operator's overview: queues waiting and the marketplace's last 30 days."""

import pytest
from django.urls import reverse
from tests.factories import make_user, place_market_order

from caravan.kernel.money import Money
from caravan.orders.services import mark_order_paid

pytestmark = pytest.mark.django_db


def operator():
    user = make_user(email="olga@example.com")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_the_overview_shows_queues_and_gmv_per_currency(client, market):
    paid = place_market_order(market)
    mark_order_paid(order_id=paid.id)
    place_market_order(market, quantity_ru=1, quantity_cn=1)  # left unpaid
    client.force_login(operator())

    response = client.get(reverse("backoffice:home"))

    assert response.status_code == 200
    context = response.context
    assert context["applications_waiting"] == 0
    assert context["products_waiting"] == 0
    assert context["stats"].seller_count == 2
    activity = context["activity"]
    assert activity.paid_orders == 1
    assert activity.awaiting_payment == 1
    assert activity.overdue_shipments == 0
    assert activity.gmv.as_list() == [Money("175.00", "CNY"), Money("5300.00", "RUB")]


def test_the_overview_is_for_operators_only(client, market):
    assert client.get(reverse("backoffice:home")).status_code == 302
    client.force_login(market.buyer)
    assert client.get(reverse("backoffice:home")).status_code == 403
