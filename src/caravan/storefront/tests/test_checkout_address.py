"""The checkout's new-address form follows the country: fields, order, labels, regions,
errors in the buyer's language, a country change with and without script."""

import re

import pytest
from django.urls import reverse
from tests.factories import fill_cart, make_user

from caravan.accounts.models import Address
from caravan.cart.models import CartLine
from caravan.orders.models import Order

pytestmark = pytest.mark.django_db

BERLIN = {
    "address": "new",
    "address-full_name": "Jonas Weber",
    "address-phone": "030 1234567",
    "address-country": "DE",
    "address-city": "Berlin",
    "address-postal_code": "10115",
    "address-street": "Invalidenstraße 117",
}


@pytest.fixture
def new_buyer(market, signed_in):
    """A buyer with a cart and no saved address: the checkout opens on the new-address form."""
    buyer = make_user(email="jonas@example.com", full_name="Jonas Weber")
    fill_cart(user=buyer, lines=[(market.offer_ru, 1)])
    return signed_in(buyer)


def field_names(page: str) -> list[str]:
    """The new-address fields in the order the page shows them."""
    return re.findall(r'data-field="(\w+)"', page)


def labels(page: str) -> dict[str, str]:
    return dict(re.findall(r'<label for="id_address-(\w+)">([^<]+?)\s*(?:<span|</label>)', page))


@pytest.mark.parametrize(
    ("country", "fields", "shown_labels", "required_marks"),
    [
        (
            "RU",
            ["full_name", "phone", "street", "city", "region", "postal_code"],
            {"region": "Region", "postal_code": "Postal code"},
            {"full_name", "phone", "street", "city", "region", "postal_code"},
        ),
        (
            "DE",
            ["full_name", "phone", "street", "postal_code", "city"],
            {"postal_code": "Postal code", "city": "City"},
            {"full_name", "phone", "street", "postal_code", "city"},
        ),
        (
            "US",
            ["full_name", "phone", "street", "city", "region", "postal_code"],
            {"region": "State", "postal_code": "ZIP code"},
            {"full_name", "phone", "street", "city", "region", "postal_code"},
        ),
        (
            "CN",
            ["full_name", "phone", "postal_code", "region", "city", "city_area", "street"],
            {"region": "Province", "city_area": "District"},
            {"full_name", "phone", "postal_code", "region", "city", "street"},
        ),
        (
            "GB",
            ["full_name", "phone", "street", "city", "postal_code"],
            {"city": "Post town", "postal_code": "Postcode"},
            {"full_name", "phone", "street", "city", "postal_code"},
        ),
    ],
)
def test_the_fragment_shows_the_countrys_fields_in_its_order_with_its_labels(
    new_buyer, country, fields, shown_labels, required_marks
):
    response = new_buyer.get(
        reverse("storefront:checkout_address_fields"),
        {"address-country": country, "address-full_name": "Jonas Weber"},
    )

    page = response.content.decode()
    assert field_names(page) == fields
    assert {name: labels(page)[name] for name in shown_labels} == shown_labels
    marked = set(
        re.findall(r'data-field="(\w+)">\s*<label[^>]*>[^<]*<span class="required-mark"', page)
    )
    assert marked == required_marks
    assert 'value="Jonas Weber"' in page
    assert f'<option value="{country}" selected>' in page


def test_a_us_address_has_a_state_select_and_germany_has_none(new_buyer):
    us = new_buyer.get(reverse("storefront:checkout_address_fields"), {"address-country": "US"})
    germany = new_buyer.get(
        reverse("storefront:checkout_address_fields"), {"address-country": "DE"}
    )

    assert '<option value="CA">California</option>' in us.content.decode()
    assert 'name="address-region"' not in germany.content.decode()


def test_changing_the_country_without_script_rerenders_the_form_and_places_nothing(new_buyer):
    response = new_buyer.post(
        "/checkout/", {**BERLIN, "address-country": "US", "change_country": "1"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["address_form"].layout.country == "US"
    assert not response.context["address_form"].is_bound
    assert 'value="Invalidenstraße 117"' in page
    assert 'name="address-region"' in page
    assert "This field is required." not in page
    assert (Order.objects.count(), Address.objects.count()) == (0, 1)


def test_a_german_address_is_saved_normalised_and_the_order_ships_there(new_buyer):
    response = new_buyer.post("/checkout/", BERLIN)

    order = Order.objects.get()
    assert response["Location"].startswith("/sandbox/pay/")
    assert (order.ship_to_country, order.ship_to_postal_code, order.ship_to_phone) == (
        "DE",
        "10115",
        "+49301234567",
    )
    address = Address.objects.get(user__email="jonas@example.com")
    assert (address.phone, address.phone_parsed, address.region) == ("+49301234567", True, "")


def test_a_us_address_without_a_state_and_with_a_bad_zip_is_refused_field_by_field(new_buyer):
    response = new_buyer.post(
        "/checkout/",
        {
            **BERLIN,
            "address-country": "US",
            "address-city": "Austin",
            "address-postal_code": "7330",
            "address-phone": "+1 555 0100",
        },
    )

    assert response.status_code == 200
    assert response.context["address_form"].errors == {
        "region": ["This field is required."],
        "postal_code": ["Check this: a postal code in United States looks like 95014."],
        "phone": ["This phone number does not exist in its country's numbering plan."],
    }
    assert Order.objects.count() == 0
    assert Address.objects.filter(user__email="jonas@example.com").count() == 0
    assert CartLine.objects.count() == 1


def test_errors_are_in_russian_for_a_russian_buyer(new_buyer):
    new_buyer.cookies["django_language"] = "ru"

    response = new_buyer.post(
        "/checkout/",
        {**BERLIN, "address-country": "RU", "address-phone": "+7 000 000 00 00"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    errors = response.context["address_form"].errors
    assert errors["region"] == ["Обязательное поле."]
    assert errors["phone"] == ["Такого номера нет в плане нумерации его страны."]


def test_a_double_submit_of_a_new_address_places_one_order_and_saves_one_address(new_buyer):
    page = new_buyer.get("/checkout/").content.decode()
    key = re.search(r'name="checkout_key" value="([^"]+)"', page).group(1)

    first = new_buyer.post("/checkout/", {**BERLIN, "checkout_key": key})
    second = new_buyer.post("/checkout/", {**BERLIN, "checkout_key": key})

    assert (first.status_code, second.status_code) == (302, 302)
    assert Order.objects.count() == 1
    assert Address.objects.filter(user__email="jonas@example.com").count() == 1
