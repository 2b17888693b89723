"""A seller's status decides whether buyers see its offers: suspension and closing take them
off the storefront at once, reinstatement brings them back (sellers publish the change, the
offers app re-summarises the products)."""

import pytest
from django.core import mail

from caravan.kernel.errors import InvalidTransition
from caravan.offers.models import ProductOfferSummary
from caravan.offers.selectors import list_product_offers
from caravan.search.selectors import ProductQuery, list_products
from caravan.sellers.services.lifecycle import close_seller, reinstate_seller, suspend_seller
from caravan.sellers.tests.helpers import make_operator
from tests.factories import make_offer, make_seller


def _listed(text: str) -> list[int]:
    listing = list_products(query=ProductQuery(text=text))
    return [summary.product_id for summary in listing.page.object_list]


def test_suspension_hides_offers_and_reinstatement_brings_them_back(
    db, django_capture_on_commit_callbacks
):
    seller = make_seller(name="Moscow Goods")
    offer = make_offer(seller=seller, price="1200")
    product = offer.product
    operator = make_operator()

    with django_capture_on_commit_callbacks(execute=True):
        suspend_seller(seller=seller, actor=operator, reason="Counterfeit complaints")

    summary = ProductOfferSummary.objects.get(product=product)
    assert (summary.is_buyable, summary.offer_count, summary.best_offer_id) == (False, 0, None)
    assert list_product_offers(product=product) == []
    assert _listed(product.name_en) == []
    seller.refresh_from_db()
    assert (seller.status, seller.status_reason) == ("suspended", "Counterfeit complaints")

    with django_capture_on_commit_callbacks(execute=True):
        reinstate_seller(seller=seller, actor=operator, reason="Supplier invoices checked")

    summary.refresh_from_db()
    assert (summary.is_buyable, summary.offer_count, summary.best_offer_id) == (True, 1, offer.id)
    assert list_product_offers(product=product) == [offer]
    assert _listed(product.name_en) == [product.id]
    seller.refresh_from_db()
    assert (seller.status, seller.status_reason) == ("active", "")
    assert [m.subject for m in mail.outbox] == [
        "Moscow Goods is suspended",
        "Moscow Goods is active again",
    ]


def test_closing_a_shop_hides_its_offers_for_good(db):
    seller = make_seller()
    offer = make_offer(seller=seller)

    close_seller(seller=seller, actor=make_operator(), reason="Owner asked to close")

    assert list_product_offers(product=offer.product) == []
    with pytest.raises(InvalidTransition):
        reinstate_seller(seller=seller, actor=make_operator("other@example.com"))
