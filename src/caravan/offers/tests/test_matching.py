import pytest
from tests.factories import default_rates, make_category, make_seller

from caravan.catalog.models import Product, ProductImage, Variant
from caravan.catalog.services import AttributeInput, ProductInput, VariantInput, ensure_attribute
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.offers.matching import MatchedBy, find_catalog_products, find_product_match
from caravan.offers.models import Offer, ProductProposal, ProposalEvent
from caravan.offers.moderation import reject_proposal
from caravan.offers.proposals import OfferTerms, propose_product, propose_product_with_offers

GTIN_RED = "4006381333931"
GTIN_BLUE = "4601234567893"


def counts():
    return (
        Product.objects.count(),
        Variant.objects.count(),
        Offer.objects.count(),
        ProductProposal.objects.count(),
        ProposalEvent.objects.count(),
        ProductImage.objects.count(),
    )


@pytest.fixture
def leaf(db):
    default_rates()
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    return make_category(parent=make_category())


def headphones(leaf, *, brand="Sony", variants=None, name="Headphones"):
    return ProductInput(
        category=leaf,
        name_ru="Наушники",
        name_en=name,
        brand=brand,
        variants=variants
        or [
            VariantInput(options=[AttributeInput("colour", "Красный", "Red")], gtin=GTIN_RED),
            VariantInput(options=[AttributeInput("colour", "Синий", "Blue")], mpn="WH-1000XM4/B"),
        ],
    )


def terms(price="1000", stock=5):
    return OfferTerms(price=Money(price, "RUB"), stock_quantity=stock)


@pytest.fixture
def existing(leaf):
    """A product already in the catalog, approved, with one seller's offers."""
    return propose_product_with_offers(
        seller=make_seller(name="First"),
        data=headphones(leaf),
        offers=[terms(), terms()],
        auto_approve=True,
    ).product


def test_a_proposal_with_a_known_gtin_goes_onto_the_existing_product(leaf, existing):
    second = make_seller(name="Second")
    before = counts()

    outcome = propose_product_with_offers(
        seller=second,
        data=headphones(leaf, name="Sony noise cancelling", variants=[VariantInput(gtin=GTIN_RED)]),
        offers=[terms("990")],
    )

    red = existing.variants.get(gtin=GTIN_RED)
    assert (outcome.matched, outcome.product, outcome.proposal) == (True, existing, None)
    assert outcome.match.matched_by == [MatchedBy.GTIN]
    assert [(offer.seller, offer.variant) for offer in outcome.offers] == [(second, red)]
    product_count, variant_count, offer_count, *rest = before
    assert counts() == (product_count, variant_count, offer_count + 1, *rest)


def test_a_gtin_matches_whatever_its_zero_padding(leaf, existing):
    match = find_product_match(data=headphones(leaf, variants=[VariantInput(gtin="0" + GTIN_RED)]))

    assert (match.product, match.variants) == (existing, [existing.variants.get(gtin=GTIN_RED)])


@pytest.mark.parametrize(
    ("brand", "mpn"),
    [
        ("Sony", "WH-1000XM4/B"),
        ("SONY", "wh1000xm4b"),
        (" sony ", "WH 1000 XM4 B"),
        ("Sony", "Wh-1000Xm4/b"),
    ],
)
def test_brand_and_part_number_match_in_normal_form(leaf, existing, brand, mpn):
    match = find_product_match(data=headphones(leaf, brand=brand, variants=[VariantInput(mpn=mpn)]))

    assert match.product == existing
    assert match.variants == [existing.variants.get(mpn="WH-1000XM4/B")]
    assert match.matched_by == [MatchedBy.BRAND_MPN]


@pytest.mark.parametrize(
    "variant",
    [
        VariantInput(gtin="4006381333948"),  # another valid GTIN
        VariantInput(mpn="WH-1000XM5/B"),  # another part number of the same brand
        VariantInput(mpn="WH-1000XM4"),  # a prefix is not the same part
        VariantInput(),  # no identifiers at all
    ],
)
def test_no_false_match_on_other_identifiers(leaf, existing, variant):
    assert find_product_match(data=headphones(leaf, variants=[variant])) is None


def test_the_same_part_number_of_another_brand_is_another_product(leaf, existing):
    data = headphones(leaf, brand="Bose", variants=[VariantInput(mpn="WH-1000XM4/B")])

    assert find_product_match(data=data) is None


