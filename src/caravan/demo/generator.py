"""The demo catalog as a plan: every name, spec, variant, price and offer, decided by one seeded
random generator before anything touches the database, so the same data comes out every time."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .vocabulary import (
    CLOSING_LINES,
    DEMO_RATES,
    MADE_IN,
    OPTIONS,
    SELLERS,
    WARRANTIES,
    OptionValue,
    SellerWords,
)
from .words import LEAVES, LeafWords

POPULAR_SHARE = 0.33
MAX_SELLERS_PER_PRODUCT = 5
LOW_STOCK_SHARE = 0.1
SOLD_OUT_SHARE = 0.03
SMALL_WORDS = frozenset({"with", "for", "and", "in", "of", "up", "to", "a", "de"})
GTIN_PREFIXES = {"RU": "460", "CN": "690", "DE": "400", "TR": "869", "KZ": "487", "IT": "800"}


@dataclass(frozen=True)
class OptionPlan:
    code: str
    value: OptionValue


@dataclass(frozen=True)
class VariantPlan:
    options: tuple[OptionPlan, ...]
    gtin: str

    @property
    def factor(self) -> float:
        return math.prod(option.value.factor for option in self.options)

    @property
    def colour(self) -> tuple[int, int, int] | None:
        return next((option.value.rgb for option in self.options if option.value.rgb), None)


@dataclass(frozen=True)
class OfferPlan:
    seller: SellerWords
    variant_index: int
    price: Decimal
    stock_quantity: int
    handling_days: int
    seller_sku: str


@dataclass(frozen=True)
class SpecPlan:
    code: str
    value_ru: str
    value_en: str


@dataclass(frozen=True)
class ProductPlan:
    number: int
    leaf: LeafWords
    kind_en: str
    shape: str
    brand: str
    name_ru: str
    name_en: str
    description_ru: str
    description_en: str
    specs: tuple[SpecPlan, ...]
    variants: tuple[VariantPlan, ...]
    offers: tuple[OfferPlan, ...]
    made_in: str = ""


def title_case(phrase: str) -> str:
    """ "wireless headphones with microphone" -> "Wireless Headphones with Microphone";
    "TWS earbuds" keeps its capitals."""
    words = phrase.split()
    return " ".join(
        word if index and word in SMALL_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def capitalise(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def nice_price(amount_rub: float, currency: str) -> Decimal:
    """A shelf price in the currency: 12 990 ₽, 299 ¥, 49.99 €, 1 299.90 ₺, 45 990 ₸."""
    amount = (
        Decimal(str(amount_rub)) / DEMO_RATES[currency]
        if currency != "RUB"
        else Decimal(str(amount_rub))
    )

    def up_to(step: str) -> Decimal:
        unit = Decimal(step)
        return (amount / unit).to_integral_value(rounding=ROUND_CEILING) * unit

    if currency == "RUB":
        price = up_to("100") - 10 if amount >= 1000 else up_to("10") - 1
    elif currency == "CNY":
        price = up_to("10") - 1 if amount >= 100 else up_to("1") - Decimal("0.10")
    elif currency == "TRY":
        price = up_to("10") - Decimal("0.10")
    elif currency == "KZT":
        price = up_to("100") - 10
    else:
        price = up_to("10") - Decimal("0.01") if amount >= 200 else up_to("1") - Decimal("0.01")
    return price.quantize(Decimal("0.01"))


def gtin13(*, rng: random.Random, country: str) -> str:
    body = GTIN_PREFIXES.get(country, "200") + "".join(str(rng.randrange(10)) for _ in range(9))
    weighted = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - weighted % 10) % 10)


def eligible_sellers(leaf: LeafWords) -> list[SellerWords]:
    return [seller for seller in SELLERS if {leaf.slug, leaf.parent} & set(seller.trades_in)]


def _option_values(rng: random.Random, code: str, allowed: tuple[str, ...]) -> list[OptionValue]:
    pool = [value for value in OPTIONS[code] if not allowed or value.value_en in allowed]
    if code == "colour":
        return rng.sample(pool, rng.randint(1, min(3, len(pool))))
    # Sizes, memory and volumes come as a run of neighbours, as a shop stocks them.
    count = {"size": (3, 4), "shoe-size": (3, 4)}.get(code, (1, len(pool)))
    length = min(rng.randint(*count), len(pool))
    start = rng.randint(0, len(pool) - length)
    return pool[start : start + length]


def _variants(rng: random.Random, leaf: LeafWords, made_in: str) -> tuple[VariantPlan, ...]:
    axes = [
        [OptionPlan(code, value) for value in _option_values(rng, code, allowed)]
        for code, allowed in leaf.options
    ]
    # Two axes multiply fast: keep a listing to at most eight variants.
    if len(axes) == 2:
        while len(axes[0]) * len(axes[1]) > 8:
            longer = 0 if len(axes[0]) > len(axes[1]) else 1
            axes[longer] = axes[longer][:-1]
    combinations = list(itertools.product(*axes)) if axes else [()]
    return tuple(
        VariantPlan(options=tuple(combination), gtin=gtin13(rng=rng, country=made_in))
        for combination in combinations
    )


def _description(
    rng: random.Random,
    leaf: LeafWords,
    *,
    title: str,
    kind: tuple[str, str],
    suffix: tuple[str, str],
    made_in: str,
) -> tuple[str, str]:
    kind_en, kind_ru = kind
    ending_en = f" {suffix[0]}" if suffix[0] else ""
    ending_ru = f" {suffix[1]}" if suffix[1] else ""
    features = rng.sample(leaf.features, min(len(leaf.features), rng.randint(2, 3)))
    closing = rng.choice(CLOSING_LINES)
    country_ru, country_en = MADE_IN[made_in]
    english = [f"{title} — {kind_en}{ending_en}."]
    russian = [f"{title} — {kind_ru}{ending_ru}."]
    english += [feature[0] for feature in features]
    russian += [feature[1] for feature in features]
    english.append(f"Made in {country_en}. {closing[1]}")
    russian.append(f"Страна производства: {country_ru}. {closing[0]}")
    return " ".join(russian), " ".join(english)


def _offers(
    rng: random.Random,
    *,
    number: int,
    leaf: LeafWords,
    variants: tuple[VariantPlan, ...],
) -> tuple[OfferPlan, ...]:
    candidates = eligible_sellers(leaf)
    low, high = leaf.price_rub
    base_rub = math.exp(rng.uniform(math.log(low), math.log(high)))
    sellers = [rng.choice(candidates)]
    if rng.random() < POPULAR_SHARE and len(candidates) > 1:
        wanted = min(rng.randint(2, MAX_SELLERS_PER_PRODUCT), len(candidates))
        others = [seller for seller in candidates if seller is not sellers[0]]
        sellers += rng.sample(others, wanted - 1)
    offers: list[OfferPlan] = []
    for rank, seller in enumerate(sellers):
        # One markup per seller and product, so a seller's variants differ only by their options.
        markup = seller.price_level * rng.uniform(0.94, 1.08)
        indexes = list(range(len(variants)))
        if rank:
            # A competitor stocks some of the variants, never fewer than one.
            indexes = sorted(
                rng.sample(indexes, rng.randint(max(1, len(indexes) // 2), len(indexes)))
            )
        for index in indexes:
            roll = rng.random()
            if rank and roll < SOLD_OUT_SHARE:
                stock = 0
            elif roll < SOLD_OUT_SHARE + LOW_STOCK_SHARE:
                stock = rng.randint(1, 3)
            else:
                stock = rng.randint(8, 240)
            amount = base_rub * variants[index].factor * markup
            offers.append(
                OfferPlan(
                    seller=seller,
                    variant_index=index,
                    price=nice_price(amount, seller.currency),
                    stock_quantity=stock,
                    handling_days=rng.randint(*seller.handling_days),
                    seller_sku=f"{seller.slug[:3].upper()}-{number:05d}-{index + 1}",
                )
            )
    return tuple(offers)


def _product(rng: random.Random, number: int, leaf: LeafWords, taken: set[str]) -> ProductPlan:
    numbered = False
    for _attempt in range(40):
        brand = rng.choice(leaf.brands)
        model = " ".join(part for part in (rng.choice(leaf.series), rng.choice(leaf.marks)) if part)
        kind = rng.choice(leaf.kinds)
        suffix = rng.choice(leaf.suffixes)
        title = f"{brand} {model}"
        name_en = title_case(" ".join(part for part in (title, kind[0], suffix[0]) if part))
        if name_en not in taken:
            break
    else:
        # The word lists are exhausted (a very large --products): number the name instead.
        numbered = True
        name_en = f"{name_en} #{number}"
    taken.add(name_en)
    name_ru = " ".join(part for part in (capitalise(kind[1]), title, suffix[1]) if part)
    if numbered:
        name_ru = f"{name_ru} #{number}"
    made_in = rng.choice(leaf.made_in)
    specs = [SpecPlan(spec.code, *rng.choice(spec.values)) for spec in leaf.specs]
    specs.append(SpecPlan("made-in", *MADE_IN[made_in]))
    if leaf.has_warranty:
        specs.append(SpecPlan("warranty", *rng.choice(WARRANTIES)))
    description_ru, description_en = _description(
        rng, leaf, title=title, kind=kind, suffix=suffix, made_in=made_in
    )
    variants = _variants(rng, leaf, made_in)
    return ProductPlan(
        number=number,
        leaf=leaf,
        kind_en=title_case(kind[0]),
        shape=leaf.shape_for(kind[0]),
        brand=brand,
        name_ru=name_ru,
        name_en=name_en,
        description_ru=description_ru,
        description_en=description_en,
        specs=tuple(specs),
        variants=variants,
        offers=_offers(rng, number=number, leaf=leaf, variants=variants),
        made_in=made_in,
    )


def plan_catalog(*, products: int, seed: int) -> list[ProductPlan]:
    """`products` listings spread evenly over the leaf categories, in creation order."""
    rng = random.Random(seed)
    taken: set[str] = set()
    return [
        _product(rng, number, LEAVES[number % len(LEAVES)], taken) for number in range(products)
    ]
