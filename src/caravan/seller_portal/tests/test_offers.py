from decimal import Decimal

from django.urls import reverse
from tests.factories import make_offer, make_product

from caravan.offers.models import Offer, ProductOfferSummary

from .portal_helpers import owner_of


def inline(client, offer, *, price, stock, htmx=True):
    prefix = f"offer-{offer.public_id}"
    return client.post(
        reverse("seller_portal:offer_inline", args=[offer.public_id]),
        {f"{prefix}-price": price, f"{prefix}-stock": stock},
        **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
    )


def offer_state(offer):
    row = Offer.objects.get(id=offer.id)
    return (row.price_amount, row.reference_price_amount, row.stock_quantity, row.updated_at)


def test_inline_edit_saves_and_returns_the_row_and_the_storefront_sees_it(
    client, market, django_capture_on_commit_callbacks
):
    client.force_login(owner_of(market.seller_ru))

    # 1 799,50 as a Russian seller types it; the CNY offer (150 CNY = 1875 RUB) was the cheapest.
    with django_capture_on_commit_callbacks(execute=True):
        response = inline(client, market.offer_ru, price="1 799,50", stock="12")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="offer-{market.offer_ru.public_id}"')
    assert "is-saved" in html
    assert 'value="1799.50"' in html
    assert 'value="12"' in html
    offer = Offer.objects.get(id=market.offer_ru.id)
    assert (offer.price_amount, offer.stock_quantity) == (Decimal("1799.50"), 12)
    summary = ProductOfferSummary.objects.get(product=market.product)
    assert summary.best_offer_id == offer.id
    assert summary.min_reference_price_amount == Decimal("1799.50")


def test_inline_edit_with_a_bad_price_shows_the_error_in_the_row_and_changes_nothing(
    client, market
):
    client.force_login(owner_of(market.seller_ru))
    before = offer_state(market.offer_ru)

    response = inline(client, market.offer_ru, price="12,3,4", stock="7")

    assert response.status_code == 200
    html = response.content.decode()
    assert "has-error" in html
    assert "Enter a price as a number, for example 1499.90." in html
    assert 'value="12,3,4"' in html
    assert 'value="7"' in html
    assert offer_state(market.offer_ru) == before


def test_inline_edit_refuses_zero_price_too_many_decimals_and_negative_stock(client, market):
    client.force_login(owner_of(market.seller_ru))
    before = offer_state(market.offer_ru)

    zero = inline(client, market.offer_ru, price="0", stock="1")
    precise = inline(client, market.offer_ru, price="10.999", stock="1")
    negative = inline(client, market.offer_ru, price="10", stock="-1")

    assert "The price must be above zero." in zero.content.decode()
    assert "Use at most 2 decimal places." in precise.content.decode()
    assert "Ensure this value is greater than or equal to 0." in negative.content.decode()
    assert offer_state(market.offer_ru) == before


def test_inline_edit_without_htmx_redirects_back_to_the_list(client, market):
    client.force_login(owner_of(market.seller_ru))

    response = inline(client, market.offer_ru, price="2000", stock="3", htmx=False)

    assert response.status_code == 302
    assert response["Location"] == reverse("seller_portal:offers")
    assert Offer.objects.get(id=market.offer_ru.id).price_amount == 2000


def test_inline_edit_without_htmx_never_redirects_to_another_site(client, market):
    client.force_login(owner_of(market.seller_ru))
    prefix = f"offer-{market.offer_ru.public_id}"

    response = client.post(
        reverse("seller_portal:offer_inline", args=[market.offer_ru.public_id]),
        {f"{prefix}-price": "2000", f"{prefix}-stock": "3", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("seller_portal:offers")


def test_full_edit_page_changes_price_stock_handling_and_deactivates(
    client, market, django_capture_on_commit_callbacks
):
    client.force_login(owner_of(market.seller_cn))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("seller_portal:offer_edit", args=[market.offer_cn.public_id]),
            {"price": "139.90", "stock": "0", "handling_days": "5"},
        )

    assert response.status_code == 302
    offer = Offer.objects.get(id=market.offer_cn.id)
    assert (offer.price_amount, offer.stock_quantity, offer.handling_days, offer.is_active) == (
        Decimal("139.90"),
        0,
        5,
        False,
    )
    summary = ProductOfferSummary.objects.get(product=market.product)
    assert (summary.best_offer_id, summary.offer_count) == (market.offer_ru.id, 1)


def test_full_edit_page_refuses_bad_handling_days_and_keeps_input(client, market):
    client.force_login(owner_of(market.seller_cn))
    before = offer_state(market.offer_cn)

    response = client.post(
        reverse("seller_portal:offer_edit", args=[market.offer_cn.public_id]),
        {"price": "139.90", "stock": "4", "handling_days": "61", "is_active": "on"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "handling_days": ["Ensure this value is less than or equal to 60."]
    }
    assert 'value="139.90"' in response.content.decode()
    assert offer_state(market.offer_cn) == before


def test_offer_list_searches_by_product_name_and_filters_low_stock(client, market):
    kettle = make_product(name_en="Electric Kettle", name_ru="Электрический чайник")
    low = make_offer(seller=market.seller_ru, variant=kettle.variants.get(), stock=2)
    client.force_login(owner_of(market.seller_ru))

    by_english = client.get(reverse("seller_portal:offers"), {"q": "kettle"})
    by_russian = client.get(reverse("seller_portal:offers"), {"q": "чайник"})
    low_stock = client.get(reverse("seller_portal:offers"), {"show": "low_stock"})
    everything = client.get(reverse("seller_portal:offers"))

    def ids(response):
        return [row["offer"].id for row in response.context["rows"]]

    assert ids(by_english) == [low.id]
    assert ids(by_russian) == [low.id]
    assert ids(low_stock) == [low.id]
    assert sorted(ids(everything)) == sorted([low.id, market.offer_ru.id])


def test_offer_on_an_existing_product_finds_it_and_creates_the_offer(
    client, market, django_capture_on_commit_callbacks
):
    other = make_product(name_en="Travel Mug", name_ru="Дорожная кружка", colours=("Red", "Blue"))
    make_offer(seller=market.seller_cn, variant=other.variants.first())
    blue = other.variants.get(label_en="Blue")
    client.force_login(owner_of(market.seller_ru))

    search = client.get(reverse("seller_portal:offer_new"), {"q": "mug"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("seller_portal:offer_new"),
            {"variant": blue.public_id, "price": "990", "stock": "4", "handling_days": "2"},
        )

    assert [result["product"].id for result in search.context["results"]] == [other.id]
    assert response.status_code == 302
    offer = Offer.objects.get(seller=market.seller_ru, variant=blue)
    assert (offer.price_amount, offer.currency, offer.stock_quantity, offer.handling_days) == (
        Decimal("990"),
        "RUB",
        4,
        2,
    )
    assert ProductOfferSummary.objects.get(product=other).seller_count == 2


def test_a_second_offer_on_the_same_variant_is_refused(client, market):
    client.force_login(owner_of(market.seller_ru))
    variant = market.offer_ru.variant
    before = list(Offer.objects.order_by("id").values_list("id", "price_amount"))

    response = client.post(
        reverse("seller_portal:offer_new"),
        {"variant": variant.public_id, "price": "990", "stock": "4", "handling_days": "2"},
    )

    assert response.status_code == 200
    assert response.context["existing_offer"].id == market.offer_ru.id
    assert list(Offer.objects.order_by("id").values_list("id", "price_amount")) == before
