"""From query text to term groups, and the relevance score both backends share.

Ranking runs in two passes. The engine's own rank (bm25 on SQLite, ts_rank on PostgreSQL,
each multiplied by the product's boost) picks the best RESCORE_WINDOW matches; this module
then scores those in Python from the same lexemes on either backend, so the order a buyer
sees does not depend on the engine. Matches past the window keep the engine's order.
ADR 0004 explains the weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .analysis import QueryWord, is_lexeme, query_words, within_one_edit
from .backends import SearchBackend, TermGroup

RESCORE_WINDOW = 200
MAX_CORRECTIONS = 8
# How many of a word's other spellings are typo-corrected when none of them is known.
CORRECTED_VARIANTS = 4

FIELD_WEIGHTS: Mapping[str, float] = {
    "name": 1.0,
    "brand": 0.9,
    "codes": 0.9,
    "category": 0.6,
    "attributes": 0.5,
}
EXACT, VARIANT, CORRECTED, PREFIX = 1.0, 0.9, 0.75, 0.7
OTHER_FIELDS_SHARE = 0.3
# A name made mostly of the query's words is what the buyer typed: up to 30% more.
NAME_COVERAGE_BONUS = 0.3


def plan_query(*, text: str, backend: SearchBackend) -> tuple[TermGroup, ...]:
    """The query as groups of lexemes the index knows: the word, its transliterations and
    synonyms, and, when none of those is known, the indexed terms one edit away."""
    words = query_words(text)
    if not words:
        return ()
    known = backend.known_terms({lexeme for word in words for lexeme in word.candidates()})
    to_correct: dict[str, list[str]] = {}
    for word in words:
        if word.correctable and not known.intersection(word.candidates()):
            to_correct[word.text] = _correctable_spellings(word)
    nearby = backend.typo_candidates(
        {lexeme for spellings in to_correct.values() for lexeme in spellings}
    )
    groups = []
    for word in words:
        corrected = sorted(
            {
                term
                for lexeme in to_correct.get(word.text, [])
                for term in nearby.get(lexeme, set())
                if term != lexeme and within_one_edit(lexeme, term)
            }
        )[:MAX_CORRECTIONS]
        exact = (word.lexeme,) if word.lexeme in known else ()
        variants = tuple(variant for variant in word.variants if variant in known)
        if not (exact or variants or corrected or word.prefix):
            # Nothing known stands for the word: it matches nothing, as typed.
            exact = (word.lexeme,)
        groups.append(
            TermGroup(
                word=word.text,
                exact=exact,
                variants=variants,
                corrected=tuple(corrected),
                prefix=word.prefix,
            )
        )
    return tuple(groups)


def _correctable_spellings(word: QueryWord) -> list[str]:
    spellings = [word.lexeme, *word.variants[:CORRECTED_VARIANTS]]
    return [
        spelling
        for spelling in dict.fromkeys(spellings)
        if spelling.isalpha() and len(spelling) >= 4 and is_lexeme(spelling)
    ]


def _group_weight(group: TermGroup, lexemes: set[str], prefixed: Iterable[str]) -> float:
    if lexemes.intersection(group.exact):
        return EXACT
    if lexemes.intersection(group.variants):
        return VARIANT
    if lexemes.intersection(group.corrected):
        return CORRECTED
    if group.prefix and any(lexeme.startswith(group.prefix) for lexeme in prefixed):
        return PREFIX
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
