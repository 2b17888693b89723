import pytest
from django.contrib.auth.models import AnonymousUser
from tests.factories import add_member, make_seller, make_user

from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.sellers.models import Membership, Seller
from caravan.sellers.selectors import get_membership
from caravan.sellers.services import create_seller


def test_creating_a_seller_makes_its_owner_a_member(db):
    owner = make_user()

    seller = create_seller(owner=owner, name="Istanbul Bazaar", country="TR", currency="TRY")

    assert (seller.slug, seller.legal_name, seller.status) == (
        "istanbul-bazaar",
        "Istanbul Bazaar",
        "active",
    )
    assert list(seller.memberships.values_list("user", "role")) == [(owner.id, "owner")]
    assert get_membership(user=owner).seller == seller


@pytest.mark.parametrize(
    ("country", "currency", "code"),
    [("XX", "RUB", "invalid_country"), ("RU", "XXX", "invalid_currency")],
)
def test_a_seller_needs_a_known_country_and_currency(db, country, currency, code):
    with pytest.raises(ValidationFailed) as caught:
        create_seller(owner=make_user(), name="Nowhere", country=country, currency=currency)

    assert caught.value.code == code
    assert (Seller.objects.count(), Membership.objects.count()) == (0, 0)


def test_staff_find_their_seller_and_buyers_find_none(db):
    seller = make_seller(name="Moscow Goods")
    packer = add_member(seller=seller, role=Membership.Role.FULFILMENT)

    membership = get_membership(user=packer)

    assert (membership.seller, membership.role) == (seller, "fulfilment")
    with pytest.raises(NotFound):
        get_membership(user=make_user())
    with pytest.raises(NotFound):
        get_membership(user=AnonymousUser())
