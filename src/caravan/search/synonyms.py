"""The operator's synonym and hypernym table (SearchSynonym): writing it, reading it, and
what a query word is expanded with.

"A means the same as B" works both ways. "A is a kind of B" works downwards: a search for
"headphones" also finds what "earbuds" finds when earbuds are a kind of headphones, and
what "TWS" finds when TWS are a kind of earbuds; a search for "TWS" does not find every
pair of headphones. The expansions are worked out once for the whole table and held in the
cache until the table changes, so a query pays one cache read for them.

A Chinese word may be longer than the bigrams Chinese text is indexed as (运动鞋, 笔记本电脑):
a query run is then split at the table's words (search.cjk.segment) and each bigram of
such a word carries the word's expansions, so a product matches when it holds the whole
word or one of its synonyms (search.analysis.query_words).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound, ValidationFailed

from .analysis import QueryWord, document_lexemes, is_lexeme, tokenize
from .cjk import MAX_HAN_WORD, is_han
from .models import SearchSynonym

CACHE_KEY = "search:synonyms:v2"
CACHE_SECONDS = 300
# A token that changes whenever the table does: what a copy of a query's plan is kept under
# (search.selectors), so an operator's edit is searched with at once.
GENERATION_KEY = "search:synonyms:generation"
# How many steps of "is a kind of" a search walks down ("headphones" -> earbuds -> TWS).
MAX_DEPTH = 3
# Expansions kept per word: a broad word with a long list of kinds stays one short OR.
MAX_EXPANSIONS = 24

Relation = SearchSynonym.Relation


def word_lexeme(word: str) -> str:
    """The one lexeme a synonym's word is matched by, or a ValidationFailed that says why
    the word cannot be one (several words, a stop word, nothing but punctuation)."""
    tokens = tokenize(word)
    lexemes = document_lexemes(word)
    if len(tokens) != 1 or not lexemes:
        raise ValidationFailed(
            _("Enter one word (letters and digits, no spaces): %(word)s") % {"word": word},
            code="synonym_one_word",
        )
    if is_han(tokens[0]) and len(tokens[0]) > 2:
        # A longer Chinese word is its own lexeme here: the query is split at it, and its
        # bigrams carry its expansions (search.cjk.segment, search.analysis.query_words).
        if len(tokens[0]) > MAX_HAN_WORD:
            raise ValidationFailed(
                _("A Chinese word here has at most %(count)d characters: %(word)s")
                % {"count": MAX_HAN_WORD, "word": word},
                code="synonym_han_too_long",
            )
        return tokens[0]
    # A number with a unit ("128 GB") is indexed twice; it is the unit's form that counts.
    lexeme = lexemes[-1]
    if not is_lexeme(lexeme) or len(lexeme) > 64:
        raise ValidationFailed(
            _("Enter one word (letters and digits, no spaces): %(word)s") % {"word": word},
            code="synonym_one_word",
        )
    return lexeme


def _forget() -> None:
    cache.delete(CACHE_KEY)
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def generation() -> str:
    """The table's current generation (a new one after every edit)."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = secrets.token_hex(8)
        if not cache.add(GENERATION_KEY, token, timeout=None):
            token = cache.get(GENERATION_KEY) or token
    return str(token)


def _save(synonym: SearchSynonym, *, word: str, relation: str, other: str) -> SearchSynonym:
    if relation not in Relation.values:
        raise ValidationFailed(_("Choose a relation."), code="synonym_relation")
    word, other = " ".join(word.split()), " ".join(other.split())
    synonym.word, synonym.relation, synonym.other = word, relation, other
    synonym.word_lexeme = word_lexeme(word)
    synonym.other_lexeme = word_lexeme(other)
    if synonym.word_lexeme == synonym.other_lexeme:
        raise ValidationFailed(_("A word cannot be its own synonym."), code="synonym_same_word")
    duplicate = SearchSynonym.objects.filter(
        word_lexeme=synonym.word_lexeme, relation=relation, other_lexeme=synonym.other_lexeme
    ).exclude(pk=synonym.pk)
    if duplicate.exists():
        raise ValidationFailed(_("This pair is in the table already."), code="synonym_duplicate")
    try:
        with transaction.atomic():
            synonym.save()
    except IntegrityError as error:
        # Another operator saved the same pair meanwhile.
        raise ValidationFailed(
            _("This pair is in the table already."), code="synonym_duplicate"
        ) from error
    # Now and again once committed: a search in between may have cached the old table.
    _forget()
    transaction.on_commit(_forget)
    return synonym


