"""Addresses and phones per country: good and bad examples for the countries the issue names,
field order and labels, messages in the buyer's language, the address key and the migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import translation
from tests.factories import make_user

from caravan.accounts.address_rules import (
    AddressInvalid,
    address_layout,
    international_phone,
    normalise_address,
    normalise_phone,
    postal_lines,
)
from caravan.accounts.models import Address
from caravan.accounts.services import AddressRejected, add_address

GOOD_ADDRESSES = [
    # country, what the buyer typed, what is saved
    (
        "RU",
        {"region": "Москва", "city": "Москва", "postal_code": "125 009", "street": "Тверская, 7"},
        {"region": "Москва", "city": "Москва", "postal_code": "125009", "city_area": ""},
    ),
    (
        "RU",
        {"region": "Respublika Tatarstan", "city": "Kazan", "postal_code": "420111", "street": "a"},
        {
            "region": "Республика Татарстан",
            "city": "Kazan",
            "postal_code": "420111",
            "city_area": "",
        },
    ),
    (
        "KZ",
        {"city": "Алматы", "postal_code": "050012", "street": "пр. Абая, 10"},
        {"region": "", "city": "Алматы", "postal_code": "050012", "city_area": ""},
    ),
    (
        "BY",
        {"city": "Минск", "postal_code": "220030", "street": "пр. Независимости, 4"},
        {"region": "", "city": "Минск", "postal_code": "220030", "city_area": ""},
    ),
    (
        "CN",
        {
            "region": "广东省",
            "city": "深圳市",
            "city_area": "南山区",
            "postal_code": "518057",
            "street": "科技园",
        },
        {"region": "广东省", "city": "深圳市", "postal_code": "518057", "city_area": "南山区"},
    ),
    (
        "CN",
        {
            "region": "Guangdong Sheng",
            "city": "Shenzhen Shi",
            "postal_code": "518057",
            "street": "a",
        },
        {"region": "广东省", "city": "Shenzhen Shi", "postal_code": "518057", "city_area": ""},
    ),
    (
        "DE",
        {"city": "Berlin", "postal_code": "10115", "street": "Invalidenstraße 117"},
        {"region": "", "city": "Berlin", "postal_code": "10115", "city_area": ""},
    ),
    (
        "GB",
        {"city": "London", "postal_code": "ec1y8sy", "street": "1 Bunhill Row"},
        {"region": "", "city": "London", "postal_code": "EC1Y 8SY", "city_area": ""},
    ),
    (
        "US",
        {"region": "california", "city": "Mountain View", "postal_code": "94043", "street": "a"},
        {"region": "CA", "city": "Mountain View", "postal_code": "94043", "city_area": ""},
    ),
    (
        "US",
        {"region": "NY", "city": "New York", "postal_code": "10001-2062", "street": "a"},
        {"region": "NY", "city": "New York", "postal_code": "10001-2062", "city_area": ""},
    ),
    (
        "TR",
        {"region": "İstanbul", "city": "Kadıköy", "postal_code": "34710", "street": "Moda Cd. 5"},
        {"region": "İstanbul", "city": "Kadıköy", "postal_code": "34710", "city_area": ""},
    ),
]

BAD_ADDRESSES = [
    # country, what the buyer typed, the fields refused and why
    ("RU", {"city": "Москва", "postal_code": "125009", "street": "a"}, {"region": "required"}),
    (
        "RU",
        {"region": "Москва", "city": "Москва", "postal_code": "12500", "street": "a"},
        {"postal_code": "Check this: a postal code in Russia looks like 247112."},
    ),
    # Moscow's postal codes start with 1: Kazan's is not one of them.
    (
        "RU",
        {"region": "Москва", "city": "Москва", "postal_code": "420111", "street": "a"},
        {"postal_code": "Check this: a postal code in Russia looks like 247112."},
    ),
    (
        "KZ",
        {"city": "Алматы", "postal_code": "5001", "street": "a"},
        {"postal_code": "Check this: a postal code in Kazakhstan looks like 040900."},
    ),
    ("KZ", {"postal_code": "050012", "street": "a"}, {"city": "required"}),
    (
        "BY",
        {"city": "Минск", "postal_code": "22003A", "street": "a"},
        {"postal_code": "Check this: a postal code in Belarus looks like 223016."},
    ),
    ("CN", {"city": "深圳市", "postal_code": "518057", "street": "a"}, {"region": "required"}),
    (
        "CN",
        {"region": "Atlantis", "city": "深圳市", "postal_code": "518057", "street": "a"},
        {"region": "Choose one from the list."},
    ),
    # China's data lists each province's cities: one that is not there is refused.
    (
        "CN",
        {"region": "广东省", "city": "Atlantis", "postal_code": "518057", "street": "a"},
        {"city": "Not found in this region: check the spelling or the region."},
    ),
    (
        "DE",
        {"city": "Berlin", "postal_code": "1011", "street": "a"},
        {"postal_code": "Check this: a postal code in Germany looks like 26133."},
    ),
    ("DE", {"city": "Berlin", "street": "a"}, {"postal_code": "required"}),
    (
        "GB",
        {"city": "London", "postal_code": "12345", "street": "a"},
        {"postal_code": "Check this: a postal code in United Kingdom looks like EC1Y 8SY."},
    ),
    ("US", {"city": "Austin", "postal_code": "73301", "street": "a"}, {"region": "required"}),
    (
        "US",
        {"region": "TX", "city": "Austin", "postal_code": "7330", "street": "a"},
        {"postal_code": "Check this: a postal code in United States looks like 95014."},
    ),
    (
        "TR",
        {"city": "Kadıköy", "postal_code": "3471", "street": "a"},
        {"postal_code": "Check this: a postal code in Turkey looks like 01960."},
    ),
    ("TR", {"city": "Kadıköy", "postal_code": "34710"}, {"street": "required"}),
]

GOOD_PHONES = [
    ("RU", "8 (916) 123-45-67", "+79161234567", "+7 916 123-45-67"),
    ("KZ", "8 701 123 4567", "+77011234567", "+7 701 123 4567"),
    ("BY", "8 029 123-45-67", "+375291234567", "+375 29 123-45-67"),
    ("CN", "138 0013 8000", "+8613800138000", "+86 138 0013 8000"),
    ("DE", "030 1234567", "+49301234567", "+49 30 1234567"),
    ("GB", "020 7946 0958", "+442079460958", "+44 20 7946 0958"),
    ("US", "(650) 253-0000", "+16502530000", "+1 650-253-0000"),
    ("TR", "0532 123 45 67", "+905321234567", "+90 532 123 45 67"),
    # A number abroad written with its own country code is that country's, not the address's.
    ("DE", "+7 916 123 45 67", "+79161234567", "+7 916 123-45-67"),
]

NOT_A_NUMBER = "This is not a phone number. Write it with the country code: {example}."
NOT_IN_PLAN = "This phone number does not exist in its country's numbering plan."
BAD_PHONES = [
    ("RU", "позвоните мне", NOT_A_NUMBER.format(example="+7 912 345-67-89")),
    ("DE", "12345", NOT_IN_PLAN),
    ("US", "+1 555 0100", NOT_IN_PLAN),
    ("RU", "+7 000 000 00 00", NOT_IN_PLAN),
    ("CN", "138 0013", NOT_IN_PLAN),
]


@pytest.mark.parametrize(("country", "typed", "saved"), GOOD_ADDRESSES)
def test_a_good_address_is_normalised_to_its_country(country, typed, saved):
    normalised = normalise_address(country=country, values=typed)

    assert {name: normalised[name] for name in saved} == saved
    assert normalised["street"] == typed["street"]


@pytest.mark.parametrize(("country", "typed", "refused"), BAD_ADDRESSES)
def test_a_bad_address_is_refused_field_by_field(country, typed, refused):
    with translation.override("en"), pytest.raises(AddressInvalid) as caught:
        normalise_address(country=country, values=typed)

    expected = {
        name: "This field is required." if why == "required" else why
        for name, why in refused.items()
    }
    assert {name: str(message) for name, message in caught.value.errors.items()} == expected


@pytest.mark.parametrize(("country", "typed", "stored", "shown"), GOOD_PHONES)
def test_a_phone_is_stored_in_e164_and_shown_internationally(country, typed, stored, shown):
    e164 = normalise_phone(raw=typed, country=country)

    assert e164 == stored
    assert international_phone(e164) == shown


@pytest.mark.parametrize(("country", "typed", "message"), BAD_PHONES)
def test_a_bad_phone_is_refused_with_a_clear_message(country, typed, message):
    with translation.override("en"), pytest.raises(AddressInvalid) as caught:
        normalise_phone(raw=typed, country=country)

    assert {name: str(text) for name, text in caught.value.errors.items()} == {"phone": message}


@pytest.mark.parametrize(
    ("country", "fields", "required", "labels"),
    [
        (
            "RU",
            ("street", "city", "region", "postal_code"),
            {"street", "city", "region", "postal_code"},
            {"region": "Region", "postal_code": "Postal code", "city": "City"},
        ),
        (
            "KZ",
            ("postal_code", "region", "city", "street"),
            {"street", "city"},
            {"region": "Region", "postal_code": "Postal code"},
        ),
        (
            "BY",
            ("street", "postal_code", "city", "region"),
            {"street", "city"},
            {"region": "Region"},
        ),
        (
            "CN",
            ("postal_code", "region", "city", "city_area", "street"),
            {"street", "city", "region", "postal_code"},
            {"region": "Province", "city_area": "District"},
        ),
        (
            "DE",
            ("street", "postal_code", "city"),
            {"street", "city", "postal_code"},
            {"postal_code": "Postal code"},
        ),
        (
            "GB",
            ("street", "city", "postal_code"),
            {"street", "city", "postal_code"},
            {"postal_code": "Postcode", "city": "Post town"},
        ),
        (
            "US",
            ("street", "city", "region", "postal_code"),
            {"street", "city", "region", "postal_code"},
            {"region": "State", "postal_code": "ZIP code"},
        ),
        (
            "TR",
            ("street", "postal_code", "city", "region"),
            {"street", "city", "postal_code"},
            {"region": "Province", "city": "District"},
        ),
    ],
)
def test_each_country_has_its_field_order_labels_and_required_fields(
    country, fields, required, labels
):
    with translation.override("en"):
        layout = address_layout(country)

        assert layout.fields == fields
        assert layout.required == frozenset(required)
        assert {name: str(layout.label(name)) for name in labels} == labels


def test_regions_are_listed_with_their_stored_key_and_a_readable_name():
    us = dict(address_layout("US").region_choices)
    ru = dict(address_layout("RU").region_choices)
    cn = dict(address_layout("CN").region_choices)

    assert (len(us), us["CA"], us["NY"]) == (62, "California", "New York")
    assert ru["Республика Татарстан"] == "Республика Татарстан / Respublika Tatarstan"
    assert cn["广东省"] == "广东省 / Guangdong Sheng"
    assert address_layout("DE").region_choices == ()


def test_errors_are_in_the_buyers_language(db):
    with translation.override("ru"), pytest.raises(AddressRejected) as caught:
        add_address(
            user=make_user(),
            full_name="Иван",
            phone="+7 000 000 00 00",
            country="US",
            city="Austin",
            postal_code="73301",
            street="1 Congress Ave",
        )

    assert caught.value.errors == {
        "region": "Обязательное поле.",
        "phone": "Такого номера нет в плане нумерации его страны.",
    }


def test_an_address_is_saved_normalised_and_the_same_one_typed_otherwise_is_found(db):
    user = make_user()
    berlin = {
        "full_name": "Jonas Weber",
        "country": "DE",
        "city": "Berlin",
        "street": "Invalidenstraße 117",
    }

    first = add_address(user=user, phone="030 1234567", postal_code="10115", **berlin)
    again = add_address(user=user, phone="+49 30 123 4567", postal_code=" 10115 ", **berlin)

    assert again.id == first.id
    assert (first.phone, first.phone_parsed, first.postal_code) == ("+49301234567", True, "10115")
    assert Address.objects.filter(user=user).count() == 1


def test_a_region_typed_in_latin_or_local_script_is_one_address(db):
    user = make_user()
    kazan = {
        "full_name": "Ivan Petrov",
        "phone": "+79001234567",
        "country": "RU",
        "city": "Kazan",
        "postal_code": "420111",
        "street": "Baumana 5",
    }

    first = add_address(user=user, region="Республика Татарстан", **kazan)
    again = add_address(user=user, region="respublika tatarstan", **kazan)

    assert again.id == first.id
    assert (again.region, Address.objects.count()) == ("Республика Татарстан", 1)


def test_a_refused_address_saves_nothing(db):
    user = make_user()

    with pytest.raises(AddressRejected):
        add_address(
            user=user,
            full_name="",
            phone="+79001234567",
            country="GB",
            city="London",
            postal_code="12345",
            street="1 Bunhill Row",
        )

    assert Address.objects.count() == 0


@pytest.mark.parametrize(
    ("country", "latin", "lines"),
    [
        ("US", False, ["Ann Lee", "1600 Amphitheatre Pkwy", "Mountain View, CA 94043"]),
        ("CN", False, ["518057", "广东省深圳市南山区", "科技园 1号", "王芳"]),
        (
            "CN",
            True,
            ["王芳", "科技园 1号", "Nanshan Qu", "Shenzhen Shi", "Guangdong Sheng, 518057"],
        ),
        ("DE", False, ["Jonas Weber", "Invalidenstraße 117", "10115 Berlin"]),
        ("TR", False, ["Ayşe Yılmaz", "Moda Cd. 5", "34710 Kadıköy/İstanbul"]),
    ],
)
def test_an_address_is_written_in_the_destination_countrys_format(country, latin, lines):
    typed = {
        "US": ("Ann Lee", "1600 Amphitheatre Pkwy", "Mountain View", "", "CA", "94043"),
        "CN": ("王芳", "科技园 1号", "深圳市", "南山区", "广东省", "518057"),
        "DE": ("Jonas Weber", "Invalidenstraße 117", "Berlin", "", "", "10115"),
        "TR": ("Ayşe Yılmaz", "Moda Cd. 5", "Kadıköy", "", "İstanbul", "34710"),
    }[country]
    name, street, city, city_area, region, postal_code = typed

    written = postal_lines(
        country=country,
        name=name,
        street=street,
        city=city,
        city_area=city_area,
        region=region,
        postal_code=postal_code,
        latin=latin,
    )

    assert written == lines


def test_the_migration_puts_saved_phones_in_e164_and_flags_what_it_cannot_read(db):
    user = make_user()
    common = {"user": user, "full_name": "Ivan", "country": "RU", "city": "Kazan"}
    national = Address.objects.create(
        phone="8 (900) 123-45-67", postal_code="420111", street="a", key="1", **common
    )
    same_once_parsed = Address.objects.create(
        phone="+7 900 123 45 67", postal_code="420111", street="a", key="2", **common
    )
    garbage = Address.objects.create(
        phone="call the office", postal_code="420111", street="b", key="3", **common
    )
    migration = importlib.import_module("caravan.accounts.migrations.0005_address_phones_e164")

    migration.normalise_phones(apps, None)

    national.refresh_from_db()
    garbage.refresh_from_db()
    assert (national.phone, national.phone_parsed) == ("+79001234567", True)
    assert (garbage.phone, garbage.phone_parsed) == ("call the office", False)
    assert not Address.objects.filter(id=same_once_parsed.id).exists()
    assert len(national.key) == 64
