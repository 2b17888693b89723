"""Facet counts for a listing: what each filter would leave, given the query and the others.

Counting reads the listing rows the query matches (text, the page's category, buyable) once:
their facet keys (offers.facets), price and delivery days. A row passing every selected
filter counts for every value it holds; a row failing exactly one filter counts only for
that filter's values (so ticking a second country adds to the result, and each country's
count says how many products it would add); a row failing two counts nowhere. The keys are
the same ones the listing is filtered by (search.selectors), so a count is always the
number of products the buyer gets by choosing it.

The keys arrive as text and are counted with str.split and Counter over one joined text:
the per-key work stays in C, which is what keeps a 20,000-product result under ~30 ms.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress, pairwise
from typing import TypeVar

from caravan.offers.facets import (
    ATTRIBUTE,
    CATEGORY,
    CONDITION,
    LABEL_SEPARATOR,
    SELLER,
    SEPARATOR,
    SHIPS_FROM,
    category_key,
    condition_key,
    seller_key,
    ships_from_key,
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


@dataclass(frozen=True)
class Selection:
    """The filters of a query in facet-key terms (prices in the marketplace currency)."""

    category_id: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    ships_from: tuple[str, ...] = ()
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

    def tests(self) -> list[tuple[str, Callable[[str, Decimal | None, int | None], bool]]]:
        """One (dimension, test) per selected filter."""
        tests: list[tuple[str, Callable[[str, Decimal | None, int | None], bool]]] = []
        if self.category_id is not None:
            needle = f"{SEPARATOR}{category_key(self.category_id)}{SEPARATOR}"
            tests.append(("category", lambda keys, _p, _d: needle in keys))
        if self.price_min is not None or self.price_max is not None:
            low, high = self.price_min, self.price_max
            tests.append(
                (
                    "price",
                    lambda _k, price, _d: (
                        price is not None
                        and (low is None or price >= low)
                        and (high is None or price <= high)
                    ),
                )
            )
        for dimension, needles in (
            ("ships_from", [ships_from_key(code) for code in self.ships_from]),
            ("seller", [seller_key(seller) for seller in self.sellers]),
            ("condition", [condition_key(condition) for condition in self.conditions]),
        ):
            if needles:
                tests.append((dimension, _holds_any(needles, SEPARATOR)))
        if self.delivery_within is not None:
            within = self.delivery_within
            tests.append(("delivery", lambda _k, _p, days: days is not None and days <= within))
        for code, values in self.attribute_groups().items():
            needles = [f"{ATTRIBUTE}:{value}" for value in values]
            tests.append((f"attribute:{code}", _holds_any(needles, LABEL_SEPARATOR)))
        return tests

    def filter_conditions(self) -> list[FilterCondition]:
        """The same filters as tests(), described for an engine to evaluate in SQL."""
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


def _holds_any(keys: Sequence[str], end: str) -> Callable[[str, Decimal | None, int | None], bool]:
    needles = [f"{SEPARATOR}{key}{end}" for key in keys]
    return lambda text, _p, _d: any(needle in text for needle in needles)


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
    sellers: dict[int, int] = field(default_factory=dict)
    conditions: dict[str, int] = field(default_factory=dict)
    delivery: dict[int, int] = field(default_factory=dict)  # within N days -> products
    # (low, high, count): ranges in the buyer's currency, high exclusive, None open.
    prices: list[tuple[Decimal | None, Decimal | None, int]] = field(default_factory=list)
    attributes: dict[str, list[AttributeValueCount]] = field(default_factory=dict)


Columns = tuple[Sequence[str], Sequence[Decimal | None], Sequence[int | None]]


def count_facets(
    columns: Columns,
    *,
    selection: Selection,
    display_price: Callable[[Decimal], Decimal] | None = None,
    passed: list[int] | None = None,
    failures: Sequence[str | None] | None = None,
    joined_keys: Mapping[str, str] | None = None,
) -> FacetCounts:
    """Count the facets of the matched rows, given as their three columns (keys text,
    reference price, delivery days). Price ranges are made in the buyer's currency: display_price converts a reference
    price into it (None: it is the marketplace's). passed, when given, receives the
    position of every row that passes all the selected filters (the listing itself).
    failures, when given, is the engine's own evaluation of the filters, one entry per row:
    "" passes them all, a dimension fails that one only (rows failing two are left out).
    joined_keys, when given, holds each of those buckets' keys as one text, joined by the
    engine, and the rows' own keys are not read."""
    tests = [] if failures is not None else selection.tests()
    passing: list[str] = []
    one_off: dict[str, list[str]] = {}
    prices: dict[str, list[Decimal]] = {"": []}
    days: dict[str, list[int]] = {"": []}
    key_column, price_column, day_column = columns
    if failures is not None and any(failures):
        # The engine has sorted the rows into passing and failing one filter: split the
        # columns per bucket with compress, in C, rather than a Python step per row.
        for bucket in {failed or "" for failed in failures}:
            mask = [(failed or "") == bucket for failed in failures]
            bucket_keys = list(compress(key_column, mask))
            if bucket:
                one_off[bucket] = bucket_keys
            else:
                passing = bucket_keys
                if passed is not None:
                    passed.extend(compress(range(len(key_column)), mask))
            prices[bucket] = [price for price in compress(price_column, mask) if price is not None]
            days[bucket] = [value for value in compress(day_column, mask) if value is not None]
    elif not tests:
        # Nothing selected: every row passes. Whole columns at once (split out in C), which
        # at tens of thousands of rows is most of the difference to a per-row loop.
        passing = list(key_column)
        prices[""] = [price for price in price_column if price is not None]
        days[""] = [value for value in day_column if value is not None]
        if passed is not None:
            passed.extend(range(len(passing)))
    rows = zip(key_column, price_column, day_column, strict=True) if tests else ()
    for position, (keys, price, delivery_days) in enumerate(rows):
        missed: str | None = None
        misses = 0
        for dimension, test in tests:
            if not test(keys, price, delivery_days):
                misses += 1
                missed = dimension
                if misses > 1:
                    break
        if misses > 1:
            continue
        bucket = "" if missed is None else missed
        if missed is None:
            passing.append(keys)
            if passed is not None:
                passed.append(position)
        else:
            one_off.setdefault(missed, []).append(keys)
        if price is not None:
            prices.setdefault(bucket, []).append(price)
        if delivery_days is not None:
            days.setdefault(bucket, []).append(delivery_days)

    total = len(passing)
    if joined_keys is not None:
        passing = [joined_keys.get("", "")]
        one_off = {bucket: [text] for bucket, text in joined_keys.items() if bucket}
    everyone = _count_keys(passing)
    counts = FacetCounts(total=total)

    def counted(dimension: str) -> Counter[str]:
        extra = one_off.get(dimension)
        return everyone + _count_keys(extra) if extra else everyone

    by_kind = _by_kind(everyone)
    for dimension, prefix in (
        ("category", CATEGORY),
        ("ships_from", SHIPS_FROM),
        ("seller", SELLER),
        ("condition", CONDITION),
    ):
        if dimension in one_off:
            by_kind[prefix] = _by_kind(counted(dimension)).get(prefix, {})
    counts.categories = _converted(by_kind.get(CATEGORY, {}), int)
    counts.ships_from = _converted(by_kind.get(SHIPS_FROM, {}), str.upper)
    counts.sellers = _converted(by_kind.get(SELLER, {}), int)
    counts.conditions = _converted(by_kind.get(CONDITION, {}), str)
    arrivals = Counter(days[""])
    arrivals.update(days.get("delivery", ()))
    counts.delivery = {
        within: sum(count for value, count in arrivals.items() if value <= within)
        for within in DELIVERY_WITHIN
    }
    price_values = prices[""] + prices.get("price", [])
    if display_price is not None:
        price_values = [display_price(price) for price in price_values]
    price_values.sort()
    counts.prices = _price_ranges(price_values, nice_edges(price_values))
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


def _count_keys(texts: list[str]) -> Counter[str]:
    if not texts:
        return Counter()
    counter = Counter("".join(texts).split(SEPARATOR))
    counter.pop("", None)
    return counter


def _attribute_counts(
    everyone: Counter[str],
    one_off: dict[str, list[str]],
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
            add(_count_keys(extra), code)
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


def _quantile_edges(prices: list[Decimal]) -> list[Decimal]:
    if len(prices) < 2:
        return []
    step = len(prices) / PRICE_BUCKETS
    return sorted({prices[int(step * index)] for index in range(1, PRICE_BUCKETS)})


def _price_ranges(
    prices: list[Decimal], edges: list[Decimal]
) -> list[tuple[Decimal | None, Decimal | None, int]]:
    """Counts of sorted prices between consecutive edges (low inclusive, high exclusive)."""
    if not prices:
        return []
    bounds: list[Decimal | None] = [None, *sorted(set(edges)), None]
    ranges: list[tuple[Decimal | None, Decimal | None, int]] = []
    start = 0
    for low, high in pairwise(bounds):
        end = bisect_left(prices, high) if high is not None else len(prices)
        if end > start:
            ranges.append((low, high, end - start))
        start = end
    return ranges


_NICE = tuple(Decimal(text) for text in ("1", "1.5", "2", "2.5", "3", "4", "5", "6", "7.5", "10"))


def nice_edges(prices: list[Decimal]) -> list[Decimal]:
    """Quantile edges of sorted prices, each moved to the closest figure a buyer reads at a
    glance (1 234 -> 1 000, 4 700 -> 5 000, 2 600 -> 2 500); whole units only."""
    edges: set[Decimal] = set()
    for edge in _quantile_edges(prices):
        if edge < 1:
            continue
        unit = Decimal(10) ** edge.adjusted()
        nice = min(
            (figure * unit for figure in _NICE), key=lambda value: (abs(value - edge), value)
        )
        edges.add(nice.quantize(Decimal(1)))
    return sorted(edges)
