from decimal import Decimal

import pytest
from tests.factories import make_category, make_seller

from caravan.catalog.models import Product, Variant
from caravan.catalog.services import AttributeInput, ProductInput, VariantInput, ensure_attribute
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductOfferSummary, ProductProposal
from caravan.offers.proposals import OfferTerms, propose_product_with_offers


def counts():
    return (
        Product.objects.count(),
        Variant.objects.count(),
        Offer.objects.count(),
        ProductProposal.objects.count(),
    )


def two_colours(category):
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    return ProductInput(
        category=category,
        name_ru="Кружка",
        name_en="Mug",
        variants=[
            VariantInput(options=[AttributeInput("colour", "Красный", "Red")]),
            VariantInput(options=[AttributeInput("colour", "Синий", "Blue")]),
        ],
    )


def test_product_and_an_offer_per_variant_are_created_together(
    db, django_capture_on_commit_callbacks
):
    seller = make_seller(currency="RUB")
    leaf = make_category(parent=make_category())

    with django_capture_on_commit_callbacks(execute=True):
        outcome = propose_product_with_offers(
            seller=seller,
            data=two_colours(leaf),
            offers=[
                OfferTerms(price=Money("490", "RUB"), stock_quantity=5, handling_days=2),
                OfferTerms(price=Money("450", "RUB"), stock_quantity=0),
            ],
            auto_approve=True,
        )

    offers = Offer.objects.filter(product=outcome.product).order_by("variant__position")
    assert [
        (o.variant.label_en, o.price_amount, o.stock_quantity, o.handling_days) for o in offers
    ] == [
        ("Red", Decimal("490"), 5, 2),
        ("Blue", Decimal("450"), 0, 1),
    ]
    assert (outcome.matched, outcome.proposal.seller, outcome.proposal.status) == (
        False,
        seller,
        ProductProposal.Status.APPROVED,
    )
    assert outcome.offers == list(offers)
    summary = ProductOfferSummary.objects.get(product=outcome.product)
    assert (summary.best_offer_id, summary.offer_count, summary.is_buyable) == (
        offers[0].id,
        1,
        True,
    )


@pytest.mark.parametrize(
    ("terms", "code"),
    [
        (OfferTerms(price=Money("490", "EUR"), stock_quantity=5), "currency_mismatch"),
        (OfferTerms(price=Money("0", "RUB"), stock_quantity=5), "price_not_positive"),
        (OfferTerms(price=Money("490", "RUB"), stock_quantity=-1), "invalid_stock"),
        (
            OfferTerms(price=Money("490", "RUB"), stock_quantity=1, handling_days=61),
            "invalid_handling_days",
        ),
    ],
)
def test_a_bad_offer_refuses_the_whole_product(db, terms, code):
    seller = make_seller(currency="RUB")
    leaf = make_category(parent=make_category())
    before = counts()

    with pytest.raises(ValidationFailed) as error:
        propose_product_with_offers(
            seller=seller,
            data=two_colours(leaf),
            offers=[OfferTerms(price=Money("490", "RUB"), stock_quantity=5), terms],
        )

    assert error.value.code == code
    assert counts() == before


def test_every_variant_needs_its_offer(db):
    seller = make_seller(currency="RUB")
    leaf = make_category(parent=make_category())
    before = counts()

    with pytest.raises(ValidationFailed) as error:
        propose_product_with_offers(
            seller=seller,
            data=two_colours(leaf),
            offers=[OfferTerms(price=Money("490", "RUB"), stock_quantity=5)],
        )

    assert error.value.code == "offer_per_variant"
    assert counts() == before
