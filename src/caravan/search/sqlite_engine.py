"""The embedded engine: SQLite FTS5 for matching, bm25 for the first-pass rank, a SymSpell
deletes table for typos (see search.backends)."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Sequence

from django.db import connection
from django.db.models import Expression, QuerySet
from django.db.models.expressions import RawSQL

from caravan.offers.models import ProductOfferSummary

from .analysis import deletes
from .engine import (
    CHUNK,
    FIRST_PASS_RANK,
    SUMMARY_TABLE,
    DocumentRow,
    PageRequest,
    Scan,
    TermGroup,
    Vocabulary,
    best_first,
    boolean_expression,
    chunks,
)
from .facets import Selection, bucket_rows
from .models import SearchTerm, SearchTermDelete
from .typos import cheap_edits


class SqliteBackend(Vocabulary):
    """FTS5 for matching, bm25 for the first-pass rank, a SymSpell deletes table for typos."""

    name = "sqlite"
    copies_listings = False
    # bm25 column weights in the FTS5 table's column order: name, brand, category,
    # attributes, codes.
    BM25 = "bm25(search_fts, 10.0, 6.0, 3.0, 2.0, 6.0)"

    def typo_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]:
        keys: dict[str, set[str]] = {}
        for lexeme in lexemes:
            for key in {lexeme, *deletes(lexeme)}:
                keys.setdefault(key, set()).add(lexeme)
        return self._terms_sharing(keys, lexemes)

    def distant_candidates(self, lexemes: Collection[str]) -> dict[str, set[str]]:
        # A term two edits away that a buyer plausibly meant (search.ranking accepts at most
        # one edit at full cost) is one edit from one of the lexeme's half-cost neighbours:
        # their SymSpell keys (a few hundred for a long word) in the same look-ups.
        keys: dict[str, set[str]] = {}
        for lexeme in lexemes:
            for neighbour in cheap_edits(lexeme):
                for key in {neighbour, *deletes(neighbour)}:
                    keys.setdefault(key, set()).add(lexeme)
        return self._terms_sharing(keys, lexemes)

    @staticmethod
    def _terms_sharing(keys: dict[str, set[str]], lexemes: Collection[str]) -> dict[str, set[str]]:
        # Plain statements: a two-edit look-up has hundreds of keys, and the ORM's handling
        # of a list that long cost more than the look-up itself.
        found: dict[str, set[str]] = {lexeme: set() for lexeme in lexemes}
        with connection.cursor() as cursor:
            for chunk in chunks(keys):
                marks = ", ".join(["%s"] * len(chunk))
                # A query word with one letter missing is itself a delete of the term, and
                # a term with one letter missing is one of the word's deletes.
                cursor.execute(
                    f"SELECT variant, term FROM {SearchTermDelete._meta.db_table} "
                    f"WHERE variant IN ({marks}) UNION ALL "
                    f"SELECT term, term FROM {SearchTerm._meta.db_table} WHERE term IN ({marks})",
                    [*chunk, *chunk],
                )
                for key, term in cursor.fetchall():
                    for lexeme in keys[key]:
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
            batch_size=CHUNK,
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

    def reorder(self) -> None:
        return None

    @staticmethod
    def expression(groups: Sequence[TermGroup]) -> str:
        """An FTS5 query: every group, each an OR of quoted lexemes (and a quoted prefix)."""
        return boolean_expression(
            groups, lexeme='"{}"', prefix='"{}"*', either=" OR ", both=" AND "
        )

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
        selection: Selection,
        top: int = 0,
        page: PageRequest | None = None,
    ) -> Scan:
        # The filters are left to search.facets' Python tests, and the page to the
        # listing's own query: at this engine's scale the rows are few.
        summaries = ProductOfferSummary.objects.filter(is_buyable=True)
        if category_ids:
            summaries = summaries.filter(category_id__in=category_ids)
        columns = ("facet_keys", "min_reference_price_amount", "fastest_delivery_days")
        if not groups:
            rows = list(summaries.values_list(*columns))
            return Scan(bucketed=bucket_rows(rows, selection=selection)[0])
        ranked = self.ranked(summaries, groups, "").order_by()
        found = list(ranked.values_list("product_id", FIRST_PASS_RANK, *columns))
        bucketed, passed = bucket_rows([row[2:] for row in found], selection=selection)
        best = heapq.nsmallest(top, (found[index][:2] for index in passed), key=best_first)
        return Scan(bucketed=bucketed, top=best)

    def window_rank(self, text: str) -> Expression | None:
        return None
