"""The phrases the search box offers as the buyer types (read by search.suggest), written
from the same projection as the search documents (search.projection.project_listings).

A buyable product carries a few phrases taken from what it is called: the head of each of
its names up to and around the brand ("рюкзак для ноутбука Nordkap", "Nordkap Urban 30"),
its brand, its brand in its category ("кроссовки Velocita", "Velocita sneakers"), and its
category and the category's parent. A phrase's product_count is how many buyable products
carry it: kept by +1/-1 as products gain and lose phrases (so two products reindexed at
once never overwrite each other's count), and recounted whole by a rebuild.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from django.db import connection
from django.db.models import Count, Exists, F, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce

from caravan.catalog.models import Category, Product
from caravan.offers.models import ProductOfferSummary

from .analysis import STOP_WORDS, document_lexemes, fold, script, tokenize
from .models import SearchPhrase, SearchPhraseProduct, SearchPhraseTerm

# Words of a product type before the brand ("Рюкзак для ноутбука Nordkap ..."): a longer
# run is a description, not something a buyer types.
MAX_TYPE_WORDS = 4
# Words of a name read when it does not contain its brand: "Wireless Headphones Pro".
MAX_HEAD_WORDS = 3
MAX_PHRASE_LENGTH = 80
_CHUNK = 500

T = TypeVar("T")

Kind = SearchPhrase.Kind


@dataclass(frozen=True)
class PhraseSpec:
    kind: str
    key: str
    text: str
    category_id: int | None = None


@lru_cache(maxsize=65536)
def phrase_key(text: str) -> str:
    """Folded words separated by one space: "Nordkap  Urban" and "nordkap urban" are one."""
    return " ".join(fold(text).split())


@lru_cache(maxsize=65536)
def _meaningful(word: str) -> tuple[bool, bool]:
    """Whether a phrase may start, and end, on this word."""
    tokens = tokenize(word)
    return (
        bool(tokens) and tokens[0] not in STOP_WORDS,
        bool(tokens) and tokens[-1] not in STOP_WORDS,
    )


def _common(word: str) -> str:
    """A capitalised ordinary word in lower case ("Рюкзак" -> "рюкзак"); names such as
    "iPhone", "5G" or "AMOLED-экраном" stay as written."""
    return word.lower() if word[:1].isupper() and word[1:].islower() else word


def _name_words(name: str) -> list[str]:
    words = []
    for word in name.split():
        # A catalog numbering its duplicates ("... #1204") ends the meaningful part there.
        if "#" in word:
            break
        words.append(word)
    return words


def _find(words: list[str], brand_words: list[str]) -> int:
    if not brand_words:
        return -1
    wanted = [phrase_key(word) for word in brand_words]
    folded = [phrase_key(word) for word in words]
    for start in range(len(words) - len(wanted) + 1):
        if folded[start : start + len(wanted)] == wanted:
            return start
    return -1


_RUSSIAN_ADJECTIVE_ENDINGS = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")


def _adjective(words: list[str]) -> bool:
    """A lone Russian adjective ("городской" of "Городской рюкзак") is no product type."""
    return (
        len(words) == 1
        and script(words[0]) == "cyrillic"
        and words[0].lower().endswith(_RUSSIAN_ADJECTIVE_ENDINGS)
    )


def _usable(words: list[str]) -> bool:
    """A phrase starts and ends on a word that means something (not "для", "with", "&")."""
    return bool(words) and _meaningful(words[0])[0] and _meaningful(words[-1])[1]


def name_phrases(name: str, brand: str) -> list[str]:
    """The heads of a product name a buyer would type: the product type (and its shorter
    starts), the type with the brand and with the first model word when the brand follows
    the type (the Russian names); the brand with the first model word and a model number
    when the name starts with the brand; else the first one to three words."""
    words = _name_words(name)
    brand_words = brand.split()
    position = _find(words, brand_words)
    heads: list[list[str]] = []
    if 0 < position <= MAX_TYPE_WORDS:
        kind = [_common(word) for word in words[:position]]
        after = position + len(brand_words)
        # "смартфон 5G" is also a "смартфон": the shorter type counts every longer one.
        heads += [kind[:count] for count in range(1, len(kind)) if not _adjective(kind[:count])]
        heads += [kind, kind + words[position:after], kind + words[position : after + 1]]
    elif position == 0:
        after = len(brand_words)
        heads.append(words[: after + 1])
        # A second model word is kept when it is a model number ("Nordkap Urban 30"); a
        # word such as "Running" starts the product type, which follows whole or not at all.
        if len(words) > after + 1 and any(letter.isdigit() for letter in words[after + 1]):
            heads.append(words[: after + 2])
    elif position < 0:
        lowered = [_common(word) for word in words]
        heads += [
            lowered[:count]
            for count in range(1, min(MAX_HEAD_WORDS, len(lowered)) + 1)
            if not _adjective(lowered[:count])
        ]
    texts: dict[str, None] = {}
    for head in heads:
        text = " ".join(head)
        if _usable(head) and len(text) <= MAX_PHRASE_LENGTH:
            texts.setdefault(text, None)
    return list(texts)


def product_phrases(
    *, name_ru: str, name_en: str, brand: str, category: Category, parent: Category | None
) -> list[PhraseSpec]:
    specs: list[PhraseSpec] = []
    brand = " ".join(brand.split())
    brand_key = phrase_key(brand)
    texts = [*name_phrases(name_ru, brand), *name_phrases(name_en, brand)]
    if brand_key:
        specs.append(PhraseSpec(Kind.BRAND, brand_key, brand))
        texts += [
            " ".join([*(_common(word) for word in category.name_ru.split()), brand]),
            " ".join([brand, *(_common(word) for word in category.name_en.split())]),
        ]
    for text in texts:
        key = phrase_key(text)
        if key and key != brand_key and len(text) <= MAX_PHRASE_LENGTH:
            specs.append(PhraseSpec(Kind.QUERY, key, text))
    for place in (category, parent):
        if place is not None:
            specs.append(PhraseSpec(Kind.CATEGORY, place.slug, place.name_en, place.id))
    unique: dict[tuple[str, str], PhraseSpec] = {}
    for spec in specs:
        unique.setdefault((spec.kind, spec.key), spec)
    return list(unique.values())


def phrase_terms(text: str) -> set[str]:
    return {lexeme for lexeme in document_lexemes(text) if len(lexeme) <= 200}


def _chunks(values: Sequence[T]) -> Iterator[list[T]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


Row = tuple[str | int | None, ...]


def _insert(
    model: type[Model], columns: Sequence[str], rows: Sequence[Row], *, skip_existing: bool
) -> None:
    """Plain rows, many per statement: a first build adds about ten per product, and model
    instances would cost more than the insert itself."""
    if not rows:
        return
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
    head = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES "
    # executemany sends one statement per row (pipelined, but each parsed and executed on
    # its own: a third of a rebuild's time at 300,000 products); _CHUNK rows per statement
    # keep SQLite under its 32,766 parameters.
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.execute(
                head + ", ".join([row] * len(chunk)) + conflict,
                [value for item in chunk for value in item],
            )


def _read_ids(kind: str, keys: Sequence[str], into: dict[tuple[str, str], int]) -> None:
    for chunk in _chunks(keys):
        for key, phrase_id in SearchPhrase.objects.filter(kind=kind, key__in=chunk).values_list(
            "key", "id"
        ):
            into[(kind, key)] = phrase_id


def _phrase_ids(specs: Iterable[PhraseSpec]) -> dict[tuple[str, str], int]:
    """The ids of these phrases, creating the missing ones with their terms."""
    by_kind: dict[str, dict[str, PhraseSpec]] = defaultdict(dict)
    for spec in specs:
        by_kind[spec.kind][spec.key] = spec
    ids: dict[tuple[str, str], int] = {}
    # Kinds in one order too: two writers creating phrases never wait on each other crosswise.
    for kind, wanted in sorted(by_kind.items()):
        _read_ids(kind, sorted(wanted), ids)
        missing = sorted(key for key in wanted if (kind, key) not in ids)
        if not missing:
            continue
        _insert(
            SearchPhrase,
            ("kind", "key", "text", "category_id", "product_count"),
            [(kind, key, wanted[key].text, wanted[key].category_id, 0) for key in missing],
            # Another transaction may create the same phrase meanwhile: either row will do.
            skip_existing=True,
        )
        _read_ids(kind, missing, ids)
        if kind != Kind.CATEGORY:
            # Categories are matched by their current names (search.suggest), not by terms.
            _insert(
                SearchPhraseTerm,
                ("term", "phrase_id", "product_count"),
                [
                    (term, ids[(kind, key)], 0)
                    for key in missing
                    if (kind, key) in ids
                    for term in sorted(phrase_terms(wanted[key].text))
                ],
                skip_existing=True,
            )
    return ids


def index_phrases(*, product_ids: Sequence[int]) -> None:
    """Give these products the phrases they carry now (none unless buyable) and move the
    phrases' counts by what they gained and lost."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    categories = {category.id: category for category in Category.objects.all()}
    buyable: list[int] = []
    for chunk in _chunks(ids):
        buyable += ProductOfferSummary.objects.filter(
            product_id__in=chunk, is_buyable=True
        ).values_list("product_id", flat=True)
    named: list[Product] = []
    for chunk in _chunks(sorted(buyable)):
        named += Product.objects.filter(id__in=chunk).only(
            "id", "name_ru", "name_en", "brand", "category_id"
        )
    carry_phrases(product_ids=ids, buyable=named, categories=categories)


