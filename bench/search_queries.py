"""The search benchmark's query mix, drawn from the synthetic catalog's words
(bench/search_vocabulary.py) by a seeded random.Random: the same mix every run.

Five classes, as buyers type them:
  one word      a category noun, in Russian or English, or a brand
  words         two or three words: noun + gender, noun + brand, noun + size or memory,
                a brand's model ("айфон 15"), German ("Laufschuhe Herren")
  facets        a word or two with two filters: category + ships-from, or ships-from +
                a price range (and a category page with two filters, no text)
  typo          one edit (deletion, insertion, substitution, swap) in a 5+ letter word
  translit      Latin spelling of a Russian word ("krossovki"), Cyrillic of a Latin one
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from bench.search_vocabulary import BRANDS, LEAVES, Leaf

SEED = 20251126
CLASSES = ("one word", "words", "facets", "typo", "translit")

# Named in the issue: each must find relevant products in the generated catalog.
ISSUE_QUERIES: tuple[tuple[str, str], ...] = (
    ("words", "кроссовки мужские 43"),
    ("translit", "krossovki"),
    ("words", "айфон 15"),
    ("typo", "iphon"),
    ("one word", "ноутбук"),
    ("words", "laptop 16gb"),
    ("words", "Laufschuhe Herren"),
)

# Latin spellings a Russian buyer's keyboard habit produces, letter by letter.
_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_TO_CYRILLIC = (
    ("sh", "ш"), ("ch", "ч"), ("ya", "я"), ("yu", "ю"), ("a", "а"), ("b", "б"), ("c", "к"),
    ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "дж"),
    ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"),
    ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "и"),
    ("z", "з"),
)  # fmt: skip
_SHIPS_FROM = ("RU", "CN", "TR", "KZ", "DE")


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str = ""
    # A leaf or parent category slug; a parent stands for itself and its leaves.
    category: str | None = None
    ships_from: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None

    @property
    def label(self) -> str:
        parts = [f'"{self.text}"' if self.text else "(no text)"]
        if self.category:
            parts.append(f"category={self.category}")
        if self.ships_from:
            parts.append(f"from={','.join(self.ships_from)}")
        if self.price_min is not None or self.price_max is not None:
            parts.append(f"price={self.price_min or ''}..{self.price_max or ''}")
        return " ".join(parts)


def to_latin(word: str) -> str:
    return "".join(_TO_LATIN.get(letter, letter) for letter in word.lower())


def to_cyrillic(word: str) -> str:
    text, out = word.lower(), []
    position = 0
    while position < len(text):
        for latin, cyrillic in _TO_CYRILLIC:
            if text.startswith(latin, position):
                out.append(cyrillic)
                position += len(latin)
                break
        else:
            out.append(text[position])
            position += 1
    return "".join(out)


def one_edit(word: str, rng: random.Random) -> str:
    """The word with one edit inside it (never the first letter, which buyers get right)."""
    alphabet = "абвгдеиклмнопрстуя" if to_latin(word) != word else "abcdeiklmnoprstu"
    while True:
        position = rng.randrange(1, len(word) - 1)
        operation = rng.choice(("delete", "insert", "substitute", "swap"))
        if operation == "delete":
            edited = word[:position] + word[position + 1 :]
        elif operation == "insert":
            edited = word[:position] + rng.choice(alphabet) + word[position:]
        elif operation == "substitute":
            edited = word[:position] + rng.choice(alphabet) + word[position + 1 :]
        else:
            edited = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        if edited != word:
            return edited


def _popular_leaves(rng: random.Random, count: int) -> list[Leaf]:
    """Leaves drawn by their share of the catalog, distinct."""
    chosen: dict[str, Leaf] = {}
    while len(chosen) < count:
        leaf = rng.choices(LEAVES, weights=[leaf.weight for leaf in LEAVES])[0]
        chosen.setdefault(leaf.slug, leaf)
    return list(chosen.values())


_ADJECTIVE_ENDINGS = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")


def _head_ru(leaf: Leaf, index: int = 0) -> str:
    """The Russian kind's noun: "беговые кроссовки" -> "кроссовки", "рюкзак для
    ноутбука" -> "рюкзак"."""
    words = leaf.kinds[index][1].split()
    return next((word for word in words if not word.endswith(_ADJECTIVE_ENDINGS)), words[-1])


def query_mix(seed: int = SEED) -> list[BenchQuery]:
    """About fifty distinct queries, eight to twelve per class, in a fixed order."""
    rng = random.Random(seed)
    queries = [BenchQuery(kind, text) for kind, text in ISSUE_QUERIES]
    leaves = _popular_leaves(rng, 24)
    queries += [BenchQuery("one word", word) for word in ("кроссовки", "смартфон", "sneakers")]
    for leaf in leaves[:5]:
        queries.append(BenchQuery("one word", _head_ru(leaf)))
    for leaf in leaves[5:8]:
        queries.append(BenchQuery("one word", leaf.kinds[0][0].split()[-1]))
    for parent in ("electronics", "shoes"):
        queries.append(BenchQuery("one word", rng.choice(BRANDS[parent][:5])))
    gendered = [leaf for leaf in leaves if leaf.gendered]
    for leaf in gendered[:3]:
        adjective = {"p": "женские", "m": "женский", "f": "женская", "n": "женское"}
        queries.append(BenchQuery("words", f"{leaf.kinds[0][1]} {adjective[leaf.kinds[0][2]]}"))
    for leaf in leaves[8:12]:
        brand = rng.choice(BRANDS[leaf.parent][:6])
        if brand != "Apple":
            queries.append(BenchQuery("words", f"{_head_ru(leaf)} {brand.lower()}"))
    queries += [
        BenchQuery("words", "samsung galaxy"),
        BenchQuery("words", "куртка мужская xl"),
        BenchQuery("words", "смартфон 256 гб"),
    ]
    for leaf in leaves[:4]:
        low, high = leaf.price_rub
        queries.append(
            BenchQuery(
                "facets", _head_ru(leaf), category=leaf.slug, ships_from=(rng.choice(_SHIPS_FROM),)
            )
        )
        queries.append(
            BenchQuery(
                "facets",
                leaf.kinds[0][0].split()[-1],
                ships_from=(rng.choice(_SHIPS_FROM),),
                price_min=Decimal(low * 2),
                price_max=Decimal(high // 2),
            )
        )
    queries.append(
        BenchQuery("facets", "", category="shoes", ships_from=("CN",), price_max=Decimal(5000))
    )
    queries.append(BenchQuery("facets", "", category="smartphones", ships_from=("RU", "KZ")))
    words = [
        word
        for leaf in leaves
        for word in (_head_ru(leaf), leaf.kinds[0][0].split()[-1])
        if len(word) >= 6 and word.isalpha()
    ]
    for word in list(dict.fromkeys(words))[:10]:
        queries.append(BenchQuery("typo", one_edit(word, rng)))
    russian = [_head_ru(leaf) for leaf in leaves if _head_ru(leaf).isalpha()]
    for word in list(dict.fromkeys(russian))[1:7]:
        queries.append(BenchQuery("translit", to_latin(word)))
    for brand in ("Polaris", "Tefal", "Lego", "Nivea", "Redmond"):
        queries.append(BenchQuery("translit", to_cyrillic(brand)))
    distinct: dict[BenchQuery, None] = dict.fromkeys(queries)
    return list(distinct)


if __name__ == "__main__":
    for query in query_mix():
        print(f"{query.kind:<10} {query.label}")
