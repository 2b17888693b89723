"""The two search engines behind one interface: SQLite FTS5 (embedded default) and
PostgreSQL full text with pg_trgm. Both receive the same analysed lexemes (search.analysis)
and answer the same boolean question (every query word, in one of its spellings), so they
match the same products; they differ only in how they find typo candidates and in the
first-pass rank that picks the rescoring window (search.ranking rescoring is shared).

Query expressions are assembled from lexemes that search.analysis guarantees to be letters
and digits only, and are passed as bound parameters: no user text reaches the SQL.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Expression, F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from caravan.offers.models import ProductOfferSummary

from .analysis import MAX_QUERY_LENGTH, deletes, is_lexeme
from .facets import FilterCondition
from .models import SearchTerm, SearchTermDelete

__all__ = [
    "MAX_QUERY_LENGTH",
    "PostgresBackend",
    "Scan",
    "ScanRow",
    "SearchBackend",
    "SqliteBackend",
    "TermGroup",
]

SUMMARY_TABLE = ProductOfferSummary._meta.db_table
# The name backend.ranked selects the first-pass rank as.
FIRST_PASS_RANK: str = "first_pass_rank"
_CHUNK = 500


@dataclass(frozen=True)
class TermGroup:
    """One query word: a product matches it if it holds any of the lexemes, or a lexeme
    starting with the prefix."""

    word: str
    exact: tuple[str, ...]
    variants: tuple[str, ...] = ()
    corrected: tuple[str, ...] = ()
    prefix: str | None = None

    def lexemes(self) -> tuple[str, ...]:
        # Rescoring asks for every document's every lexeme: worked out once per group.
        found: tuple[str, ...] | None = self.__dict__.get("_lexemes")
        if found is None:
            found = tuple(
                lexeme
                for lexeme in dict.fromkeys((*self.exact, *self.variants, *self.corrected))
                if is_lexeme(lexeme)
            )
            object.__setattr__(self, "_lexemes", found)
        return found

    def safe_prefix(self) -> str | None:
        return self.prefix if self.prefix and is_lexeme(self.prefix) else None


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

    def known_terms(self, lexemes: Collection[str]) -> set[str]: ...

    def typo_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]: ...

    def add_terms(self, lexemes: Collection[str]) -> None: ...

    def write_documents(self, *, product_ids: Sequence[int], rows: Sequence[DocumentRow]) -> None:
        """Replace the engine's rows of these products (a product without a row is removed)."""

    def prune(self) -> None:
        """Drop the engine's rows of products that have no search document any more."""

    def refresh_listings(self, product_ids: Sequence[int]) -> None:
        """Copy these products' listing columns into the engine's rows now, ahead of their
        reindexing (an engine that reads the listing rows themselves has nothing to do)."""

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
        conditions: Sequence[FilterCondition] = (),
    ) -> Scan:
        """Every buyable match (in the page's categories, if any; every buyable product when
        there are no groups) with its facet keys, price, delivery days and first-pass rank,
        unordered: one read answers the count, the facet counts and the relevance order of a
        listing. An engine that evaluates the filter conditions itself leaves out the rows
        failing two or more and says in the last column which one a row fails ("" none);
        otherwise that column is None."""

    def window_rank(self, text: str) -> Expression | None:
        """An addition to the first-pass rank, computed for a window's candidates only (as a
        SearchDocument annotation), or None."""


# product id, facet keys, reference price, fastest delivery days, first-pass rank, the
# filter the row fails ("" none, None: not evaluated by the engine)
ScanRow = tuple[int, str, Decimal | None, int | None, float, str | None]


@dataclass
class Scan:
    rows: list[ScanRow]
    # Per filter failed ("" none), the keys of those rows as one text, when the engine
    # joined them (the rows' own keys are then empty).
    joined_keys: dict[str, str] | None = None


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    chunk: list[str] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Vocabulary:
    def known_terms(self, lexemes: Collection[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(sorted(set(lexemes))):
            known |= set(SearchTerm.objects.filter(term__in=chunk).values_list("term", flat=True))
        return known

    def _new_terms(self, lexemes: Collection[str]) -> list[str]:
        wanted = {lexeme for lexeme in lexemes if is_lexeme(lexeme) and len(lexeme) <= 200}
        new = sorted(wanted - self.known_terms(wanted))
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term) for term in new], ignore_conflicts=True, batch_size=_CHUNK
        )
        return new