@transaction.atomic
def create_synonym(*, word: str, relation: str, other: str) -> SearchSynonym:
    return _save(SearchSynonym(), word=word, relation=relation, other=other)


@transaction.atomic
def update_synonym(*, synonym_id: int, word: str, relation: str, other: str) -> SearchSynonym:
    synonym = get_synonym(synonym_id=synonym_id, for_update=True)
    return _save(synonym, word=word, relation=relation, other=other)


@transaction.atomic
def delete_synonym(*, synonym_id: int) -> None:
    get_synonym(synonym_id=synonym_id, for_update=True).delete()
    _forget()
    transaction.on_commit(_forget)


def get_synonym(*, synonym_id: int, for_update: bool = False) -> SearchSynonym:
    synonyms = SearchSynonym.objects.select_for_update() if for_update else SearchSynonym.objects
    synonym = synonyms.filter(pk=synonym_id).first()
    if synonym is None:
        raise NotFound(_("Synonym not found."))
    return synonym


def list_synonyms(*, text: str = "") -> QuerySet[SearchSynonym]:
    """The table in word order; with text, the rows either of whose words holds it."""
    synonyms = SearchSynonym.objects.order_by("word_lexeme", "relation", "other_lexeme", "id")
    text = " ".join(text.split())[:64]
    if text:
        synonyms = synonyms.filter(word__icontains=text) | synonyms.filter(other__icontains=text)
    return synonyms


def expansions(rows: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, ...]]:
    """For every lexeme of the table, the other lexemes a search for it also matches: its
    synonyms (both ways) and, down to MAX_DEPTH steps of "is a kind of", the kinds of it and
    their synonyms. rows: (word lexeme, relation, other lexeme)."""
    same: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for word, relation, other in rows:
        if relation == Relation.SAME:
            same[word].add(other)
            same[other].add(word)
        elif relation == Relation.KIND_OF:
            kinds[other].add(word)
    found: dict[str, tuple[str, ...]] = {}
    for start in sorted(set(same) | set(kinds)):
        reached: dict[str, None] = {}
        level = [start]
        for _depth in range(MAX_DEPTH + 1):
            # Synonyms of this level first: they mean the same thing at this level.
            level = list(
                dict.fromkeys([*level, *(s for term in level for s in sorted(same[term]))])
            )
            for term in level:
                reached.setdefault(term, None)
            level = [kind for term in level for kind in sorted(kinds[term]) if kind not in reached]
            if not level:
                break
        found[start] = tuple(term for term in reached if term != start)[:MAX_EXPANSIONS]
    return found


@dataclass(frozen=True)
class Table:
    # Every lexeme's expansions (see expansions()).
    expanding: Mapping[str, tuple[str, ...]]
    # The Chinese words of two characters or more that expand: what a query run is split by.
    han_words: frozenset[str]


def _table() -> Table:
    table: Table | None = cache.get(CACHE_KEY)
    if table is None:
        found = expansions(
            SearchSynonym.objects.values_list("word_lexeme", "relation", "other_lexeme")
        )
        table = Table(
            expanding=found,
            han_words=frozenset(
                lexeme
                for lexeme, related in found.items()
                if related and len(lexeme) >= 2 and is_han(lexeme)
            ),
        )
        cache.set(CACHE_KEY, table, CACHE_SECONDS)
    return table


def han_words() -> frozenset[str]:
    """The Chinese words a query is split by (search.cjk.segment)."""
    return _table().han_words


def expand(word: QueryWord) -> tuple[str, ...]:
    """The lexemes the operator's table adds to a query word (as typed or in another of its
    spellings), not yet checked against the vocabulary."""
    table = _table().expanding
    if not table:
        return ()
    if word.phrase:
        # A bigram of a longer Chinese word: the word's expansions, not the bigram's own.
        return table.get(word.phrase, ())[:MAX_EXPANSIONS]
    own = word.candidates()
    found: dict[str, None] = {}
    for lexeme in own:
        for related in table.get(lexeme, ()):
            if related not in own:
                found.setdefault(related, None)
    return tuple(found)[:MAX_EXPANSIONS]
