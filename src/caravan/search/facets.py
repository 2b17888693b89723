"""Facet counts for a listing: what each filter would leave, given the query and the others.

Counting reads the listing rows the query matches (text, the page's category, buyable) once:
their facet keys (offers.facets), price and delivery days. A row passing every selected
filter counts for every value it holds; a row failing exactly one filter counts only for
that filter's values (so ticking a second country adds to the result, and each country's
count says how many products it would add); a row failing two counts nowhere. The keys are
the same ones the listing is filtered by (search.selectors), so a count is always the
number of products the buyer gets by choosing it.

The rows are first aggregated into buckets (Bucket: passing, or failing one named filter),
by bucket_rows here or by the engine itself (PostgreSQL does it in the scan's statement, and
counts key ids rather than key texts); count_facets then reads the buckets only. Keys are
counted with str.split and Counter over one joined text, so the per-key work stays in C.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import TypeVar

from caravan.offers.facets import (
    ATTRIBUTE,
    CATEGORY,
    CONDITION,
    LABEL_SEPARATOR,
    SELLER,
    SEPARATOR,
    SHIPS_FROM,
    SHIPS_TO,
    category_key,
    condition_key,
    seller_key,
    ships_from_key,
    ships_to_key,
)

# "Arrives within N days" choices, as the buyer reads them.
DELIVERY_WITHIN = (3, 7, 14, 30)
PRICE_BUCKETS = 5
# Attribute facets shown, and values per attribute, most common first.
MAX_ATTRIBUTES = 6
MAX_ATTRIBUTE_VALUES = 12
# An attribute shown must describe at least this share of the results.
ATTRIBUTE_MIN_SHARE = Decimal("0.05")

T = TypeVar("T")
Converter = Callable[[Decimal], Decimal]


@dataclass(frozen=True)
class Selection:
    """The filters of a query in facet-key terms (prices in the marketplace currency)."""

    category_id: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    ships_from: tuple[str, ...] = ()
    ships_to: tuple[str, ...] = ()
    sellers: tuple[int, ...] = ()
    conditions: tuple[str, ...] = ()
    delivery_within: int | None = None
    attributes: tuple[str, ...] = ()  # "code:normalised value"

    def attribute_groups(self) -> dict[str, tuple[str, ...]]:
        """The selected attribute values by attribute code: values of one code are ORed."""
        groups: dict[str, list[str]] = {}
        for value in self.attributes:
            code, _, _normalised = value.partition(":")
            groups.setdefault(code, []).append(value)
        return {code: tuple(values) for code, values in groups.items()}

    def filter_conditions(self) -> list[FilterCondition]:
        """One condition per selected filter: an engine evaluates them in SQL, bucket_rows
        in Python (FilterCondition.holds)."""
        found: list[FilterCondition] = []
        if self.category_id is not None:
            needle = f"{SEPARATOR}{category_key(self.category_id)}{SEPARATOR}"
            found.append(FilterCondition("category", needles=(needle,)))
        if self.price_min is not None or self.price_max is not None:
            found.append(
                FilterCondition("price", price_min=self.price_min, price_max=self.price_max)
            )
        for dimension, keys in (
            ("ships_from", [ships_from_key(code) for code in self.ships_from]),
            ("ships_to", [ships_to_key(code) for code in self.ships_to]),
            ("seller", [seller_key(seller) for seller in self.sellers]),
            ("condition", [condition_key(condition) for condition in self.conditions]),
        ):
            if keys:
                needles = tuple(f"{SEPARATOR}{key}{SEPARATOR}" for key in keys)
                found.append(FilterCondition(dimension, needles=needles))
        if self.delivery_within is not None:
            found.append(FilterCondition("delivery", within_days=self.delivery_within))
        for code, values in self.attribute_groups().items():
            needles = tuple(f"{SEPARATOR}{ATTRIBUTE}:{value}{LABEL_SEPARATOR}" for value in values)
            found.append(FilterCondition(f"attribute:{code}", needles=needles))
        return found


@dataclass(frozen=True)
class FilterCondition:
    """One selected filter: the facet keys hold one of the needles, or the price is in the
    range, or the delivery days are at most within_days."""

    dimension: str
    needles: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    within_days: int | None = None

    def holds(self, keys: str, price: Decimal | None, days: int | None) -> bool:
        """Whether a listing row (its keys text, reference price, delivery days) passes."""
        if self.needles:
            return any(needle in keys for needle in self.needles)
        if self.within_days is not None:
            return days is not None and days <= self.within_days
        return (
            price is not None
            and (self.price_min is None or price >= self.price_min)
            and (self.price_max is None or price <= self.price_max)
        )


@dataclass(frozen=True)
class AttributeValueCount:
    value: str  # "code:normalised value", what the filter carries
    label_ru: str
    label_en: str
    count: int


@dataclass
class FacetCounts:
    """Counts per facet value; each dimension counted without its own filter."""

    total: int = 0
    categories: dict[int, int] = field(default_factory=dict)
    ships_from: dict[str, int] = field(default_factory=dict)  # upper-case country codes
    ships_to: dict[str, int] = field(default_factory=dict)  # upper-case country codes
    sellers: dict[int, int] = field(default_factory=dict)
    conditions: dict[str, int] = field(default_factory=dict)
    delivery: dict[int, int] = field(default_factory=dict)  # within N days -> products
    # (low, high, count): ranges in the buyer's currency, high exclusive, None open.
    prices: list[tuple[Decimal | None, Decimal | None, int]] = field(default_factory=list)
    attributes: dict[str, list[AttributeValueCount]] = field(default_factory=dict)
    # Per selected filter, the products it alone keeps out ("ships_to": how many more the
    # buyer sees by showing sellers who do not deliver to their country).
    excluded: dict[str, int] = field(default_factory=dict)


@dataclass
class Bucket:
    """Matched rows aggregated: those passing every selected filter (bucket "") or failing
    one only (the bucket named after that filter's dimension). keys: their facet keys,
    counted; arriving: how many arrive within each of DELIVERY_WITHIN days."""

    count: int = 0
    keys: Counter[str] = field(default_factory=Counter)
    arriving: dict[int, int] = field(default_factory=dict)


@dataclass
class Bucketed:
    """Matched rows as the facet counts read them: their buckets, and the sorted reference
    prices of those passing every filter but (at most) the price one, which the price
    ranges are made from."""

    buckets: dict[str, Bucket]
    prices: Sequence[Decimal]


# A matched row as facets read it: its facet keys, reference price and delivery days.
FacetRow = tuple[str, Decimal | None, int | None]
PRICED_BUCKETS = ("", "price")


def bucket_rows(rows: Sequence[FacetRow], *, selection: Selection) -> tuple[Bucketed, list[int]]:
    """The rows sorted into buckets by the selection's conditions, tested in Python (for an
    engine that does not evaluate them itself), and the positions of the rows passing them
    all."""
    conditions = selection.filter_conditions()
    if not conditions:
        # Nothing selected: every row passes. Whole columns at once (joined in C), which
        # at tens of thousands of rows is most of the difference to a per-row loop.
        keys, prices, days = zip(*rows, strict=True) if rows else ((), (), ())
        passing = Bucket(
            count=len(rows),
            keys=count_keys("".join(keys)),
            arriving=arrivals(value for value in days if value is not None),
        )
        listed = sorted(price for price in prices if price is not None)
        return Bucketed({"": passing}, listed), list(range(len(rows)))
    texts: dict[str, list[str]] = {"": []}
    priced: dict[str, list[Decimal]] = {}
    timed: dict[str, list[int]] = {}
    passed: list[int] = []
    for position, (keys_text, price, delivery_days) in enumerate(rows):
        missed = ""
        misses = 0
        for condition in conditions:
            if not condition.holds(keys_text, price, delivery_days):
                misses += 1
                missed = condition.dimension
                if misses > 1:
                    break
        if misses > 1:
            continue
        texts.setdefault(missed, []).append(keys_text)
        if not missed:
            passed.append(position)
        if price is not None:
            priced.setdefault(missed, []).append(price)
        if delivery_days is not None:
            timed.setdefault(missed, []).append(delivery_days)
    buckets = {
        name: Bucket(
            count=len(bucket_texts),
            keys=count_keys("".join(bucket_texts)),
            arriving=arrivals(timed.get(name, [])),
        )
        for name, bucket_texts in texts.items()
    }
    listed = sorted(price for name in PRICED_BUCKETS for price in priced.get(name, []))
    return Bucketed(buckets, listed), passed


def arrivals(days: Iterable[int]) -> dict[int, int]:
    """How many of the delivery promises are within each of DELIVERY_WITHIN days."""
    counted = Counter(days)
    return {
        within: sum(count for value, count in counted.items() if value <= within)
        for within in DELIVERY_WITHIN
    }


def count_facets(
    bucketed: Bucketed,
    *,
    selection: Selection,
    display_price: Callable[[Decimal], Decimal] | None = None,
) -> FacetCounts:
    """The facet counts of a listing from its buckets (bucket_rows, or an engine's own).
    Price ranges are made in the buyer's currency: display_price converts a reference price
    into it (None: it is the marketplace's), and only the prices the ranges need are
    converted."""
    buckets = bucketed.buckets
    passing = buckets.get("", Bucket())
    total = passing.count
    everyone = passing.keys
    one_off = {name: bucket.keys for name, bucket in buckets.items() if name}
    counts = FacetCounts(
        total=total,
        excluded={name: bucket.count for name, bucket in buckets.items() if name},
    )

    def counted(dimension: str) -> Counter[str]:
        extra = one_off.get(dimension)
        return everyone + extra if extra else everyone

    by_kind = _by_kind(everyone)
    for dimension, prefix in (
        ("category", CATEGORY),
        ("ships_from", SHIPS_FROM),
        ("ships_to", SHIPS_TO),
        ("seller", SELLER),
        ("condition", CONDITION),
    ):
        if dimension in one_off:
            by_kind[prefix] = _by_kind(counted(dimension)).get(prefix, {})
    counts.categories = _converted(by_kind.get(CATEGORY, {}), int)
    counts.ships_from = _converted(by_kind.get(SHIPS_FROM, {}), str.upper)
    counts.ships_to = _converted(by_kind.get(SHIPS_TO, {}), str.upper)
    counts.sellers = _converted(by_kind.get(SELLER, {}), int)
    counts.conditions = _converted(by_kind.get(CONDITION, {}), str)
    late = buckets.get("delivery", Bucket())
    counts.delivery = {
        within: passing.arriving.get(within, 0) + late.arriving.get(within, 0)
        for within in DELIVERY_WITHIN
    }
    prices = bucketed.prices
    counts.prices = _price_ranges(prices, nice_edges(prices, display_price), display_price)
    counts.attributes = _attribute_counts(
        everyone, one_off, total=total, selected=selection.attribute_groups()
    )
    return counts


def _by_kind(counter: Counter[str]) -> dict[str, dict[str, int]]:
    """Counts split by key kind ("c", "f", ...) in one pass, keyed by what follows "kind:"."""
    kinds: dict[str, dict[str, int]] = {}
    for key, count in counter.items():
        kind, colon, rest = key.partition(":")
        if colon and kind != ATTRIBUTE:
            kinds.setdefault(kind, {})[rest] = count
    return kinds


def _converted(counts: dict[str, int], convert: Callable[[str], T]) -> dict[T, int]:
    found: dict[T, int] = {}
    for key, count in counts.items():
        try:
            found[convert(key)] = count
        except ValueError:
            continue
    return found


def count_keys(text: str) -> Counter[str]:
    """The keys of one or more listing rows' stored keys (joined), counted."""
    if not text:
        return Counter()
    counter = Counter(text.split(SEPARATOR))
    counter.pop("", None)
    return counter


def _attribute_counts(
    everyone: Counter[str],
    one_off: dict[str, Counter[str]],
    *,
    total: int,
    selected: dict[str, tuple[str, ...]],
) -> dict[str, list[AttributeValueCount]]:
    per_code: dict[str, dict[str, AttributeValueCount]] = {}

    def add(counter: Counter[str], only_code: str | None) -> None:
        for key, count in counter.items():
            if not key.startswith(f"{ATTRIBUTE}:"):
                continue
            value_key, _, labels = key.partition(LABEL_SEPARATOR)
            _prefix, code, normalised = value_key.split(":", 2)
            if only_code is not None and code != only_code:
                continue
            label_ru, _, label_en = labels.partition(LABEL_SEPARATOR)
            value = f"{code}:{normalised}"
            values = per_code.setdefault(code, {})
            known = values.get(value)
            values[value] = AttributeValueCount(
                value=value,
                label_ru=known.label_ru if known else label_ru,
                label_en=known.label_en if known else label_en,
                count=(known.count if known else 0) + count,
            )

    add(everyone, None)
    for code in selected:
        extra = one_off.get(f"attribute:{code}")
        if extra:
            add(extra, code)
    shown: dict[str, list[AttributeValueCount]] = {}
    coverage = sorted(
        per_code.items(),
        key=lambda item: (-(item[0] in selected), -sum(v.count for v in item[1].values()), item[0]),
    )
    for code, values in coverage[:MAX_ATTRIBUTES]:
        products = sum(value.count for value in values.values())
        if code not in selected and (len(values) < 2 or products < total * ATTRIBUTE_MIN_SHARE):
            # One value for everything narrows nothing; a rare attribute is noise.
            continue
        ordered = sorted(values.values(), key=lambda v: (-v.count, v.label_en.lower()))
        chosen = ordered[:MAX_ATTRIBUTE_VALUES]
        # A ticked value stays visible even when it is not among the most common.
        chosen += [v for v in ordered[MAX_ATTRIBUTE_VALUES:] if v.value in selected.get(code, ())]
        if all(_leading_number(v.label_en) is not None for v in chosen):
            # Sizes, memory, weights: in order of the number, as a buyer scans them.
            chosen.sort(key=lambda v: (_leading_number(v.label_en), v.label_en))
        shown[code] = chosen
    return shown


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _leading_number(label: str) -> Decimal | None:
    found = _NUMBER.match(label.strip())
    return Decimal(found.group().replace(",", ".")) if found else None


def _quantile_edges(prices: Sequence[Decimal], convert: Converter | None) -> list[Decimal]:
    if len(prices) < 2:
        return []
    step = len(prices) / PRICE_BUCKETS
    picked = {prices[int(step * index)] for index in range(1, PRICE_BUCKETS)}
    return sorted(convert(price) for price in picked) if convert else sorted(picked)


def _price_ranges(
    prices: Sequence[Decimal], edges: list[Decimal], convert: Converter | None = None
) -> list[tuple[Decimal | None, Decimal | None, int]]:
    """Counts of sorted prices between consecutive edges (low inclusive, high exclusive),
    the edges in the currency convert (increasing) takes the prices to."""
    if not prices:
        return []
    bounds: list[Decimal | None] = [None, *sorted(set(edges)), None]
    ranges: list[tuple[Decimal | None, Decimal | None, int]] = []
    start = 0
    for low, high in pairwise(bounds):
        end = bisect_left(prices, high, key=convert) if high is not None else len(prices)
        if end > start:
            ranges.append((low, high, end - start))
        start = end
    if len(ranges) == 1 and ranges[0][:2] == (None, None):
        # One range without bounds narrows nothing (a single price, or prices no edge
        # separates); shown, it read "0 ₽ - 0 ₽" and looked like a chosen filter.
        return []
    return ranges


_NICE = tuple(Decimal(text) for text in ("1", "1.5", "2", "2.5", "3", "4", "5", "6", "7.5", "10"))


def nice_edges(prices: Sequence[Decimal], convert: Converter | None = None) -> list[Decimal]:
    """Quantile edges of sorted prices, converted (convert: increasing, None: as they are)
    and each moved to the closest figure a buyer reads at a glance (1 234 -> 1 000,
    4 700 -> 5 000, 2 600 -> 2 500); whole units only."""
    edges: set[Decimal] = set()
    for edge in _quantile_edges(prices, convert):
        if edge < 1:
            continue
        unit = Decimal(10) ** edge.adjusted()
        nice = min(
            (figure * unit for figure in _NICE), key=lambda value: (abs(value - edge), value)
        )
        edges.add(nice.quantize(Decimal(1)))
    return sorted(edges)
