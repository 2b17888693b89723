"""The synthetic catalog as plain values, decided by one seeded random generator before
anything touches the database: sellers, and per product its name, specifications,
variants and offers. bench/search_catalog.py writes these plans with the real models.

Offers per product are skewed (Zipf-like popularity): about half of the products have one
offer, a few percent ten or more, a handful hundreds; the total is exactly the number asked.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from typing import TypeVar

from bench.search_vocabulary import (
    BRANDS,
    COUNTRIES_OF_MANUFACTURE,
    GENDER_VALUES,
    GENDER_WEIGHTS,
    GENDERS_EN,
    GENDERS_RU,
    LEAVES,
    LINE_MARKS,
    MARKETS,
    MARKS,
    OPTIONS,
    PARENTS,
    RATES,
    SPECS,
    SYLLABLES,
    Leaf,
    Market,
)

# Popularity of a product: lognormal weights; sigma 1.7 leaves about half of the products
# with a single offer when there are 3.3 offers per product on average.
POPULARITY_SIGMA = 1.7
MAX_OFFERS_PER_PRODUCT = 300
MAX_VARIANTS = 12
MODEL_WORDS = 4000
# Coprime with 10**9: numbering GTINs by it keeps them distinct below a billion.
GTIN_STRIDE = 387_420_489
# Brands that only appear with their own model lines (no "Apple Vexo 200 tent").
LINE_ONLY_BRANDS = frozenset({"Apple"})
PRICE_LEVELS = {"CN": 0.85, "TR": 0.92, "BY": 0.95, "KZ": 0.97, "RU": 1.0, "AM": 1.0, "UZ": 1.0}
GTIN_PREFIXES = {"RU": "460", "CN": "690", "DE": "400", "TR": "869", "KZ": "487", "IT": "800",
                 "VN": "893", "BY": "481", "UZ": "478"}  # fmt: skip


T = TypeVar("T")


@lru_cache(maxsize=64)
def zipf_cumulative(count: int, exponent: float = 1.0) -> tuple[float, ...]:
    """Cumulative weights 1/rank**exponent: the first value is drawn most often."""
    return tuple(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, count + 1)))


def draw(rng: random.Random, values: Sequence[T], cumulative: Sequence[float]) -> T:
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


@dataclass(frozen=True)
class SellerPlan:
    index: int
    name: str
    country: str
    currency: str
    trades_in: tuple[str, ...]  # parent category slugs
    price_level: float
    market: Market
    deliveries: tuple[int, ...]  # indexes into market.deliveries


@dataclass(frozen=True)
class OptionPlan:
    code: str
    value_ru: str
    value_en: str
    factor: float


@dataclass(frozen=True)
class VariantPlan:
    options: tuple[OptionPlan, ...]
    gtin: str

    @property
    def factor(self) -> float:
        return math.prod(option.factor for option in self.options)


@dataclass(frozen=True)
class OfferPlan:
    seller: int
    variant: int
    price: Decimal
    compare_at: Decimal | None
    currency: str
    stock: int
    condition: str
    ships_from: str
    handling_days: int
    is_active: bool


@dataclass(frozen=True)
class ProductPlan:
    leaf: Leaf
    brand: str
    name_ru: str
    name_en: str
    description_ru: str
    description_en: str
    specs: tuple[tuple[str, str, str], ...]  # (code, ru, en)
    variants: tuple[VariantPlan, ...]
    offers: tuple[OfferPlan, ...]


def model_words(seed: int) -> list[str]:
    """The long tail of model names ("Vexo", "Karidon"), distinct, in a seeded order."""
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < MODEL_WORDS:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
        words.setdefault(word.capitalize(), None)
    return list(words)


def plan_sellers(rng: random.Random, count: int) -> list[SellerPlan]:
    """`count` sellers over the markets by their shares; every parent category has sellers."""
    shares = [market.share for market in MARKETS]
    counts = [math.floor(share * count) for share in shares]
    for index in sorted(range(len(MARKETS)), key=lambda i: -(shares[i] * count % 1))[
        : count - sum(counts)
    ]:
        counts[index] += 1
    markets = [market for market, n in zip(MARKETS, counts, strict=True) for _ in range(n)]
    rng.shuffle(markets)
    parents = [slug for slug, _ru, _en in PARENTS]
    words = model_words(rng.randrange(1 << 30))
    suffixes = ("Trade", "Store", "Shop", "Market", "Group", "Direct", "Online", "Outlet")
    sellers = []
    for index, market in enumerate(markets):
        # The first categories go round the tree, so that every one has sellers (fewer
        # sellers than categories take several each).
        first = parents[index::count] or [parents[index % len(parents)]]
        others = rng.sample(parents, rng.choice((0, 0, 1, 1, 2, 3)))
        trades_in = tuple(dict.fromkeys((*first, *others)))
        deliveries = tuple(
            sorted(
                rng.sample(range(len(market.deliveries)), rng.randint(1, len(market.deliveries)))
            )
        )
        sellers.append(
            SellerPlan(
                index=index,
                name=f"{words[index % len(words)]} {rng.choice(suffixes)} {index}",
                country=market.country,
                currency=market.currency,
                trades_in=trades_in,
                price_level=PRICE_LEVELS.get(market.country, 1.12) * rng.uniform(0.95, 1.05),
                market=market,
                deliveries=deliveries,
            )
        )
    return sellers


def plan_offer_counts(rng: random.Random, *, products: int, offers: int) -> list[int]:
    """Offers per product: one each, the rest drawn by lognormal popularity."""
    if offers < products:
        raise ValueError("every product needs at least one offer: --offers >= --products")
    weights = itertools.accumulate(
        rng.lognormvariate(0.0, POPULARITY_SIGMA) for _ in range(products)
    )
    cumulative = list(weights)
    counts = [1] * products
    extra = offers - products
    while extra:
        for index in rng.choices(range(products), cum_weights=cumulative, k=extra):
            if counts[index] < MAX_OFFERS_PER_PRODUCT:
                counts[index] += 1
                extra -= 1
    return counts


def nice_price(amount_rub: float, currency: str) -> Decimal:
    """A shelf price in the seller's currency: 12 990 RUB, 299.90 CNY, 49.99 EUR."""
    amount = Decimal(str(round(amount_rub, 2))) / RATES.get(currency, Decimal(1))

    def up_to(step: str) -> Decimal:
        unit = Decimal(step)
        return (amount / unit).to_integral_value(rounding=ROUND_CEILING) * unit

    if currency in ("RUB", "KZT"):
        price = up_to("100") - 10 if amount >= 1000 else up_to("10") - 1
    else:
        price = up_to("10") - Decimal("0.10") if amount >= 100 else up_to("1") - Decimal("0.01")
    return max(price, Decimal("0.99")).quantize(Decimal("0.01"))


