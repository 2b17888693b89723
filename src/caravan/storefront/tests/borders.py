"""A category for the "ships to" tests (storefront and browser): felt boots only a seller
delivering within Russia sells, and a kettle that seller and one delivering anywhere sell."""

from __future__ import annotations

from dataclasses import dataclass

from tests.factories import default_rates, make_category, make_offer, make_product, make_seller

from caravan.catalog.models import Category, Product
from caravan.offers.models import Offer
from caravan.sellers.models import Seller
from caravan.shipping.tests.profile_helpers import method, moscow_profile, rate, zones_of


@dataclass
class Border:
    category: Category
    boots: Product
    kettle: Product
    local: Seller
    exporter: Seller
    local_kettle: Offer
    exporter_kettle: Offer


def build_border() -> Border:
    """Felt boots sold only by a seller delivering within Russia; a kettle sold by the same
    seller (500 RUB + 100 delivery) and by one delivering anywhere (900 RUB + 300)."""
    default_rates()
    category = make_category(slug="kitchen")
    local = make_seller(name="Volga Local", delivery_price=None)
    profile = moscow_profile(local)
    rate(local, method(local, profile), zones_of(local, profile).russia, [(None, "100")])
    exporter = make_seller(name="Global Export")
    boots = make_product(category=category, name_en="Felt boots")
    kettle = make_product(category=category, name_en="Kettle")
    make_offer(seller=local, variant=boots.variants.get(), price="2000")
    local_kettle = make_offer(seller=local, variant=kettle.variants.get(), price="500")
    exporter_kettle = make_offer(seller=exporter, variant=kettle.variants.get(), price="900")
    return Border(
        category=category,
        boots=boots,
        kettle=kettle,
        local=local,
        exporter=exporter,
        local_kettle=local_kettle,
        exporter_kettle=exporter_kettle,
    )
