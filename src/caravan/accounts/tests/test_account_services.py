import pytest
from tests.factories import PASSWORD, make_address, make_user

from caravan.accounts.addresses import address_key
from caravan.accounts.models import Address, User
from caravan.accounts.selectors import get_address, list_addresses
from caravan.accounts.services import add_address, register_user, set_preferred_currency
from caravan.kernel.errors import NotFound, ValidationFailed


def test_registration_normalises_the_email_and_hashes_the_password(db):
    user = register_user(email="  Anna.Smirnova@Example.COM ", password=PASSWORD, full_name="Анна")

    assert user.email == "anna.smirnova@example.com"
    assert user.full_name == "Анна"
    assert user.check_password(PASSWORD)
    assert user.password != PASSWORD
    assert (user.is_staff, user.is_active) == (False, True)


@pytest.mark.parametrize(
    ("email", "password", "code"),
    [
        ("not-an-email", PASSWORD, "invalid_email"),
        ("", PASSWORD, "invalid_email"),
        ("buyer@example.com", "short", "weak_password"),
        ("buyer@example.com", "12345678901", "weak_password"),
        ("buyer@example.com", "password123", "weak_password"),
    ],
)
def test_registration_refuses_bad_input(db, email, password, code):
    with pytest.raises(ValidationFailed) as caught:
        register_user(email=email, password=password)

    assert caught.value.code == code
    assert User.objects.count() == 0


def test_an_email_registers_once_whatever_its_case(db):
    make_user(email="buyer@example.com")

    with pytest.raises(ValidationFailed) as caught:
        register_user(email="BUYER@example.com", password=PASSWORD)

    assert caught.value.code == "email_taken"
    assert User.objects.count() == 1


def test_an_address_is_stored_trimmed(db):
    user = make_user()

    address = add_address(
        user=user,
        full_name=" Ivan Petrov ",
        phone=" +79001234567",
        country="RU",
        region="Республика Татарстан",
        city="Kazan ",
        postal_code="420000",
        street="Baumana 5",
    )

    assert address.one_line() == "Ivan Petrov, Baumana 5, Kazan 420000, RU"
    assert (address.phone, address.region) == ("+79001234567", "Республика Татарстан")
    assert list(list_addresses(user=user)) == [address]


@pytest.mark.parametrize(
    ("country", "city", "code"),
    [("XX", "Kazan", "invalid_country"), ("RU", "   ", "address_invalid")],
)
def test_an_incomplete_or_foreign_address_is_refused(db, country, city, code):
    user = make_user()

    with pytest.raises(ValidationFailed) as caught:
        add_address(
            user=user,
            full_name="Ivan Petrov",
            phone="+79001234567",
            country=country,
            region="Республика Татарстан",
            city=city,
            postal_code="420000",
            street="Baumana 5",
        )

    assert caught.value.code == code
    assert Address.objects.count() == 0


def test_an_address_is_only_found_for_its_owner(db):
    owner, stranger = make_user(), make_user()
    address = make_address(user=owner)

    assert get_address(user=owner, address_id=address.id) == address
    with pytest.raises(NotFound):
        get_address(user=stranger, address_id=address.id)
    assert list(list_addresses(user=stranger)) == []


def test_a_buyer_currency_is_remembered_on_the_account(db):
    user = make_user(email="buyer@example.com")

    set_preferred_currency(user=user, currency="EUR")

    user.refresh_from_db()
    assert user.preferred_currency == "EUR"


@pytest.mark.parametrize("currency", ["JPY", "eur", "", "XXX", "EURO"])
def test_a_currency_outside_the_buyer_currencies_is_refused_and_nothing_changes(db, currency):
    user = make_user(email="buyer@example.com")
    set_preferred_currency(user=user, currency="USD")

    with pytest.raises(ValidationFailed) as caught:
        set_preferred_currency(user=user, currency=currency)

    assert caught.value.code == "currency_unsupported"
    user.refresh_from_db()
    assert user.preferred_currency == "USD"


ADDRESS = {
    "full_name": "Ivan Petrov",
    "phone": "+7 900 123-45-67",
    "country": "RU",
    "region": "Москва",
    "city": "Moscow",
    "postal_code": "101000",
    "street": "ul. Tverskaya, d. 1, kv. 5",
}


@pytest.mark.django_db
def test_the_same_address_typed_differently_is_saved_once():
    user = make_user()
    first = add_address(user=user, **ADDRESS)

    again = add_address(
        user=user,
        full_name="  ivan  PETROV ",
        phone="+7 (900) 1234567",
        country="RU",
        region="Moskva",
        city="MOSCOW",
        postal_code="101 000",
        street="Ul Tverskaya d 1 kv 5",
    )

    assert again.id == first.id
    assert list(Address.objects.filter(user=user).values_list("street", flat=True)) == [
        "ul. Tverskaya, d. 1, kv. 5"
    ]


@pytest.mark.django_db
def test_another_flat_or_another_user_is_another_address():
    user, other = make_user(), make_user()
    first = add_address(user=user, **ADDRESS)

    next_door = add_address(user=user, **{**ADDRESS, "street": "ul. Tverskaya, d. 1, kv. 6"})
    theirs = add_address(user=other, **ADDRESS)

    assert len({first.id, next_door.id, theirs.id}) == 3
    assert Address.objects.count() == 3


def test_the_address_key_folds_case_spacing_punctuation_and_phone_format():
    plain = address_key(**ADDRESS)

    assert plain == address_key(**{**ADDRESS, "phone": "+79001234567", "city": " moscow"})
    assert plain == address_key(**{**ADDRESS, "street": "UL. TVERSKAYA,  D. 1,  KV. 5"})
    assert plain != address_key(**{**ADDRESS, "postal_code": "101001"})
    assert address_key(**{**ADDRESS, "street": "Фёдорова 3"}) == address_key(
        **{**ADDRESS, "street": "федорова, 3"}
    )