class SqliteBackend(_Vocabulary):
    """FTS5 for matching, bm25 for the first-pass rank, a SymSpell deletes table for typos."""

    name = "sqlite"
    # bm25 column weights in the FTS5 table's column order: name, brand, category,
    # attributes, codes.
    BM25 = "bm25(search_fts, 10.0, 6.0, 3.0, 2.0, 6.0)"

    def typo_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]:
        keys: dict[str, set[str]] = {}
        for lexeme in lexemes:
            for key in {lexeme, *deletes(lexeme)}:
                keys.setdefault(key, set()).add(lexeme)
        found: dict[str, set[str]] = {lexeme: set() for lexeme in lexemes}
        for chunk in _chunks(sorted(keys)):
            for variant, term in SearchTermDelete.objects.filter(variant__in=chunk).values_list(
                "variant", "term"
            ):
                for lexeme in keys[variant]:
                    found[lexeme].add(term)
            # A query word with one letter missing is itself a delete of the term, and a
            # term with one letter missing is one of the word's deletes.
            for term in SearchTerm.objects.filter(term__in=chunk).values_list("term", flat=True):
                for lexeme in keys[term]:
                    found[lexeme].add(term)
        return found

    def add_terms(self, lexemes: Collection[str]) -> None:
        new = self._new_terms(lexemes)
        SearchTermDelete.objects.bulk_create(
            [
                SearchTermDelete(variant=variant, term=term)
                for term in new
                if term.isalpha() and len(term) >= 4
                for variant in deletes(term)
            ],
            ignore_conflicts=True,
            batch_size=_CHUNK,
        )

    def write_documents(self, *, product_ids: Sequence[int], rows: Sequence[DocumentRow]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s",
                [(product_id,) for product_id in product_ids],
            )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, name, brand, category, attributes, codes) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        row.product_id,
                        row.name_terms,
                        row.brand_terms,
                        row.category_terms,
                        row.attribute_terms,
                        row.code_terms,
                    )
                    for row in rows
                ],
            )

    def prune(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid NOT IN "
                "(SELECT product_id FROM search_searchdocument)"
            )

    def refresh_listings(self, product_ids: Sequence[int]) -> None:
        return None

    def reorder(self) -> None:
        return None

    @staticmethod
    def expression(groups: Sequence[TermGroup]) -> str:
        """An FTS5 query: every group, each an OR of quoted lexemes (and a quoted prefix)."""
        parts = []
        for group in groups:
            alternatives = [f'"{lexeme}"' for lexeme in group.lexemes()]
            prefix = group.safe_prefix()
            if prefix:
                alternatives.append(f'"{prefix}"*')
            if not alternatives:
                # A word with no usable spelling matches nothing, like an unknown word.
                alternatives = ['"0x"']
            parts.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(parts)

    def matching(
        self, summaries: QuerySet[ProductOfferSummary], groups: Sequence[TermGroup]
    ) -> QuerySet[ProductOfferSummary]:
        return summaries.filter(
            product_id__in=RawSQL(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [self.expression(groups)]
            )
        )

    def ranked(
        self, summaries: QuerySet[ProductOfferSummary], groups: Sequence[TermGroup], text: str
    ) -> QuerySet[ProductOfferSummary]:
        # bm25 is negative, lower is better: a boost of 0.5 makes it half as negative again.
        return summaries.extra(
            select={"first_pass_rank": f"-{self.BM25} * (1 + search_searchdocument.boost)"},
            tables=["search_fts", "search_searchdocument"],
            where=[
                "search_fts MATCH %s",
                f"search_fts.rowid = {SUMMARY_TABLE}.product_id",
                f"search_searchdocument.product_id = {SUMMARY_TABLE}.product_id",
            ],
            params=[self.expression(groups)],
            order_by=["-first_pass_rank", f"{SUMMARY_TABLE}.product_id"],
        )

    def scan(
        self,
        groups: Sequence[TermGroup],
        *,
        category_ids: Sequence[int],
        conditions: Sequence[FilterCondition] = (),
    ) -> Scan:
        # The filters are left to search.facets' Python tests: at this engine's scale the
        # rows are few.
        summaries = ProductOfferSummary.objects.filter(is_buyable=True)
        if category_ids:
            summaries = summaries.filter(category_id__in=category_ids)
        if not groups:
            rows = summaries.values_list(
                "product_id", "facet_keys", "min_reference_price_amount", "fastest_delivery_days"
            )
            return Scan(rows=[(*row, 0.0, None) for row in rows])
        ranked = self.ranked(summaries, groups, "").order_by()
        return Scan(
            rows=[
                (*row, None)
                for row in ranked.values_list(
                    "product_id",
                    "facet_keys",
                    "min_reference_price_amount",
                    "fastest_delivery_days",
                    FIRST_PASS_RANK,
                )
            ]
        )

    def window_rank(self, text: str) -> Expression | None:
        return None


