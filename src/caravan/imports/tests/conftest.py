from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests.factories import default_rates, make_category, make_seller

from caravan.catalog.models import Category, Product
from caravan.catalog.services import ensure_attribute
from caravan.sellers.models import Seller

from .helpers import catalog_product, gtin


@pytest.fixture(autouse=True)
def _imports_dir(settings, tmp_path):
    settings.IMPORTS_DIR = str(tmp_path / "private-imports")


@dataclass
class Shop:
    seller: Seller
    rival: Seller
    category: Category
    headphones: Product  # one variant, GTIN 1
    kettle: Product  # two variants (Red GTIN 2, Blue GTIN 3)
    cable: Product  # one variant, brand Acme, part number CB-1, no GTIN


@pytest.fixture
def shop(db) -> Shop:
    default_rates()
    ensure_attribute(code="colour", name_ru="Цвет", name_en="Colour")
    ensure_attribute(code="size", name_ru="Размер", name_en="Size")
    category = make_category(slug="audio", parent=make_category(slug="electronics"))
    return Shop(
        seller=make_seller(name="Moscow Goods", country="RU", currency="RUB"),
        rival=make_seller(name="Shenzhen Tech", country="CN", currency="CNY"),
        category=category,
        headphones=catalog_product(category=category, name_en="Headphones", gtins=[gtin(1)]),
        kettle=catalog_product(
            category=category, name_en="Kettle", gtins=[gtin(2), gtin(3)], colours=["Red", "Blue"]
        ),
        cable=catalog_product(category=category, name_en="Cable", mpns=["CB-1"]),
    )