def test_a_part_number_without_a_brand_never_matches(leaf, existing):
    data = headphones(leaf, brand="", variants=[VariantInput(mpn="WH-1000XM4/B")])

    assert find_product_match(data=data) is None


def test_a_new_product_is_created_pending_when_nothing_matches(leaf, existing):
    seller = make_seller()

    outcome = propose_product(
        seller=seller, data=headphones(leaf, variants=[VariantInput(gtin="4006381333948")])
    )

    assert outcome.matched is False
    assert outcome.product != existing
    assert (outcome.proposal.status, outcome.product.is_approved) == (
        ProductProposal.Status.PENDING,
        False,
    )
    assert list(outcome.proposal.events.values_list("from_status", "to_status")) == [
        ("", "pending")
    ]


def test_a_proposal_matching_only_some_variants_is_refused_whole(leaf, existing):
    data = headphones(
        leaf,
        variants=[
            VariantInput(options=[AttributeInput("colour", "Красный", "Red")], gtin=GTIN_RED),
            VariantInput(options=[AttributeInput("colour", "Зелёный", "Green")], gtin=GTIN_BLUE),
        ],
    )
    before = counts()

    with pytest.raises(ValidationFailed) as error:
        propose_product_with_offers(seller=make_seller(), data=data, offers=[terms(), terms()])

    assert error.value.code == "partial_match"
    assert counts() == before


def test_variants_matching_two_different_products_are_refused(leaf, existing):
    other = propose_product(
        seller=make_seller(),
        data=headphones(leaf, brand="Bose", variants=[VariantInput(gtin=GTIN_BLUE)]),
        auto_approve=True,
    ).product
    data = headphones(
        leaf,
        variants=[
            VariantInput(options=[AttributeInput("colour", "Красный", "Red")], gtin=GTIN_RED),
            VariantInput(options=[AttributeInput("colour", "Синий", "Blue")], gtin=GTIN_BLUE),
        ],
    )
    before = counts()

    with pytest.raises(ValidationFailed) as error:
        propose_product(seller=make_seller(), data=data)

    assert error.value.code == "ambiguous_match"
    assert counts() == before
    assert other.variants.count() == 1


def test_a_seller_already_selling_the_matched_variant_is_refused(leaf, existing):
    first = existing.offers.first().seller
    before = counts()

    with pytest.raises(ValidationFailed) as error:
        propose_product_with_offers(
            seller=first,
            data=headphones(leaf, variants=[VariantInput(gtin=GTIN_RED)]),
            offers=[terms()],
        )

    assert error.value.code == "offer_exists"
    assert counts() == before


def test_a_pending_product_is_matched_too_so_no_duplicate_waits_in_the_queue(leaf):
    pending = propose_product(
        seller=make_seller(), data=headphones(leaf, variants=[VariantInput(gtin=GTIN_BLUE)])
    ).product

    outcome = propose_product(
        seller=make_seller(), data=headphones(leaf, variants=[VariantInput(gtin=GTIN_BLUE)])
    )

    assert (outcome.matched, outcome.product) == (True, pending)


def test_a_rejected_product_is_not_matched(leaf, operator):
    rejected = propose_product(
        seller=make_seller(), data=headphones(leaf, variants=[VariantInput(gtin=GTIN_BLUE)])
    )
    reject_proposal(operator=operator, proposal_id=rejected.proposal.id, reason="Blurry photos")

    outcome = propose_product(
        seller=make_seller(), data=headphones(leaf, variants=[VariantInput(gtin=GTIN_BLUE)])
    )

    assert outcome.matched is False
    assert outcome.product != rejected.product


def test_sellers_find_products_by_name_gtin_or_brand_and_part_number(leaf, existing, operator):
    rejected = propose_product(
        seller=make_seller(),
        data=headphones(leaf, name="Headphones copy", variants=[VariantInput(gtin=GTIN_BLUE)]),
    )
    reject_proposal(operator=operator, proposal_id=rejected.proposal.id, reason="Duplicate")

    assert find_catalog_products(text="HEADPHONES") == [existing]
    assert find_catalog_products(text="наушники") == [existing]
    assert find_catalog_products(gtin="0" + GTIN_RED) == [existing]
    assert find_catalog_products(brand="sony", mpn="wh1000xm4/b") == [existing]
    assert find_catalog_products(gtin=GTIN_BLUE) == []
    assert find_catalog_products(brand="Bose", mpn="WH-1000XM4/B") == []
    assert find_catalog_products(text="   ") == []