def carry_phrases(
    *, product_ids: Sequence[int], buyable: Iterable[Product], categories: Mapping[int, Category]
) -> None:
    """index_phrases with what it reads already at hand (search.projection has it): of
    these products, `buyable` carry phrases (from their names, brand and category, given
    with the category tree), the others none. One query when no product's phrases change,
    as on a price or stock change."""
    ids = sorted(set(product_ids))
    wanted: dict[int, list[PhraseSpec]] = {}
    for product in buyable:
        category = categories[product.category_id]
        wanted[product.id] = product_phrases(
            name_ru=product.name_ru,
            name_en=product.name_en,
            brand=product.brand,
            category=category,
            parent=categories.get(category.parent_id) if category.parent_id else None,
        )
    old: dict[tuple[int, int], int] = {}
    carried: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for chunk in _chunks(ids):
        for row_id, phrase_id, product_id, kind, key in SearchPhraseProduct.objects.filter(
            product_id__in=chunk
        ).values_list("id", "phrase_id", "product_id", "phrase__kind", "phrase__key"):
            old[(phrase_id, product_id)] = row_id
            carried[product_id].add((kind, key))
    if all(
        {(spec.kind, spec.key) for spec in wanted.get(product_id, [])}
        == carried.get(product_id, set())
        for product_id in ids
    ):
        return
    phrase_ids = _phrase_ids(spec for specs in wanted.values() for spec in specs)
    new = {
        (phrase_ids[(spec.kind, spec.key)], product_id)
        for product_id, specs in wanted.items()
        for spec in specs
        if (spec.kind, spec.key) in phrase_ids
    }
    removed = sorted(old[pair] for pair in old.keys() - new)
    added = sorted(new - old.keys())
    for chunk in _chunks(removed):
        SearchPhraseProduct.objects.filter(id__in=chunk).delete()
    # A product reindexed twice at once fails here in one of the two transactions, rather
    # than counting its phrases twice.
    _insert(SearchPhraseProduct, ("phrase_id", "product_id"), added, skip_existing=False)
    delta: Counter[int] = Counter()
    for phrase_id, _product_id in added:
        delta[phrase_id] += 1
    for phrase_id, _product_id in old.keys() - new:
        delta[phrase_id] -= 1
    by_change: dict[int, list[int]] = defaultdict(list)
    for phrase_id, change in delta.items():
        if change:
            by_change[change].append(phrase_id)
    # Locked in id order first: the updates below go by change, and two writers (projection
    # workers, a parallel rebuild) counting the same phrases in two orders would deadlock.
    # SQLite has one writer at a time and no row locks.
    if connection.features.has_select_for_update:
        changed = sorted(phrase for phrases in by_change.values() for phrase in phrases)
        for chunk in _chunks(changed):
            list(
                SearchPhrase.objects.select_for_update()
                .filter(id__in=chunk)
                .order_by("id")
                .values_list("id", flat=True)
            )
    for change, phrases in sorted(by_change.items()):
        for chunk in _chunks(sorted(phrases)):
            SearchPhrase.objects.filter(id__in=chunk).update(
                product_count=F("product_count") + change
            )
            SearchPhraseTerm.objects.filter(phrase_id__in=chunk).update(
                product_count=F("product_count") + change
            )


def recount_phrases() -> None:
    """Every phrase's count from its products, and phrases no product carries forgotten:
    the end of a rebuild, which also repairs any count a failed write left behind."""
    carried = SearchPhraseProduct.objects.filter(phrase_id=OuterRef("pk"))
    SearchPhrase.objects.filter(~Exists(carried)).delete()
    SearchPhrase.objects.update(
        product_count=Coalesce(
            Subquery(
                carried.order_by().values("phrase_id").annotate(total=Count("id")).values("total")
            ),
            0,
        )
    )
    SearchPhraseTerm.objects.update(
        product_count=Subquery(
            SearchPhrase.objects.filter(id=OuterRef("phrase_id")).values("product_count")[:1]
        )
    )
