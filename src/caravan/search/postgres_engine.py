"""The production engine: PostgreSQL full text over the narrow match table, pg_trgm for
typos (see search.backends and ADR 0004)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Expression, F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from caravan.kernel.statements import planned_each_time
from caravan.offers.models import ProductOfferSummary

from . import postgres_scan
from .analysis import MAX_QUERY_LENGTH
from .engine import (
    SUMMARY_TABLE,
    DocumentRow,
    PageRequest,
    Scan,
    TermGroup,
    Vocabulary,
    boolean_expression,
)
from .facets import FilterCondition, Selection


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


class PostgresBackend(Vocabulary):
    """tsvector @@ tsquery for matching, ts_rank (plus the language dictionaries' own view of
    the raw query) for the first-pass rank, pg_trgm on the vocabulary for typos."""

    name = "postgresql"
    copies_listings = True
    # Trigram similarity two words within one edit always reach, down to five letters with
    # a substitution in the middle; the candidates are then checked by edit distance.
    TRIGRAM_THRESHOLD = 0.2
    LANGUAGES = ("russian", "english", "german")

    def typo_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        with planned_each_time(), connection.cursor() as cursor:
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

    # Two edits leave a seven-letter word as few as two of its eight trigrams: the second
    # pass looks lower, among terms of a length two edits can reach.
    DISTANT_TRIGRAM_THRESHOLD = 0.1
    DISTANT_LIMIT = 500

    def distant_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        with planned_each_time(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(self.DISTANT_TRIGRAM_THRESHOLD)],
            )
            for lexeme in lexemes:
                cursor.execute(
                    "SELECT term FROM search_searchterm WHERE term %% %s "
                    "AND length(term) BETWEEN %s AND %s "
                    "ORDER BY similarity(term, %s) DESC, term LIMIT %s",
                    [lexeme, len(lexeme) - 2, len(lexeme) + 2, lexeme, self.DISTANT_LIMIT],
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
        # (migrations 0005-0008) holds a copy of the `simple` tsvector and of the listing
        # columns, upserted from both (never deleted and re-inserted: two writers of one
        # product would collide on its key). A product without a listing row leaves it.
        ids = sorted(set(product_ids))
        with connection.cursor() as cursor:
            self._number_keys(cursor, ids)
            cursor.execute(
                f"INSERT INTO search_match ({self.MATCH_COLUMNS}) "
                f"SELECT {self.LISTING_VALUES}, COALESCE(d.boost, 0), "
                "COALESCE(d.document, ''::tsvector) "
                f"FROM {SUMMARY_TABLE} s "
                "LEFT JOIN search_searchdocument d ON d.product_id = s.product_id "
                "WHERE s.product_id = ANY(%s) ORDER BY s.product_id "
                f"ON CONFLICT (product_id) DO UPDATE SET {self.LISTING_UPDATE}, "
                "boost = EXCLUDED.boost, document = EXCLUDED.document",
                [ids],
            )
            cursor.execute(
                "DELETE FROM search_match m WHERE m.product_id = ANY(%s) AND NOT EXISTS "
                f"(SELECT 1 FROM {SUMMARY_TABLE} s WHERE s.product_id = m.product_id)",
                [ids],
            )

    # The listing row's columns the match table copies (filters, facets, sorts).
    LISTING_COLUMNS = (
        "is_buyable",
        "category_id",
        "min_reference_price_amount",
        "fastest_delivery_days",
        "facet_keys",
        "seller_count",
        "landed_reference_amount",
        "product_created_at",
    )
    MATCH_COLUMNS = f"product_id, {', '.join(LISTING_COLUMNS)}, facet_ids, boost, document"
    # A row's facet keys as big-endian int4 ids (migration 0006): what the scan counts.
    FACET_IDS = (
        "(SELECT COALESCE(string_agg(int4send(f.id), ''::bytea), ''::bytea) "
        "FROM unnest(string_to_array(s.facet_keys, chr(10))) AS k(key) "
        "JOIN search_facetkey f ON f.key = k.key)"
    )
    # A listing row's columns (alias s) in MATCH_COLUMNS' order.
    LISTING_VALUES = (
        f"s.product_id, {', '.join(f's.{column}' for column in LISTING_COLUMNS)}, {FACET_IDS}"
    )
    LISTING_UPDATE = ", ".join(
        f"{column} = EXCLUDED.{column}" for column in (*LISTING_COLUMNS, "facet_ids")
    )

    @staticmethod
    def _number_keys(cursor: Any, product_ids: list[int]) -> None:
        # Only keys not numbered yet are offered (an insert that conflicts still spends an
        # id), in one order so that two writers never wait on each other crosswise.
        cursor.execute(
            "INSERT INTO search_facetkey (key) SELECT DISTINCT k.key "
            f"FROM {SUMMARY_TABLE} s, unnest(string_to_array(s.facet_keys, chr(10))) AS k(key) "
            "WHERE s.product_id = ANY(%s) AND k.key <> '' AND NOT EXISTS "
            "(SELECT 1 FROM search_facetkey f WHERE f.key = k.key) "
            "ORDER BY k.key ON CONFLICT (key) DO NOTHING",
            [product_ids],
        )

    def prune(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM search_match m WHERE NOT EXISTS (SELECT 1 FROM {SUMMARY_TABLE} s "
                "WHERE s.product_id = m.product_id)"
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
        "CREATE INDEX search_match_ordered_category ON search_match_ordered (category_id)",
        "DROP TABLE search_match",
        "ALTER TABLE search_match_ordered RENAME TO search_match",
        "ALTER INDEX search_match_ordered_pkey RENAME TO search_match_pkey",
        "ALTER INDEX search_match_ordered_gin RENAME TO search_match_gin",
        "ALTER INDEX search_match_ordered_category RENAME TO search_match_category",
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
        if connection.in_atomic_block:
            return
        # A rebuild rewrote every row these tables hold: without a vacuum the first searches
        # after it pay for the visibility checks (one benchmark run: p95 113 ms, 85 ms
        # after VACUUM). VACUUM cannot run inside a transaction, hence outside the above.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) search_match, search_searchdocument")

    @staticmethod
    def expression(groups: Sequence[TermGroup]) -> str:
        """A tsquery: every group, each an OR of lexemes (and a :* prefix)."""
        return boolean_expression(groups, lexeme="{}", prefix="{}:*", either=" | ", both=" & ")

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
        selection: Selection,
        top: int = 0,
        page: PageRequest | None = None,
    ) -> Scan:
        # One read of the narrow match table, no join: the listing columns are there. The
        # filters are evaluated and the rows aggregated on the server (search.postgres_scan).
        conditions = selection.filter_conditions()
        ranked = bool(groups) and top > 0
        expression = self.expression(groups) if groups else ""
        inner_select = [
            "product_id",
            "facet_ids AS keys",
            "min_reference_price_amount AS price",
            "fastest_delivery_days AS days",
            f"{self.RANK if ranked else '0.0::float8'} AS rank",
        ]
        ordered: tuple[str, int, int] | None = None
        if page is not None and not ranked:
            inner_select += ["seller_count", "landed_reference_amount", "product_created_at"]
            ordered = (self._order_by(page.order), page.offset, page.limit)
        where = ["is_buyable"]
        where_params: list[Any] = []
        if groups:
            where.append("document @@ to_tsquery('simple', %s)")
            where_params.append(expression)
        if category_ids:
            where.append("category_id = ANY(%s)")
            where_params.append(list(category_ids))
        scan = postgres_scan.statement(
            inner_select=inner_select,
            inner_params=[expression] if ranked else [],
            # Every listing row is there (search.projection), so category pages read it too:
            # in category order, a page's rows are a few hundred pages of it.
            table="search_match",
            where=where,
            where_params=where_params,
            conditions=conditions,
            condition_sql=[self._condition(condition) for condition in conditions],
            top=top if ranked else 0,
            page=ordered,
        )
        # Planned for these words and filters each time: one plan for every word would read
        # a common word's millions of rows the way it reads a rare word's dozen.
        with planned_each_time(), connection.cursor() as cursor:
            cursor.execute(scan.sql, scan.params)
            found = postgres_scan.decode(scan, cursor.fetchall(), cursor)
        return Scan(bucketed=found.bucketed, top=found.best, page=found.page)

    # The listing rows' sort fields as the scan's columns (the same NULL placement as the
    # ORM's ORDER BY on PostgreSQL: last ascending, first descending).
    SORT_COLUMNS = {
        "min_reference_price_amount": "price",
        "fastest_delivery_days": "days",
        "landed_reference_amount": "landed_reference_amount",
        "seller_count": "seller_count",
        "product_created_at": "product_created_at",
        "product_id": "product_id",
    }

    @classmethod
    def _order_by(cls, order: Sequence[str]) -> str:
        parts = []
        for field_name in order:
            descending = field_name.startswith("-")
            column = cls.SORT_COLUMNS[field_name.lstrip("-")]
            parts.append(f"{column} DESC" if descending else column)
        return ", ".join(parts)

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
