from decimal import Decimal

from django.urls import reverse
from tests.factories import add_member, make_offer

from caravan.offers.buybox import product_buy_box
from caravan.offers.models import ProductOfferSummary
from caravan.shipping.models import ShippingMethod, ShippingProfile

from .portal_helpers import owner_of

GOOD = {
    "name_ru": "Курьер",
    "name_en": "Courier",
    "carrier": "CDEK",
    "price": "1 250,50",
    "transit_days_min": "1",
    "transit_days_max": "3",
}


def methods_of(seller):
    return list(
        ShippingMethod.objects.filter(seller=seller)
        .order_by("id")
        .values_list(
            "name_en",
            "carrier",
            "price_amount",
            "transit_days_min",
            "transit_days_max",
            "is_active",
        )
    )


def test_the_list_shows_the_sellers_options_only(client, market):
    client.force_login(owner_of(market.seller_ru))

    response = client.get(reverse("seller_portal:delivery"))

    assert response.status_code == 200
    assert [method.id for method in response.context["methods"]] == [market.method_ru.id]
    html = response.content.decode()
    assert "Standard delivery" in html
    assert "Caravan Post" in html
    assert reverse("seller_portal:delivery_edit", args=[market.method_ru.id]) in html
    assert reverse("seller_portal:delivery_edit", args=[market.method_cn.id]) not in html
    assert 'data-testid="delivery-missing"' not in html


def test_adding_an_option_saves_it_and_returns_to_the_list(client, market):
    client.force_login(owner_of(market.seller_ru))

    response = client.post(reverse("seller_portal:delivery_new"), GOOD)

    assert response.status_code == 302
    assert response["Location"] == reverse("seller_portal:delivery")
    assert methods_of(market.seller_ru) == [
        ("Standard delivery", "Caravan Post", Decimal("300.00"), 3, 7, True),
        ("Courier", "CDEK", Decimal("1250.50"), 1, 3, True),
    ]
    assert ShippingMethod.objects.get(name_en="Courier").currency == "RUB"


