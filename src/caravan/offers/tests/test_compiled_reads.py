"""The product page's offers and version read by statements this process compiles once
(kernel.statements.CompiledReads, docs/decisions/0027-compiled-rereads.md): the same
instances and values as the ORM's own read, and every change seen on the next read."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import make_offer, make_seller

from caravan.catalog.models import Product
from caravan.catalog.selectors import _version_reads, product_version
from caravan.offers import selectors
from caravan.offers.models import Offer
from caravan.offers.selectors import buyable_offer_filter, list_product_offers
from caravan.sellers.models import Seller


def orm_offers(product):
    return list(
        Offer.objects.filter(buyable_offer_filter(), product=product)
        .select_related("seller", "variant")
        .order_by("reference_price_amount", "handling_days", "id")
    )


def fields(instance, names=None):
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
        if names is None or field.attname in names
    }


def test_the_offers_are_the_orm_s_with_their_variants_and_sellers_public_fields(market):
    offers = list_product_offers(product=market.product)

    expected = orm_offers(market.product)
    assert [offer.id for offer in offers] == [market.offer_cn.id, market.offer_ru.id]
    assert [fields(offer) for offer in offers] == [fields(offer) for offer in expected]
    assert [fields(offer.variant) for offer in offers] == [
        fields(offer.variant) for offer in expected
    ]
    public = {"id", "public_id", "slug", "name", "country", "currency", "status"}
    assert [fields(offer.seller, public) for offer in offers] == [
        fields(offer.seller, public) for offer in expected
    ]
    assert type(offers[0].price_amount) is Decimal
    assert offers[0].price_amount == Decimal("150.00")
    assert isinstance(offers[0].updated_at, dt.datetime)
    assert offers[0].updated_at.tzinfo is not None
    assert {"tax_id", "phone", "legal_name"} <= offers[0].seller.get_deferred_fields()
    assert offers[0].product is market.product
    # Both offers are of the product's one variant: one instance.
    assert offers[0].variant is offers[1].variant


def test_a_second_read_runs_the_kept_statement_once_and_sees_every_change(market):
    list_product_offers(product=market.product)
    Offer.objects.filter(id=market.offer_cn.id).update(price_amount=Decimal("140.00"))
    Seller.objects.filter(id=market.seller_ru.id).update(status=Seller.Status.SUSPENDED)
    added = make_offer(
        seller=make_seller(name="Kazan Audio"),
        variant=market.product.variants.get(),
        price="9000",
    )

    with CaptureQueriesContext(connection) as queries:
        offers = list_product_offers(product=market.product)

    assert len(queries.captured_queries) == 1
    assert len(selectors._product_offer_reads) == 1
    assert [(offer.id, offer.price_amount) for offer in offers] == [
        (market.offer_cn.id, Decimal("140.00")),
        (added.id, Decimal("9000.00")),
    ]


def test_each_product_has_its_own_statement_and_past_the_limit_all_are_compiled_again(
    market, monkeypatch
):
    other = make_offer(seller=market.seller_ru).product
    monkeypatch.setattr(selectors._product_offer_reads, "limit", 1)

    first = list_product_offers(product=market.product)
    second = list_product_offers(product=other)

    assert [len(first), len(second)] == [2, 1]
    assert selectors._product_offer_reads.keys() == [other.public_id]


def test_the_version_follows_the_product_s_changes_and_its_visibility(market):
    public_id = market.product.public_id
    stored = Product.objects.filter(id=market.product.id).values_list("id", "updated_at").get()
    first = product_version(public_id=public_id)
    moved = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    Product.objects.filter(id=market.product.id).update(updated_at=moved)

    changed = product_version(public_id=public_id)
    Product.objects.filter(id=market.product.id).update(is_approved=False)
    hidden = product_version(public_id=public_id)

    assert first == stored
    assert changed == (market.product.id, moved)
    assert hidden is None
    assert product_version(public_id="nothing-here") is None
    assert len(_version_reads) == 2


def test_the_offers_read_carries_the_product_s_version(market):
    read = selectors.product_offer_rows(public_id=market.product.public_id)

    assert read.version == product_version(public_id=market.product.public_id)
    assert selectors.product_offer_rows(public_id="nosuchproduct").version is None


def test_offers_are_built_only_with_their_product(market):
    read = selectors.product_offer_rows(public_id=market.product.public_id)

    with pytest.raises(ValueError, match="for_product"):
        read.offers()
    assert [offer.product for offer in read.for_product(market.product).offers()] == [
        market.product,
        market.product,
    ]
