"""Catalog builders for the storefront's view tests (on top of tests/factories.py)."""

from __future__ import annotations

from dataclasses import dataclass

from tests.factories import default_rates, make_category, make_offer, make_product, make_seller

from caravan.catalog.models import Category, Product
from caravan.offers.models import Offer
from caravan.sellers.models import Seller


@dataclass
class Shelf:
    parent: Category
    leaf: Category
    seller_ru: Seller
    seller_cn: Seller
    products: list[Product]
    offers: list[Offer]


def build_shelf(*, count: int, parent: Category | None = None) -> Shelf:
    """`count` products in one leaf category, alternately sold by a Russian seller in RUB
    and a Chinese one in CNY, priced 1000, 1100, 1200 ... roubles (CNY at 12.50)."""
    default_rates()
    top = parent or make_category(slug="electronics")
    leaf = make_category(slug=f"{top.slug}-phones", parent=top)
    seller_ru = make_seller(name="Kazan Store", country="RU", currency="RUB")
    seller_cn = make_seller(name="Yiwu Direct", country="CN", currency="CNY", delivery_price="25")
    shelf = Shelf(
        parent=top, leaf=leaf, seller_ru=seller_ru, seller_cn=seller_cn, products=[], offers=[]
    )
    add_products(shelf, count=count)
    return shelf


def add_products(shelf: Shelf, *, count: int) -> None:
    for _ in range(count):
        index = len(shelf.products)
        product = make_product(
            category=shelf.leaf, name_en=f"Phone {index:02d}", name_ru=f"Телефон {index:02d}"
        )
        roubles = 1000 + 100 * index
        if index % 2 == 0:
            offer = make_offer(
                seller=shelf.seller_ru, variant=product.variants.get(), price=str(roubles)
            )
        else:
            offer = make_offer(
                seller=shelf.seller_cn,
                variant=product.variants.get(),
                price=f"{roubles / 12.5:.2f}",
            )
        shelf.products.append(product)
        shelf.offers.append(offer)


def card_names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [card.product.name for card in response.context["cards"]]