def test_a_bad_price_is_refused_on_the_form_with_the_input_kept(client, market):
    client.force_login(owner_of(market.seller_ru))
    before = methods_of(market.seller_ru)

    response = client.post(reverse("seller_portal:delivery_new"), {**GOOD, "price": "12,3,4"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "price": ["Enter the price as a number, for example 300 or 299.90; 0 for free delivery."]
    }
    assert 'value="Courier"' in response.content.decode()
    assert methods_of(market.seller_ru) == before


def test_editing_with_a_bad_transit_range_shows_the_error_keeps_input_changes_nothing(
    client, market
):
    client.force_login(owner_of(market.seller_ru))
    before = methods_of(market.seller_ru)
    url = reverse("seller_portal:delivery_edit", args=[market.method_ru.id])

    response = client.post(
        url, {**GOOD, "price": "-5", "transit_days_min": "9", "transit_days_max": "2"}
    )

    assert response.status_code == 400
    # The service checks the price first and stops there.
    assert response.context["form"].errors == {"price": ["Delivery price cannot be negative"]}
    html = response.content.decode()
    assert 'value="-5"' in html
    assert 'value="9"' in html
    assert 'value="CDEK"' in html
    assert methods_of(market.seller_ru) == before

    response = client.post(url, {**GOOD, "transit_days_min": "9", "transit_days_max": "2"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "transit_days_max": ["Transit days must be a range within 0-120"]
    }
    assert methods_of(market.seller_ru) == before


def test_editing_saves_the_option(client, market):
    client.force_login(owner_of(market.seller_ru))
    url = reverse("seller_portal:delivery_edit", args=[market.method_ru.id])

    page = client.get(url)
    response = client.post(url, {**GOOD, "price": "0"})

    assert page.status_code == 200
    assert 'value="300.00"' in page.content.decode()
    assert response.status_code == 302
    assert methods_of(market.seller_ru) == [("Courier", "CDEK", Decimal("0.00"), 1, 3, True)]


def test_another_sellers_option_is_not_found_and_unchanged(client, market):
    client.force_login(owner_of(market.seller_ru))
    before = methods_of(market.seller_cn)

    edit = client.post(reverse("seller_portal:delivery_edit", args=[market.method_cn.id]), GOOD)
    toggle = client.post(reverse("seller_portal:delivery_toggle", args=[market.method_cn.id]))

    assert (edit.status_code, toggle.status_code) == (404, 404)
    assert methods_of(market.seller_cn) == before


def test_toggling_switches_off_and_on_and_the_buy_box_follows(
    client, market, django_capture_on_commit_callbacks
):
    client.force_login(owner_of(market.seller_ru))
    url = reverse("seller_portal:delivery_toggle", args=[market.method_ru.id])
    eligible_before = [
        row.offer.id
        for row in product_buy_box(product_id=market.product.id).ranked
        if row.is_eligible
    ]

    with django_capture_on_commit_callbacks(execute=True):
        off = client.post(url, {"is_active": "0"})
        again = client.post(url, {"is_active": "0"})
    eligible_when_off = [
        row.offer.id
        for row in product_buy_box(product_id=market.product.id).ranked
        if row.is_eligible
    ]
    summary_when_off = ProductOfferSummary.objects.get(product=market.product).offer_count
    with django_capture_on_commit_callbacks(execute=True):
        on = client.post(url)

    assert eligible_before == [market.offer_cn.id, market.offer_ru.id]
    assert (off.status_code, again.status_code, on.status_code) == (302, 302, 302)
    assert eligible_when_off == [market.offer_cn.id]
    assert summary_when_off == 1
    assert ShippingMethod.objects.get(id=market.method_ru.id).is_active is True
    assert ProductOfferSummary.objects.get(product=market.product).offer_count == 2


def test_the_first_delivery_option_makes_a_new_sellers_offer_buyable(
    client, market, django_capture_on_commit_callbacks
):
    seller = market.seller_ru
    ShippingMethod.objects.filter(seller=seller).delete()
    ShippingProfile.objects.filter(seller=seller).delete()
    offer = make_offer(seller=seller, price="990", stock=4)
    client.force_login(owner_of(seller))
    dashboard_before = client.get(reverse("seller_portal:dashboard"))
    summary_before = ProductOfferSummary.objects.get(product=offer.product)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seller_portal:delivery_new"), GOOD)

    assert 'data-testid="no-delivery-notice"' in dashboard_before.content.decode()
    assert (summary_before.is_buyable, summary_before.best_offer_id) == (False, None)
    assert response.status_code == 302
    summary = ProductOfferSummary.objects.get(product=offer.product)
    assert (summary.is_buyable, summary.best_offer_id, summary.offer_count) == (True, offer.id, 1)
    winner = product_buy_box(product_id=offer.product.id).winner
    assert winner is not None
    assert winner.offer.id == offer.id
    assert winner.delivery is not None and winner.delivery.method.name_en == "Courier"
    dashboard_after = client.get(reverse("seller_portal:dashboard"))
    assert 'data-testid="no-delivery-notice"' not in dashboard_after.content.decode()


def test_roles_without_offer_management_are_refused(client, market):
    before = methods_of(market.seller_ru)
    for role in ("fulfilment", "finance"):
        client.force_login(add_member(seller=market.seller_ru, role=role))

        page = client.get(reverse("seller_portal:delivery"))
        toggle = client.post(
            reverse("seller_portal:delivery_toggle", args=[market.method_ru.id]),
            {"is_active": "0"},
        )

        assert (page.status_code, toggle.status_code) == (403, 403)
    assert methods_of(market.seller_ru) == before


def test_the_catalog_role_manages_delivery(client, market):
    client.force_login(add_member(seller=market.seller_ru, role="catalog"))

    response = client.post(reverse("seller_portal:delivery_new"), GOOD)

    assert response.status_code == 302
    assert len(methods_of(market.seller_ru)) == 2
