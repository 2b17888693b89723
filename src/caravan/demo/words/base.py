"""The shapes of the demo word lists, the parent categories and shared specs.

Russian phrases are written whole (an adjective already agreeing with its noun, endings such as
"with noise cancelling" as a prepositional phrase) so every generated name is grammatical.
"""

from __future__ import annotations

from dataclasses import dataclass

Pair = tuple[str, str]  # (en, ru) for phrases, (ru, en) for spec values: see the field names


@dataclass(frozen=True)
class ParentWords:
    slug: str
    name_ru: str
    name_en: str


@dataclass(frozen=True)
class Spec:
    code: str
    # (value ru, value en)
    values: tuple[Pair, ...]


@dataclass(frozen=True)
class LeafWords:
    slug: str
    parent: str
    name_ru: str
    name_en: str
    # Which silhouette the product picture draws, and its two background colours.
    shape: str
    background: tuple[tuple[int, int, int], tuple[int, int, int]]
    # (en, ru) noun phrases: what the product is.
    kinds: tuple[Pair, ...]
    brands: tuple[str, ...]
    series: tuple[str, ...]
    marks: tuple[str, ...]
    # (en, ru) endings of the name; the empty pair keeps some names short.
    suffixes: tuple[Pair, ...]
    price_rub: tuple[int, int]
    specs: tuple[Spec, ...]
    # Variant axes: attribute code and the English values allowed (empty: all of them).
    options: tuple[tuple[str, tuple[str, ...]], ...]
    # (en, ru) sentences for descriptions.
    features: tuple[Pair, ...]
    made_in: tuple[str, ...]
    has_warranty: bool = True
    # Kinds drawn with another silhouette than the category's: (kind en, shape).
    kind_shapes: tuple[Pair, ...] = ()

    def shape_for(self, kind_en: str) -> str:
        return dict(self.kind_shapes).get(kind_en, self.shape)


PARENTS: tuple[ParentWords, ...] = (
    ParentWords("electronics", "Электроника", "Electronics"),
    ParentWords("fashion", "Одежда и обувь", "Fashion"),
    ParentWords("home", "Дом и кухня", "Home & Kitchen"),
    ParentWords("beauty", "Красота", "Beauty"),
    ParentWords("sports", "Спорт и отдых", "Sports & Outdoors"),
    ParentWords("kids", "Детские товары", "Kids"),
)

NO_SUFFIX: Pair = ("", "")
WEIGHTS_LIGHT = Spec("weight", (("180 г", "180 g"), ("240 г", "240 g"), ("310 г", "310 g")))
AGE = Spec("age", (("от 3 лет", "3+ years"), ("от 6 лет", "6+ years"), ("от 8 лет", "8+ years")))
