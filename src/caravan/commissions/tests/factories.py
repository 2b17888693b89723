"""Small builders for the commission tests, through the owning apps' services."""

from __future__ import annotations

import itertools

from caravan.accounts.services import register_user
from caravan.catalog.models import Category
from caravan.sellers.models import Seller
from caravan.sellers.services import create_seller

_sequence = itertools.count(1)


def make_seller(*, currency: str = "RUB", country: str = "RU", name: str | None = None) -> Seller:
    number = next(_sequence)
    owner = register_user(
        email=f"commission-owner{number}@example.com",
        password="Caravan-test-pass-42",
        full_name="Test Owner",
    )
    return create_seller(
        owner=owner, name=name or f"Seller {number}", country=country, currency=currency
    )


def make_category(*, name: str | None = None, parent: Category | None = None) -> Category:
    number = next(_sequence)
    return Category.objects.create(
        slug=f"commission-category-{number}",
        parent=parent,
        name_ru=f"Категория {number}",
        name_en=name or f"Category {number}",
    )
