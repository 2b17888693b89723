"""What both search engines share: the query's term groups, a document's rows, the engine
interface (search.backends picks the engine) and the vocabulary tables."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.db.models import Expression, QuerySet

from caravan.offers.models import ProductOfferSummary

from .analysis import is_lexeme
from .facets import Bucketed, Selection
from .models import SearchTerm

SUMMARY_TABLE = ProductOfferSummary._meta.db_table
# The name backend.ranked selects the first-pass rank as.
FIRST_PASS_RANK: str = "first_pass_rank"
CHUNK = 500


@dataclass(frozen=True)
class TermGroup:
    """One query word: a product matches it if it holds any of the lexemes, or a lexeme
    starting with the prefix. related: what the operator's synonym table says the word also
    means (search.synonyms); distant: corrections two edits away."""

    word: str
    exact: tuple[str, ...]
    variants: tuple[str, ...] = ()
    corrected: tuple[str, ...] = ()
    prefix: str | None = None
    related: tuple[str, ...] = ()
    distant: tuple[str, ...] = ()

    def lexemes(self) -> tuple[str, ...]:
        return self._lexemes

    @cached_property
    def _lexemes(self) -> tuple[str, ...]:
        # Rescoring asks for every document's every lexeme: worked out once per group.
        return tuple(
            lexeme
            for lexeme in dict.fromkeys(
                (*self.exact, *self.variants, *self.related, *self.corrected, *self.distant)
            )
            if is_lexeme(lexeme)
        )

    def safe_prefix(self) -> str | None:
        return self.prefix if self.prefix and is_lexeme(self.prefix) else None


def boolean_expression(
    groups: Sequence[TermGroup],
    *,
    lexeme: str,
    prefix: str,
    either: str,
    both: str,
) -> str:
    """An engine's query text: every group (joined by `both`), each any of its lexemes or
    its prefix (joined by `either`). lexeme and prefix are format strings of one term; a
    word with no usable spelling matches nothing, like an unknown word."""
    parts = []
    for group in groups:
        alternatives = [lexeme.format(term) for term in group.lexemes()]
        safe_prefix = group.safe_prefix()
        if safe_prefix:
            alternatives.append(prefix.format(safe_prefix))
        if not alternatives:
            alternatives = [lexeme.format("0x")]
        parts.append("(" + either.join(alternatives) + ")")
    return both.join(parts)


@dataclass(frozen=True)
class DocumentRow:
    product_id: int
    name_terms: str
    brand_terms: str
    category_terms: str
    attribute_terms: str
    code_terms: str


class SearchBackend(Protocol):
    name: str
    # Whether the engine keeps its own copy of the listing rows, which its scans read
    # (PostgreSQL's match table) rather than the listing rows themselves.
    copies_listings: bool

    def known_terms(self, lexemes: Collection[str]) -> set[str]: ...

    def typo_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]: ...

    def distant_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]:
        """Vocabulary terms that may be two edits from each lexeme (checked by the caller
        with search.typos.edit_distance)."""

    def add_terms(self, lexemes: Collection[str]) -> None: ...

    def write_documents(self, *, product_ids: Sequence[int], rows: Sequence[DocumentRow]) -> None:
        """Write the engine's rows of these products, over whatever they held (a product
        without a listing row loses its rows)."""

    def prune(self) -> None:
        """Drop the engine's rows of products that have no search document any more."""

    def reorder(self) -> None:
        """After a rebuild: lay the engine's rows out in the order searches read them."""

    def matching(
        self, summaries: QuerySet[ProductOfferSummary], groups: Sequence[TermGroup]
    ) -> QuerySet[ProductOfferSummary]: ...

    def ranked(
        self, summaries: QuerySet[ProductOfferSummary], groups: Sequence[TermGroup], text: str
    ) -> QuerySet[ProductOfferSummary]:
        """The matches ordered by the first-pass rank, selected as `first_pass_rank`."""

    def scan(
        self,
        groups: Sequence[TermGroup],
        *,
        category_ids: Sequence[int],
        selection: Selection,
        top: int = 0,
        page: PageRequest | None = None,
    ) -> Scan:
        """One read of every buyable match (in the page's categories, if any; every buyable
        product when there are no groups), aggregated into the facet buckets of the
        selection (search.facets.Bucket), with the `top` best passing every filter by
        first-pass rank: it answers the count, the facet counts and the relevance order of a
        listing. With a page request (and no top), an engine may also return the ids of
        that page of the rows passing every filter in the requested order."""

    def window_rank(self, text: str) -> Expression | None:
        """An addition to the first-pass rank, computed for a window's candidates only (as a
        SearchDocument annotation), or None."""


@dataclass
class Scan:
    # The facet buckets and the prices the price ranges are made from.
    bucketed: Bucketed
    # (product id, first-pass rank) of the best passing rows, best first (ties: lower id).
    top: list[tuple[int, float]] = field(default_factory=list)
    # The requested page's product ids, in order, when the engine read them.
    page: list[int] | None = None


@dataclass(frozen=True)
class PageRequest:
    """A page of a listing in a sort order: the listing rows' field names as Django's
    order_by takes them ("-seller_count"), the rows to skip and how many to read."""

    order: tuple[str, ...]
    offset: int
    limit: int


def best_first(ranked: tuple[int, float]) -> tuple[float, int]:
    """The sort key of (product id, first-pass rank) pairs: best rank first, then lower id,
    as every engine's ranked query orders them."""
    product_id, rank = ranked
    return (-rank, product_id)


def chunks(values: Iterable[str]) -> Iterable[list[str]]:
    chunk: list[str] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Vocabulary:
    def known_terms(self, lexemes: Collection[str]) -> set[str]:
        known: set[str] = set()
        for chunk in chunks(sorted(set(lexemes))):
            known |= set(SearchTerm.objects.filter(term__in=chunk).values_list("term", flat=True))
        return known

    def _new_terms(self, lexemes: Collection[str]) -> list[str]:
        wanted = {lexeme for lexeme in lexemes if is_lexeme(lexeme) and len(lexeme) <= 200}
        new = sorted(wanted - self.known_terms(wanted))
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term) for term in new], ignore_conflicts=True, batch_size=CHUNK
        )
        return new
