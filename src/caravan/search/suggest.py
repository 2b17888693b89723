"""What the search box offers as the buyer types, and the way out of an empty result.

Both read the query the way a search does (search.ranking.plan_query: transliterations,
synonyms, typos one edit away), so a suggestion never promises what the search would not
find. Completions come from the phrases search.phrases keeps (product-name heads, brands,
brands in their categories), found by their lexemes in a few indexed look-ups; categories
are a short list held in the cache for a minute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q

from caravan.catalog.events import CatalogTextChanged
from caravan.catalog.models import Category, CategoryTranslation
from caravan.catalog.translations import buyer_language
from caravan.kernel.i18n import localized
from caravan.offers.models import ProductOfferSummary

from .analysis import (
    MAX_QUERY_LENGTH,
    STOP_WORDS,
    document_lexemes,
    script,
    to_cyrillic,
    to_latin,
    tokenize,
)
from .backends import SearchBackend, TermGroup, get_backend
from .models import SearchPhrase, SearchPhraseTerm
from .ranking import dead_words, plan_query, starts_with, switch_dead_chunks
from .selectors import delivers_to, list_featured
from .typos import switch_layout

SUGGEST_LIMIT = 6
CATEGORY_LIMIT = 4
# Text shorter than this gets no suggestions: one letter matches half the catalog.
MIN_SUGGEST_LENGTH = 2
# Phrases read per keystroke, most popular first, before the final ordering in Python.
CANDIDATES = 40
# Term rows counted per word to choose the word whose phrases are read (the rarest).
DRIVER_CAP = 2000
# A phrase that starts the way the buyer's text starts counts as this many times as many
# products: "nordkap" offers "Nordkap Urban" before "рюкзак для ноутбука Nordkap".
LEADING_MATCH = 2
# How many spellings of the word being typed are looked up as prefixes.
PREFIX_SPELLINGS = 2
CATEGORY_CACHE_KEY = "search:suggest:categories:v2"
CATEGORY_CACHE_SECONDS = 60
# Relaxed queries counted per way of relaxing (each is a count by the search engine).
MAX_RELAXED_TRIES = 4
RELAXED_LIMIT = 3
POPULAR_LIMIT = 6
POPULAR_CACHE_KEY = "search:suggest:popular:v1"
POPULAR_CACHE_SECONDS = 300


@dataclass(frozen=True)
class QuerySuggestion:
    """A query to offer. count: for a completion, the buyable products whose names carry
    the phrase (what orders completions; a search for it may find more); for a corrected or
    relaxed query, what the search finds."""

    text: str
    count: int
    # Words of the buyer's text a relaxed query leaves out.
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class CategorySuggestion:
    slug: str
    name_ru: str
    name_en: str
    count: int
    parent_name_ru: str = ""
    parent_name_en: str = ""
    # The operator's names in the other languages, (language, name): a Chinese buyer's
    # suggestions and no-results chips read 耳机, not the English column.
    names: tuple[tuple[str, str], ...] = ()
    parent_names: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return dict(self.names).get(buyer_language()) or localized(self, "name")

    @property
    def parent_name(self) -> str:
        return dict(self.parent_names).get(buyer_language()) or localized(self, "parent_name")


@dataclass(frozen=True)
class Suggestions:
    text: str
    queries: tuple[QuerySuggestion, ...] = ()
    categories: tuple[CategorySuggestion, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.queries or self.categories)


@dataclass(frozen=True)
class NoResultsHelp:
    text: str
    # The text with a mistyped word or keyboard layout put right ("Did you mean ...").
    corrected: QuerySuggestion | None = None
    # The text without the words that leave nothing to find.
    relaxed: tuple[QuerySuggestion, ...] = ()
    # Products the text finds in the whole catalog without filters: the listing was empty
    # because of its category or filters.
    everywhere_count: int = 0
    categories: tuple[CategorySuggestion, ...] = ()
    # The liveliest products, when nothing the buyer typed leads anywhere.
    popular: tuple[ProductOfferSummary, ...] = field(default=())


# --- categories ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _CategoryEntry:
    suggestion: CategorySuggestion
    lexemes: frozenset[str]
    is_top_level: bool
    position: int


def _category_entries() -> list[_CategoryEntry]:
    """Every category with its buyable product count (its subcategories' included) and the
    lexemes of its names, from the cache: a short list every keystroke reads."""
    entries: list[_CategoryEntry] | None = cache.get(CATEGORY_CACHE_KEY)
    if entries is None:
        counts = dict(
            SearchPhrase.objects.filter(kind=SearchPhrase.Kind.CATEGORY).values_list(
                "category_id", "product_count"
            )
        )
        categories = list(Category.objects.all())
        by_id = {category.id: category for category in categories}
        translated: dict[int, list[tuple[str, str]]] = {}
        for category_id, language, name in CategoryTranslation.objects.order_by(
            "language"
        ).values_list("category_id", "language", "name"):
            translated.setdefault(category_id, []).append((language, name))
        entries = []
        for position, category in enumerate(categories):
            parent = by_id.get(category.parent_id) if category.parent_id else None
            names = tuple(translated.get(category.id, []))
            entries.append(
                _CategoryEntry(
                    suggestion=CategorySuggestion(
                        slug=category.slug,
                        name_ru=category.name_ru,
                        name_en=category.name_en,
                        count=counts.get(category.id, 0),
                        parent_name_ru=parent.name_ru if parent else "",
                        parent_name_en=parent.name_en if parent else "",
                        names=names,
                        parent_names=tuple(translated.get(parent.id, [])) if parent else (),
                    ),
                    lexemes=frozenset(
                        document_lexemes(category.name_ru)
                        + document_lexemes(category.name_en)
                        + [lexeme for _language, name in names for lexeme in document_lexemes(name)]
                    ),
                    is_top_level=parent is None,
                    position=position,
                )
            )
        cache.set(CATEGORY_CACHE_KEY, entries, CATEGORY_CACHE_SECONDS)
    return entries


@dataclass(frozen=True)
class _Word:
    """One group of the query as a test on a lexeme: one of its spellings, or a prefix."""

    lexemes: frozenset[str]
    prefixes: tuple[str, ...]

    def matches(self, lexeme: str) -> bool:
        return lexeme in self.lexemes or lexeme.startswith(self.prefixes)


def _words(groups: Sequence[TermGroup], prefixes: Sequence[Sequence[str]]) -> list[_Word]:
    return [
        _Word(frozenset(group.lexemes()), tuple(group_prefixes))
        for group, group_prefixes in zip(groups, prefixes, strict=True)
    ]


def _matching_categories(
    groups: Sequence[TermGroup], prefixes: Sequence[Sequence[str]], *, limit: int
) -> tuple[CategorySuggestion, ...]:
    """Categories named by any of the words, those named by more of them first, then the
    larger ones."""
    words = _words(groups, prefixes)
    found = []
    for entry in _category_entries():
        if not entry.suggestion.count:
            continue
        matched = sum(1 for word in words if any(map(word.matches, entry.lexemes)))
        if matched:
            found.append((-matched, -entry.suggestion.count, entry.position, entry.suggestion))
    return tuple(suggestion for *_key, suggestion in sorted(found)[:limit])


def top_level_categories() -> tuple[CategorySuggestion, ...]:
    return tuple(
        entry.suggestion
        for entry in _category_entries()
        if entry.is_top_level and entry.suggestion.count
    )


# --- completions ---------------------------------------------------------------------------


def _last_word_prefixes(group: TermGroup) -> list[str]:
    """The word being typed as the start of a lexeme: as typed, in the other script
    ("kross" -> "кросс") and as its stem."""
    word = group.word
    spellings = [word]
    if word.isalpha():
        if script(word) == "latin":
            spellings += to_cyrillic(word)[:PREFIX_SPELLINGS]
        elif script(word) == "cyrillic":
            spellings += to_latin(word)[:PREFIX_SPELLINGS]
    if group.prefix:
        spellings.append(group.prefix)
    return [spelling for spelling in dict.fromkeys(spellings) if spelling]


def _term_condition(group: TermGroup, prefixes: Sequence[str]) -> Q:
    condition = Q(term__in=group.lexemes())
    for prefix in prefixes:
        condition |= starts_with(prefix)
    return condition


def _planned(text: str, backend: SearchBackend) -> tuple[tuple[TermGroup, ...], list[list[str]]]:
    """The query's groups, and per group the prefixes it also matches (the last word's)."""
    groups = plan_query(text=text, backend=backend)
    prefixes: list[list[str]] = [[] for _group in groups]
    if groups:
        prefixes[-1] = _last_word_prefixes(groups[-1])
    return groups, prefixes


def suggest(
    text: str, *, limit: int = SUGGEST_LIMIT, category_limit: int = CATEGORY_LIMIT
) -> Suggestions:
    """Phrases completing the text, the most products first (a phrase starting as the
    text does counts LEADING_MATCH times), and the categories its words name."""
    text = " ".join(text[: MAX_QUERY_LENGTH * 4].split())[:MAX_QUERY_LENGTH]
    if len(text) < MIN_SUGGEST_LENGTH or not tokenize(text):
        return Suggestions(text=text)
    groups, prefixes = _planned(text, get_backend())
    if not groups:
        return Suggestions(text=text)
    candidates = _candidates(
        [
            _term_condition(group, group_prefixes)
            for group, group_prefixes in zip(groups, prefixes, strict=True)
        ]
    )
    categories = _matching_categories(groups, prefixes, limit=category_limit)
    return Suggestions(
        text=text,
        queries=_ordered(candidates, groups=groups, prefixes=prefixes, limit=limit),
        categories=categories,
    )


def _capped_count(condition: Q) -> int:
    return SearchPhraseTerm.objects.filter(condition, product_count__gt=0)[:DRIVER_CAP].count()


def _candidates(conditions: list[Q]) -> list[tuple[str, int]]:
    """The most popular phrases holding a term of every group. One group's terms are read
    from the (term, product_count) index, most products first; the others are checked
    phrase by phrase. The group with the fewest terms (counted up to DRIVER_CAP) is the one
    read: "nike кр" reads the phrases with "nike", not every phrase with a word in "кр"."""
    if len(conditions) > 1:
        sizes = [_capped_count(condition) for condition in conditions]
        conditions = [
            conditions[index] for index in sorted(range(len(sizes)), key=sizes.__getitem__)
        ]
    driving, *others = conditions
    rows = SearchPhraseTerm.objects.filter(driving, product_count__gt=0)
    for condition in others:
        rows = rows.filter(
            Exists(SearchPhraseTerm.objects.filter(condition, phrase_id=OuterRef("phrase_id")))
        )
    # A phrase holding two of the group's terms comes twice.
    found = rows.order_by("-product_count", "phrase_id").values_list("phrase_id", "product_count")[
        : CANDIDATES * 2
    ]
    counts = dict(found)
    ids = list(counts)[:CANDIDATES]
    texts = dict(SearchPhrase.objects.filter(id__in=ids).values_list("id", "text"))
    return [(texts[phrase_id], counts[phrase_id]) for phrase_id in ids if phrase_id in texts]


def _ordered(
    candidates: Iterable[tuple[str, int]],
    *,
    groups: Sequence[TermGroup],
    prefixes: Sequence[Sequence[str]],
    limit: int,
) -> tuple[QuerySuggestion, ...]:
    scored = []
    seen: set[frozenset[str]] = set()
    first = _words(groups[:1], prefixes[:1])[0]
    for position, (text, count) in enumerate(candidates):
        lexemes = document_lexemes(text)
        # "Nordkap backpacks" and "backpacks Nordkap" would find the same products.
        if not lexemes or frozenset(lexemes) in seen:
            continue
        seen.add(frozenset(lexemes))
        leading = first.matches(lexemes[0])
        score = count * (LEADING_MATCH if leading else 1)
        scored.append((-score, len(text), position, QuerySuggestion(text=text, count=count)))
    return tuple(suggestion for *_key, suggestion in sorted(scored)[:limit])


# --- no results ----------------------------------------------------------------------------


class _Counter:
    """Buyable products a text or a set of word groups finds, each counted once."""

    def __init__(self, backend: SearchBackend, *, country: str = "") -> None:
        self.backend = backend
        # Only what a seller delivers to the buyer's country, as the listing shows by default.
        self.country = country
        self._counts: dict[tuple[TermGroup, ...], int] = {}

    def groups(self, groups: Sequence[TermGroup]) -> int:
        key = tuple(groups)
        if not key:
            return 0
        if key not in self._counts:
            summaries = ProductOfferSummary.objects.filter(is_buyable=True)
            if self.country:
                summaries = summaries.filter(delivers_to(self.country))
            self._counts[key] = self.backend.matching(summaries, key).count()
        return self._counts[key]

    def text(self, text: str) -> int:
        return self.groups(plan_query(text=text, backend=self.backend))


def _without(text: str, dropped: set[str]) -> str:
    """The buyer's text without the dropped words (and stop words left dangling at either
    end); a chunk holding a dropped word among others keeps the others, folded."""
    kept = []
    for chunk in text.split():
        tokens = tokenize(chunk)
        if any(token in dropped for token in tokens):
            chunk = " ".join(token for token in tokens if token not in dropped)
        if chunk:
            kept.append(chunk)
    while kept and all(token in STOP_WORDS for token in tokenize(kept[0])):
        kept.pop(0)
    while kept and all(token in STOP_WORDS for token in tokenize(kept[-1])):
        kept.pop()
    return " ".join(kept)


def _corrected(text: str, dead: set[str], counter: _Counter) -> QuerySuggestion | None:
    """The text with each chunk made of unknown words retyped on the other keyboard layout,
    when that finds something."""
    corrected = switch_dead_chunks(text, dead)
    if corrected is None:
        return None
    count = counter.text(corrected)
    return QuerySuggestion(text=corrected, count=count) if count else None


def _relaxed(
    text: str, groups: Sequence[TermGroup], dead: set[str], counter: _Counter
) -> tuple[QuerySuggestion, ...]:
    """Fewer words that find something: without the unknown words; else without one of the
    words; else single words ("nike adidas samsung" is three searches). At most
    MAX_RELAXED_TRIES of each kind are counted, each as the text shown, so that the link
    finds what it promises."""
    alive = [group.word for group in groups if group.word not in dead]
    stages: list[list[set[str]]] = []
    if dead and alive:
        stages.append([dead])
    if len(alive) > 1:
        stages.append([{word, *dead} for word in alive[-MAX_RELAXED_TRIES:]])
    if len(alive) > 2:
        everything = {group.word for group in groups}
        stages.append([everything - {word} for word in alive[:MAX_RELAXED_TRIES]])
    options: dict[str, QuerySuggestion] = {}
    for stage in stages:
        for dropped in stage:
            relaxed = _without(text, dropped)
            if not relaxed or relaxed in options:
                continue
            count = counter.text(relaxed)
            if count:
                words = tuple(group.word for group in groups if group.word in dropped)
                options[relaxed] = QuerySuggestion(text=relaxed, count=count, dropped=words)
        if options:
            # The fewest words lost that find something; no need to lose more.
            break
    return tuple(sorted(options.values(), key=lambda option: -option.count)[:RELAXED_LIMIT])


def _popular(country: str = "") -> tuple[ProductOfferSummary, ...]:
    """The liveliest products (the home page's shelf) delivered to the country, their ids
    held in the cache: sorting every listing row by its sellers is no work for each empty
    search."""
    key = f"{POPULAR_CACHE_KEY}:{country}"
    ids: list[int] | None = cache.get(key)
    if ids is None:
        ids = [
            summary.product_id for summary in list_featured(limit=POPULAR_LIMIT, country=country)
        ]
        cache.set(key, ids, POPULAR_CACHE_SECONDS)
    found = {
        summary.product_id: summary
        for summary in ProductOfferSummary.objects.filter(
            product_id__in=ids, is_buyable=True
        ).select_related("product", "best_offer", "best_offer__seller")
    }
    return tuple(found[product_id] for product_id in ids if product_id in found)


def _plain_prefixes(groups: Sequence[TermGroup]) -> list[list[str]]:
    """The prefixes the search itself matches (the last word's stem, when long enough)."""
    return [[prefix] if (prefix := group.safe_prefix()) else [] for group in groups]


def forget_categories(event: CatalogTextChanged) -> None:
    """A category's name changed in some language: the next keystroke reads the new one."""
    cache.delete(CATEGORY_CACHE_KEY)


def alternatives_for_no_results(
    text: str, *, category_ids: Sequence[int] = (), country: str = ""
) -> NoResultsHelp:
    """Ways on from a search that found nothing: the whole catalog without filters if the
    text finds something there, else a corrected and relaxed queries, the categories the
    words name, and when none of that leads anywhere the top-level categories and the most
    popular products. category_ids: the category the empty listing was restricted to.
    country: only count and show what is delivered there (the storefront's default filter;
    empty: everything)."""
    text = " ".join(text[: MAX_QUERY_LENGTH * 4].split())[:MAX_QUERY_LENGTH]
    backend = get_backend()
    groups = plan_query(text=text, backend=backend)
    counter = _Counter(backend, country=country)
    categories = _matching_categories(groups, _plain_prefixes(groups), limit=CATEGORY_LIMIT)
    everywhere = counter.groups(groups)
    if everywhere:
        return NoResultsHelp(text=text, everywhere_count=everywhere, categories=categories)
    dead = dead_words(groups, backend)
    corrected = _corrected(text, dead, counter)
    if corrected is not None:
        fixed = plan_query(text=corrected.text, backend=backend)
        categories = _matching_categories(fixed, _plain_prefixes(fixed), limit=CATEGORY_LIMIT)
    relaxed = _relaxed(text, groups, dead, counter) if corrected is None else ()
    if corrected or relaxed or categories:
        return NoResultsHelp(text=text, corrected=corrected, relaxed=relaxed, categories=categories)
    return NoResultsHelp(
        text=text,
        categories=top_level_categories(),
        popular=_popular(country),
    )


__all__ = [
    "CategorySuggestion",
    "NoResultsHelp",
    "QuerySuggestion",
    "Suggestions",
    "alternatives_for_no_results",
    "suggest",
    "switch_layout",
    "top_level_categories",
]