class _MatchedIds(Expression):
    """`product_id = ANY(ARRAY(SELECT product_id ... @@ tsquery))` as a filter condition,
    with the column resolved wherever Django aliases the table."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__()
        self.tsquery = tsquery
        self.column: Any = F("product_id")

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def resolve_expression(self, *args: Any, **kwargs: Any) -> _MatchedIds:
        resolved = self.copy()
        resolved.column = self.column.resolve_expression(*args, **kwargs)
        return resolved

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, params = compiler.compile(self.column)
        return (
            f"{column} = ANY(ARRAY(SELECT product_id FROM search_match "
            "WHERE document @@ to_tsquery('simple', %s)))",
            [*params, self.tsquery],
        )


class PostgresBackend(_Vocabulary):
    """tsvector @@ tsquery for matching, ts_rank (plus the language dictionaries' own view of
    the raw query) for the first-pass rank, pg_trgm on the vocabulary for typos."""

    name = "postgresql"
    # Trigram similarity two words within one edit always reach, down to five letters with
    # a substitution in the middle; the candidates are then checked by edit distance.
    TRIGRAM_THRESHOLD = 0.2
    LANGUAGES = ("russian", "english", "german")

    def typo_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(self.TRIGRAM_THRESHOLD)],
            )
            for lexeme in lexemes:
                cursor.execute(
                    "SELECT term FROM search_searchterm WHERE term %% %s "
                    "ORDER BY similarity(term, %s) DESC, term LIMIT 200",
                    [lexeme, lexeme],
                )
                found[lexeme] = {row[0] for row in cursor.fetchall()}
        return found

    def known_terms(self, lexemes: Collection[str]) -> set[str]:
        # A join with the array, which only the btree serves: `term IN (...)` was planned
        # on the trigram index when statistics were stale, 5 s for 500 terms.
        wanted = sorted({lexeme for lexeme in lexemes if len(lexeme) <= 200})
        if not wanted:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.term FROM search_searchterm t "
                "JOIN unnest(%s::text[]) AS wanted(term) ON t.term = wanted.term",
                [wanted],
            )
            return {row[0] for row in cursor.fetchall()}

    def add_terms(self, lexemes: Collection[str]) -> None:
        self._new_terms(lexemes)

    def write_documents(self, *, product_ids: Sequence[int], rows: Sequence[DocumentRow]) -> None:
        # The documents' tsvector columns are generated from their rows; the match table
        # (migration 0005) takes a copy of the `simple` one beside the listing columns.
        ids = sorted(set(product_ids))
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_match WHERE product_id = ANY(%s)", [ids])
            cursor.execute(
                "INSERT INTO search_match (product_id, is_buyable, category_id, "
                "min_reference_price_amount, fastest_delivery_days, boost, facet_keys, document) "
                "SELECT d.product_id, COALESCE(s.is_buyable, false), s.category_id, "
                "s.min_reference_price_amount, s.fastest_delivery_days, d.boost, "
                "COALESCE(s.facet_keys, ''), d.document "
                "FROM search_searchdocument d "
                f"LEFT JOIN {SUMMARY_TABLE} s ON s.product_id = d.product_id "
                "WHERE d.product_id = ANY(%s)",
                [ids],
            )

    def prune(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_match m WHERE NOT EXISTS "
                "(SELECT 1 FROM search_searchdocument d WHERE d.product_id = m.product_id)"
            )

    # The match table rewritten in category order, swapped in under the same names.
    REORDER = (
        # Writers (reindexing, listing refreshes) wait; searches go on until the swap.
        "LOCK TABLE search_match IN SHARE MODE",
        "CREATE TABLE search_match_ordered (LIKE search_match INCLUDING DEFAULTS)",
        "INSERT INTO search_match_ordered SELECT * FROM search_match "
        "ORDER BY category_id NULLS LAST, product_id",
        "ALTER TABLE search_match_ordered ADD CONSTRAINT search_match_ordered_pkey "
        "PRIMARY KEY (product_id)",
        "CREATE INDEX search_match_ordered_gin ON search_match_ordered USING gin (document)",
        "DROP TABLE search_match",
        "ALTER TABLE search_match_ordered RENAME TO search_match",
        "ALTER INDEX search_match_ordered_pkey RENAME TO search_match_pkey",
        "ALTER INDEX search_match_ordered_gin RENAME TO search_match_gin",
        "ANALYZE search_match",
    )

    def reorder(self) -> None:
        # A broad word is mostly one category's products: stored side by side they are a
        # few hundred pages to read instead of one page per match ("кроссовки", 10,953
        # matches: 9,302 pages and 42 ms, 1,336 pages and 11 ms). Rows written later are
        # appended, so the order holds until the next rebuild.
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in self.REORDER:
                cursor.execute(statement)

    def refresh_listings(self, product_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_match m SET is_buyable = s.is_buyable, "
                "category_id = s.category_id, "
                "min_reference_price_amount = s.min_reference_price_amount, "
                "fastest_delivery_days = s.fastest_delivery_days, facet_keys = s.facet_keys "
                f"FROM {SUMMARY_TABLE} s "
                "WHERE s.product_id = m.product_id AND m.product_id = ANY(%s)",
                [sorted(set(product_ids))],
            )

    @staticmethod
    def expression(groups: Sequence[TermGroup]) -> str:
        """A tsquery: every group, each an OR of lexemes (and a :* prefix)."""
        parts = []
        for group in groups:
            alternatives = list(group.lexemes())
            prefix = group.safe_prefix()
            if prefix:
                alternatives.append(f"{prefix}:*")
            if not alternatives:
                alternatives = ["0x"]
            parts.append("(" + " | ".join(alternatives) + ")")
        return " & ".join(parts)

    def matching(
        self, summaries: QuerySet[ProductOfferSummary], groups: Sequence[TermGroup]
    ) -> QuerySet[ProductOfferSummary]:
        # `= ANY(ARRAY(...))`, not `IN (...)`: the matches are looked up by primary key,
        # where IN became a hash join over every listing row (a 10,000-product match:
        # 75 ms instead of 150 ms at 300,000 products).
        return summaries.filter(_MatchedIds(self.expression(groups)))

    RANK = "ts_rank(search_match.document, to_tsquery('simple', %s)) * (1 + search_match.boost)"

    def ranked(
        self, summaries: QuerySet[ProductOfferSummary], groups: Sequence[TermGroup], text: str
    ) -> QuerySet[ProductOfferSummary]:
        expression = self.expression(groups)
        return summaries.extra(
            select={"first_pass_rank": self.RANK},
            select_params=[expression],
            tables=["search_match"],
            where=[
                f"search_match.product_id = {SUMMARY_TABLE}.product_id",
                "search_match.document @@ to_tsquery('simple', %s)",
            ],
            params=[expression],
            order_by=["-first_pass_rank", f"{SUMMARY_TABLE}.product_id"],
        )

    def scan(
        self,
        groups: Sequence[TermGroup],
        *,
        category_ids: Sequence[int],
        conditions: Sequence[FilterCondition] = (),
    ) -> Scan:
        # One read of the narrow match table, no join: the listing columns are there. The
        # filters are evaluated here (strpos in C, not a Python test per row), and rows
        # failing two of them, which count for nothing, never leave the server.
        inner_select = [
            "product_id",
            "facet_keys",
            "min_reference_price_amount",
            "fastest_delivery_days",
        ]
        select_params: list[Any] = []
        where = ["is_buyable"]
        where_params: list[Any] = []
        if groups:
            expression = self.expression(groups)
            inner_select.append(f"{self.RANK} AS rank")
            select_params.append(expression)
            where.append("document @@ to_tsquery('simple', %s)")
            where_params.append(expression)
        else:
            inner_select.append("0.0::float8 AS rank")
        if category_ids:
            where.append("category_id = ANY(%s)")
            where_params.append(list(category_ids))
        for number, condition in enumerate(conditions):
            sql, params = self._condition(condition)
            inner_select.append(f"{sql} AS t{number}")
            select_params += params
        # Without words, the listing rows themselves: a category page must not wait for
        # the index (a product listed before its first indexing, a rebuild under way).
        table = "search_match" if groups else SUMMARY_TABLE
        inner = f"SELECT {', '.join(inner_select)} FROM {table} WHERE {' AND '.join(where)}"
        if conditions:
            failed = " ".join(f"WHEN NOT t{number} THEN %s" for number in range(len(conditions)))
            misses = " + ".join(f"(NOT t{number})::int" for number in range(len(conditions)))
            rows = (
                "SELECT product_id, facet_keys, min_reference_price_amount, "
                f"fastest_delivery_days, rank, CASE {failed} ELSE '' END AS failed "
                f"FROM ({inner}) AS evaluated WHERE {misses} <= 1"
            )
            # The CASE's parameters come first in the statement.
            params = [
                *[condition.dimension for condition in conditions],
                *select_params,
                *where_params,
            ]
        else:
            rows = (
                "SELECT product_id, facet_keys, min_reference_price_amount, "
                f"fastest_delivery_days, rank, ''::text AS failed FROM ({inner}) AS evaluated"
            )
            params = [*select_params, *where_params]
        # The rows without their keys, then each bucket's keys as one text: sending and
        # decoding ten thousand texts and joining them again in Python cost more than
        # counting them.
        sql = (
            f"WITH matched AS MATERIALIZED ({rows}) "
            "SELECT product_id, '', min_reference_price_amount, fastest_delivery_days, rank, "
            "failed FROM matched UNION ALL "
            "SELECT NULL, string_agg(facet_keys, ''), NULL, NULL, NULL, failed "
            "FROM matched GROUP BY failed"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        joined = {row[5]: row[1] for row in found if row[0] is None}
        return Scan(rows=[row for row in found if row[0] is not None], joined_keys=joined)

    @staticmethod
    def _condition(condition: FilterCondition) -> tuple[str, list[Any]]:
        if condition.needles:
            return (
                "(" + " OR ".join("strpos(facet_keys, %s) > 0" for _ in condition.needles) + ")",
                list(condition.needles),
            )
        if condition.within_days is not None:
            return (
                "(fastest_delivery_days IS NOT NULL AND fastest_delivery_days <= %s)",
                [condition.within_days],
            )
        parts = ["min_reference_price_amount IS NOT NULL"]
        params: list[Any] = []
        if condition.price_min is not None:
            parts.append("min_reference_price_amount >= %s")
            params.append(condition.price_min)
        if condition.price_max is not None:
            parts.append("min_reference_price_amount <= %s")
            params.append(condition.price_max)
        return "(" + " AND ".join(parts) + ")", params

    def window_rank(self, text: str) -> Expression | None:
        # The language dictionaries see the raw query words (plainto_tsquery drops every
        # operator); a product they also recognise ranks a little higher. Computed for the
        # window's candidates only: over every match of a broad word it cost 60 ms.
        raw = text.replace("\x00", " ")[:MAX_QUERY_LENGTH]
        language_rank = " + ".join(
            f"0.3 * ts_rank(search_searchdocument.document_{language}, "
            f"plainto_tsquery('{language}', %s))"
            for language in self.LANGUAGES
        )
        return RawSQL(
            f"({language_rank}) * (1 + search_searchdocument.boost)",
            [raw] * len(self.LANGUAGES),
            output_field=FloatField(),
        )


def get_backend() -> SearchBackend:
    """SEARCH_BACKEND ("sqlite" or "postgresql") or, when empty, the database's vendor."""
    name = getattr(settings, "SEARCH_BACKEND", "") or connection.vendor
    if name == "postgresql":
        return PostgresBackend()
    if name == "sqlite":
        return SqliteBackend()
    raise ValueError(f"no search backend for {name!r}")


def popularity_boost(*, seller_count: int, offer_count: int, stock_quantity: int) -> float:
    """Sales stand-in (competing sellers, offers) and stock depth as one multiplier: a
    product six sellers carry ranks ~25% above an equal text match one seller carries."""
    return round(
        0.12 * math.log1p(seller_count)
        + 0.03 * math.log1p(offer_count)
        + 0.05 * min(1.0, math.log10(1 + max(stock_quantity, 0)) / 3),
        6,
    )
