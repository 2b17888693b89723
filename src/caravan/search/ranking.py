"""From query text to term groups, and the relevance score both backends share.

Ranking runs in two passes. The engine's own rank (bm25 on SQLite, ts_rank on PostgreSQL,
each multiplied by the product's boost) picks the best RESCORE_WINDOW matches; this module
then scores those in Python from the same lexemes on either backend, so the order a buyer
sees does not depend on the engine. Matches past the window keep the engine's order.
ADR 0004 explains the weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import connection
from django.db.models import Q

from .analysis import QueryWord, is_lexeme, query_words, tokenize, within_one_edit
from .backends import SearchBackend, TermGroup
from .models import SearchTerm
from .synonyms import expand, han_words
from .typos import edit_distance, switch_layout, typo_cost

RESCORE_WINDOW = 200
MAX_CORRECTIONS = 8
# How many of a word's other spellings are typo-corrected when none of them is known.
CORRECTED_VARIANTS = 4
# Two typos are corrected in words this long that have no term one edit away, when the
# cheapest correction costs at most this (search.typos: two slips on neighbouring keys or
# sound-alike letters cost 1, one of them elsewhere 1.5); and only in the word's own
# spelling and its first transliteration, each of which costs a few thousand look-ups.
TWO_TYPOS_MIN_LETTERS = 7
TWO_TYPOS_MAX_COST = 1.5
DISTANT_SPELLINGS = 2

FIELD_WEIGHTS: Mapping[str, float] = {
    "name": 1.0,
    "brand": 0.9,
    "codes": 0.9,
    "category": 0.6,
    "attributes": 0.5,
}
EXACT, VARIANT, RELATED, CORRECTED, PREFIX, DISTANT = 1.0, 0.9, 0.8, 0.75, 0.7, 0.6
OTHER_FIELDS_SHARE = 0.3
# A name made mostly of the query's words is what the buyer typed: up to 30% more.
NAME_COVERAGE_BONUS = 0.3


def plan_query(*, text: str, backend: SearchBackend) -> tuple[TermGroup, ...]:
    """The query as groups of lexemes the index knows: the word, its transliterations and
    synonyms (the built-in ones and the operator's, search.synonyms), and, when none of
    those is known, the indexed terms one edit away, or for a long word with none, the
    cheapest ones two edits away (search.typos)."""
    words = query_words(text, han_words=han_words())
    if not words:
        return ()
    related = {word.text: expand(word) for word in words}
    known = backend.known_terms(
        {lexeme for word in words for lexeme in (*word.candidates(), *related[word.text])}
    )
    to_correct: dict[str, list[str]] = {}
    for word in words:
        if word.correctable and not known.intersection((*word.candidates(), *related[word.text])):
            to_correct[word.text] = _correctable_spellings(word)
    nearby = backend.typo_candidates(
        {lexeme for spellings in to_correct.values() for lexeme in spellings}
    )
    corrected = {
        word: _corrections(spellings, nearby, edits=1) for word, spellings in to_correct.items()
    }
    to_stretch = {
        word: spellings[:DISTANT_SPELLINGS]
        for word, spellings in to_correct.items()
        if not corrected[word] and len(word) >= TWO_TYPOS_MIN_LETTERS
    }
    far = (
        backend.distant_candidates(
            {lexeme for spellings in to_stretch.values() for lexeme in spellings}
        )
        if to_stretch
        else {}
    )
    distant = {
        word: _corrections(spellings, far, edits=2) for word, spellings in to_stretch.items()
    }
    groups = []
    for word in words:
        exact = (word.lexeme,) if word.lexeme in known else ()
        variants = tuple(variant for variant in word.variants if variant in known)
        meant = tuple(lexeme for lexeme in related[word.text] if lexeme in known)
        fixed = corrected.get(word.text, ())
        far_fixed = distant.get(word.text, ())
        if not (exact or variants or meant or fixed or far_fixed or word.prefix):
            # Nothing known stands for the word: it matches nothing, as typed.
            exact = (word.lexeme,)
        groups.append(
            TermGroup(
                word=word.text,
                exact=exact,
                variants=variants,
                corrected=fixed,
                prefix=word.prefix,
                related=meant,
                distant=far_fixed,
            )
        )
    return tuple(groups)


def _corrections(
    spellings: Sequence[str], candidates: Mapping[str, set[str]], *, edits: int
) -> tuple[str, ...]:
    """The candidates exactly `edits` edits from one of the spellings, cheapest first (a
    neighbouring key or a sound-alike letter costs half). One edit keeps them all unless
    some are such likely slips: then only those ("красва" is краска, a key away, not
    красная, whose н is across the keyboard, which would add every red product). Two edits
    keep only the cheapest, and only when it is mostly such likely slips."""
    costs: dict[str, float] = {}
    for spelling in spellings:
        for term in candidates.get(spelling, set()):
            if term == spelling:
                continue
            if edits == 1 and not within_one_edit(spelling, term):
                continue
            if edits == 2 and edit_distance(spelling, term) != 2:
                continue
            cost = typo_cost(spelling, term)
            costs[term] = min(cost, costs.get(term, cost))
    if edits == 1 and any(cost < 1.0 for cost in costs.values()):
        costs = {term: cost for term, cost in costs.items() if cost < 1.0}
    if edits == 2:
        cheapest = min(costs.values(), default=0.0)
        if cheapest > TWO_TYPOS_MAX_COST:
            return ()
        costs = {term: cost for term, cost in costs.items() if cost == cheapest}
    ordered = sorted(costs, key=lambda term: (costs[term], term))
    return tuple(ordered[:MAX_CORRECTIONS])


def _correctable_spellings(word: QueryWord) -> list[str]:
    spellings = [word.lexeme, *word.variants[:CORRECTED_VARIANTS]]
    return [
        spelling
        for spelling in dict.fromkeys(spellings)
        if spelling.isalpha() and len(spelling) >= 4 and is_lexeme(spelling)
    ]


def starts_with(prefix: str) -> Q:
    """`term` starting with the prefix, in a form the term's index serves."""
    condition = Q(term__startswith=prefix)
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case and so cannot use the index; the range can.
        condition &= Q(term__gte=prefix, term__lt=prefix + "\U0010ffff")
    return condition


def dead_words(groups: Sequence[TermGroup], backend: SearchBackend) -> set[str]:
    """The words no indexed lexeme stands for, in any spelling or correction."""
    dead = set()
    for group in groups:
        if backend.known_terms(group.lexemes()):
            continue
        prefix = group.safe_prefix()
        if not (prefix and SearchTerm.objects.filter(starts_with(prefix)).exists()):
            dead.add(group.word)
    return dead


def switch_dead_chunks(text: str, dead: set[str]) -> str | None:
    """The text with each chunk made only of dead words retyped on the other keyboard layout
    ("rhjccjdrb" is "кроссовки"), or None when no chunk changes."""
    if not dead:
        return None
    chunks = []
    changed = False
    for chunk in text.split():
        tokens = tokenize(chunk)
        if tokens and all(token in dead for token in tokens):
            switched = switch_layout(chunk)
            if tokenize(switched) and set(tokenize(switched)) != set(tokens):
                chunk, changed = switched, True
        chunks.append(chunk)
    return " ".join(chunks) if changed else None


def _group_weight(group: TermGroup, lexemes: set[str], prefixed: Iterable[str]) -> float:
    if lexemes.intersection(group.exact):
        return EXACT
    if lexemes.intersection(group.variants):
        return VARIANT
    if lexemes.intersection(group.related):
        return RELATED
    if lexemes.intersection(group.corrected):
        return CORRECTED
    if group.prefix and any(lexeme.startswith(group.prefix) for lexeme in prefixed):
        return PREFIX
    if lexemes.intersection(group.distant):
        return DISTANT
    return 0.0


def _matches(group: TermGroup, lexeme: str) -> bool:
    return lexeme in group.lexemes() or bool(group.prefix and lexeme.startswith(group.prefix))


def text_score(*, groups: Sequence[TermGroup], fields: Mapping[str, list[str]]) -> float:
    """Per query word the best field it matched in (times how exactly it matched) and a
    share of the others, averaged over the words, plus a bonus for how much of the name the
    query covers."""
    if not groups:
        return 0.0
    field_sets = {field: set(lexemes) for field, lexemes in fields.items()}
    total = 0.0
    for group in groups:
        weights = sorted(
            (
                FIELD_WEIGHTS.get(field, 0.0) * _group_weight(group, lexemes, lexemes)
                for field, lexemes in field_sets.items()
            ),
            reverse=True,
        )
        # The best field counts whole; a word found again in another field (a laptop's
        # name and its category both say "laptop") adds a little: it is what the product
        # is, not something it merely mentions (a backpack for laptops).
        total += weights[0] + OTHER_FIELDS_SHARE * sum(weights[1:]) if weights else 0.0
    name = fields.get("name", [])
    covered = sum(1 for lexeme in name if any(_matches(group, lexeme) for group in groups))
    coverage = covered / len(name) if name else 0.0
    return total / len(groups) * (1 + NAME_COVERAGE_BONUS * coverage)


def rescore(
    *,
    groups: Sequence[TermGroup],
    documents: Mapping[int, tuple[Mapping[str, list[str]], float]],
    product_ids: Sequence[int],
) -> list[int]:
    """product_ids ordered by text score times (1 + boost), ties by product id."""

    def key(product_id: int) -> tuple[float, int]:
        fields, boost = documents.get(product_id, ({}, 0.0))
        return (-round(text_score(groups=groups, fields=fields) * (1 + boost), 9), product_id)

    return sorted(product_ids, key=key)