class CatalogPlanner:
    """Plans products one at a time, in the order they are written."""

    def __init__(self, *, rng: random.Random, sellers: list[SellerPlan]) -> None:
        self.rng = rng
        self.sellers = sellers
        self.words = model_words(rng.randrange(1 << 30))
        self.word_weights = zipf_cumulative(len(self.words), 1.07)
        self.leaf_weights = list(itertools.accumulate(leaf.weight for leaf in LEAVES))
        self.brand_weights = {parent: zipf_cumulative(len(b)) for parent, b in BRANDS.items()}
        self.by_parent: dict[str, list[int]] = {}
        for seller in sellers:
            for parent in seller.trades_in:
                self.by_parent.setdefault(parent, []).append(seller.index)
        # Big sellers and small ones: a seller's share of a category's offers is Zipf-like.
        order = list(range(len(sellers)))
        rng.shuffle(order)
        self.seller_weight = {index: 1.0 / (rank + 1) ** 0.7 for rank, index in enumerate(order)}
        self.gtin_number = 0

    def _gtin(self, country: str) -> str:
        from caravan.catalog.identifiers import gtin_check_digit

        self.gtin_number += 1
        # Distinct, but with digits as varied as real item numbers (not a run of zeros).
        item = self.gtin_number * GTIN_STRIDE % 10**9
        body = GTIN_PREFIXES.get(country, "200") + f"{item:09d}"
        return body + str(gtin_check_digit(body))

    def _option_values(self, code: str) -> list[OptionPlan]:
        rng = self.rng
        pool = OPTIONS[code]
        if code == "colour":
            # The first eight colours (black, white, ...) are the usual ones.
            usual = pool[:8] if rng.random() < 0.8 else pool
            values = rng.sample(usual, rng.choice((1, 1, 2, 2, 3)))
        else:
            length = min(rng.randint(2, 5) if code in ("size", "shoe-size") else rng.randint(1, 3),
                         len(pool))  # fmt: skip
            start = rng.randint(0, len(pool) - length)
            values = list(pool[start : start + length])
        return [OptionPlan(code, value.value_ru, value.value_en, value.factor) for value in values]

    def _variants(self, leaf: Leaf, made_in: str) -> tuple[VariantPlan, ...]:
        axes = [self._option_values(code) for code in leaf.axes]
        combinations = list(itertools.product(*axes))[:MAX_VARIANTS] if axes else [()]
        return tuple(
            VariantPlan(
                options=tuple(combination),
                gtin=self._gtin(made_in) if self.rng.random() < 0.85 else "",
            )
            for combination in combinations
        )

    def _name(self, leaf: Leaf) -> tuple[str, str, str, str | None, tuple[str, str]]:
        rng = self.rng
        lines = dict(leaf.lines)
        while True:
            brand = draw(rng, BRANDS[leaf.parent], self.brand_weights[leaf.parent])
            if brand not in LINE_ONLY_BRANDS or brand in lines:
                break
        if brand in lines and rng.random() < 0.85:
            model = " ".join(
                part for part in (rng.choice(lines[brand]), rng.choice(LINE_MARKS)) if part
            )
        else:
            model = " ".join(
                part
                for part in (draw(rng, self.words, self.word_weights), rng.choice(MARKS))
                if part
            )
        kind_en, kind_ru, gender_ru = draw(rng, leaf.kinds, zipf_cumulative(len(leaf.kinds)))
        who = None
        if leaf.gendered:
            who = rng.choices([w for w, _ in GENDER_WEIGHTS], [p for _, p in GENDER_WEIGHTS])[0]
        kind_title = " ".join(word[:1].upper() + word[1:] for word in kind_en.split())
        name_en = " ".join(
            part for part in (brand, model, GENDERS_EN.get(who or ""), kind_title) if part
        )
        qualifier = GENDERS_RU[who][gender_ru] if who else ""
        name_ru = " ".join(
            part for part in (kind_ru[:1].upper() + kind_ru[1:], qualifier, brand, model) if part
        )
        return brand, name_ru, name_en, who, (kind_en, kind_ru)

    def product(self, offer_count: int) -> ProductPlan:
        rng = self.rng
        leaf = LEAVES[bisect.bisect(self.leaf_weights, rng.random() * self.leaf_weights[-1])]
        brand, name_ru, name_en, who, kind = self._name(leaf)
        made_in = rng.choice(tuple(COUNTRIES_OF_MANUFACTURE))
        specs = [(code, *rng.choice(SPECS[code])) for code in leaf.specs]
        specs.append(("made-in", *COUNTRIES_OF_MANUFACTURE[made_in]))
        if who:
            specs.append(("gender", *GENDER_VALUES[who]))
        variants = self._variants(leaf, made_in)
        country_ru, country_en = COUNTRIES_OF_MANUFACTURE[made_in]
        return ProductPlan(
            leaf=leaf,
            brand=brand,
            name_ru=name_ru,
            name_en=name_en,
            description_ru=f"{kind[1][:1].upper()}{kind[1][1:]} {brand}. Страна производства: {country_ru}.",
            description_en=f"{kind[0][:1].upper()}{kind[0][1:]} by {brand}. Made in {country_en}.",
            specs=tuple(specs),  # type: ignore[arg-type]
            variants=variants,
            offers=self._offers(leaf, variants, offer_count),
        )

    def capacity(self, leaf: Leaf, variants: int) -> int:
        return variants * len(self.by_parent.get(leaf.parent, ()))

    def _pick_sellers(self, pool: list[int], count: int) -> list[int]:
        rng = self.rng
        if count * 2 >= len(pool):
            return rng.sample(pool, count)
        weights = list(itertools.accumulate(self.seller_weight[index] for index in pool))
        chosen: dict[int, None] = {}
        while len(chosen) < count:
            chosen.setdefault(pool[bisect.bisect(weights, rng.random() * weights[-1])], None)
        return list(chosen)

    def _offers(
        self, leaf: Leaf, variants: tuple[VariantPlan, ...], wanted: int
    ) -> tuple[OfferPlan, ...]:
        rng = self.rng
        pool = self.by_parent[leaf.parent]
        count = min(wanted, self.capacity(leaf, len(variants)))
        lowest = math.ceil(count / len(variants))
        sellers = min(len(pool), count, max(lowest, round(count / rng.uniform(1, len(variants)))))
        chosen = self._pick_sellers(pool, sellers)
        per_seller = [1] * sellers
        for _ in range(count - sellers):
            open_ = [i for i in range(sellers) if per_seller[i] < len(variants)]
            per_seller[rng.choice(open_)] += 1
        low, high = leaf.price_rub
        base_rub = math.exp(rng.uniform(math.log(low), math.log(high)))
        offers = []
        for seller_index, stocked in zip(chosen, per_seller, strict=True):
            seller = self.sellers[seller_index]
            markup = seller.price_level * rng.uniform(0.94, 1.08)
            for variant_index in sorted(rng.sample(range(len(variants)), stocked)):
                price = nice_price(
                    base_rub * variants[variant_index].factor * markup, seller.currency
                )
                compare_at = None
                if rng.random() < 0.15:
                    compare_at = (price * Decimal(str(round(rng.uniform(1.1, 1.4), 2)))).quantize(
                        Decimal("0.01")
                    )
                roll = rng.random()
                stock = (
                    0 if roll < 0.08 else rng.randint(1, 3) if roll < 0.18 else rng.randint(5, 500)
                )
                roll = rng.random()
                condition = "new" if roll < 0.92 else "refurbished" if roll < 0.97 else "used"
                offers.append(
                    OfferPlan(
                        seller=seller_index,
                        variant=variant_index,
                        price=price,
                        compare_at=compare_at if compare_at and compare_at > price else None,
                        currency=seller.currency,
                        stock=stock,
                        condition=condition,
                        ships_from=(
                            seller.country if rng.random() < 0.88 else seller.market.other_origin
                        ),
                        handling_days=rng.choice((0, 1, 1, 1, 2, 2, 3, 5)),
                        is_active=rng.random() >= 0.02,
                    )
                )
        return tuple(offers)
