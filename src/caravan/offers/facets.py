"""What a product listing can be narrowed by, written on its listing row as facet keys.

A product's keys describe what a buyer could buy of it now: the category and its
ancestors, and for the offers the buy box calls eligible (offers.buybox) the countries they
ship from and deliver to, their sellers and conditions, plus the catalog attribute values of the product
and of the variants those offers sell. Search counts and filters listings by these keys
(search.facets), so a filter and its count can never disagree.

The keys are stored as one text, each key on its own line with a newline before the
first and after the last, so "holds key k" is a substring test for "\\nk\\n" (or "\\nk=" for
an attribute value, whose key carries its labels after "=") on either database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from caravan.catalog.translations import FACET_LABEL_SEPARATOR, normalise_attribute_value

CATEGORY, SHIPS_FROM, SELLER, CONDITION, ATTRIBUTE, SHIPS_TO = "c", "f", "s", "n", "a", "t"
SEPARATOR = "\n"
LABEL_SEPARATOR = FACET_LABEL_SEPARATOR


def normalise_value(value: str) -> str:
    """How attribute values are compared (the catalog's rule: a value's translation is found
    by the same form, catalog.models.AttributeValueTranslation.value_key)."""
    return normalise_attribute_value(value)


@dataclass(frozen=True)
class OfferFacts:
    """The parts of one eligible offer that listings are narrowed by."""

    seller_id: int
    ships_from: str
    condition: str
    variant_id: int
    # The countries the seller's default profile delivers to (shipping.quotes.shipping_countries).
    ships_to: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AttributeFact:
    code: str
    value_ru: str
    value_en: str
    variant_id: int | None  # None: a specification of the whole product


def _label(value: str) -> str:
    return " ".join(value.replace(LABEL_SEPARATOR, "-").split())


def attribute_key(code: str, value_en: str) -> str:
    """The part of an attribute value's key that filters compare (labels follow it)."""
    return f"{ATTRIBUTE}:{code}:{normalise_value(value_en)}"


def category_key(category_id: int) -> str:
    return f"{CATEGORY}:{category_id}"


def ships_from_key(country: str) -> str:
    return f"{SHIPS_FROM}:{country.lower()}"


def ships_to_key(country: str) -> str:
    return f"{SHIPS_TO}:{country.lower()}"


def seller_key(seller_id: int) -> str:
    return f"{SELLER}:{seller_id}"


def condition_key(condition: str) -> str:
    return f"{CONDITION}:{condition}"


def category_path(category_id: int, parents: Mapping[int, int | None]) -> list[int]:
    """The category and its ancestors, nearest first (a cycle stops the walk)."""
    path: list[int] = []
    current: int | None = category_id
    while current is not None and current not in path:
        path.append(current)
        current = parents.get(current)
    return path


def facet_keys(
    *,
    category_id: int,
    parents: Mapping[int, int | None],
    offers: Iterable[OfferFacts],
    attributes: Iterable[AttributeFact],
) -> str:
    """The stored keys of one product; empty text when nothing of it can be bought."""
    offers = list(offers)
    if not offers:
        return ""
    keys = [category_key(category) for category in category_path(category_id, parents)]
    keys += sorted({ships_from_key(offer.ships_from) for offer in offers})
    keys += sorted({ships_to_key(country) for offer in offers for country in offer.ships_to})
    keys += sorted({seller_key(offer.seller_id) for offer in offers})
    keys += sorted({condition_key(offer.condition) for offer in offers})
    sold_variants = {offer.variant_id for offer in offers}
    seen: set[str] = set()
    for fact in attributes:
        if fact.variant_id is not None and fact.variant_id not in sold_variants:
            continue
        key = attribute_key(fact.code, fact.value_en)
        if not normalise_value(fact.value_en) or key in seen:
            continue
        seen.add(key)
        keys.append(
            f"{key}{LABEL_SEPARATOR}{_label(fact.value_ru)}{LABEL_SEPARATOR}{_label(fact.value_en)}"
        )
    return SEPARATOR + SEPARATOR.join(keys) + SEPARATOR
