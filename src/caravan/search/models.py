"""The search index: one document per product and the vocabulary of indexed lexemes.

The engine-specific parts live beside these tables and are made by vendor-guarded
migrations: on SQLite the FTS5 table `search_fts` (rowid = product id), on PostgreSQL the
tsvector columns of search_searchdocument (generated from the lexeme columns) with GIN
indexes, and a trigram index on the vocabulary.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caravan.catalog.models import Category, Product


class SearchDocument(models.Model):
    """What a product is found by, as analysed lexemes per field (search.analysis), plus the
    raw text per language for PostgreSQL's own dictionaries, and the ranking signals."""

    product = models.OneToOneField(
        Product, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    name_terms = models.TextField(blank=True)
    brand_terms = models.TextField(blank=True)
    category_terms = models.TextField(blank=True)
    attribute_terms = models.TextField(blank=True)
    code_terms = models.TextField(blank=True)
    text_ru = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    # Popularity, stock and rating folded into one multiplier of the text score (ADR 0004).
    boost = models.FloatField(default=0.0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"search document of product {self.product_id}"

    def fields(self) -> dict[str, list[str]]:
        return document_fields(
            name=self.name_terms,
            brand=self.brand_terms,
            codes=self.code_terms,
            category=self.category_terms,
            attributes=self.attribute_terms,
        )


# The columns document_fields reads, in its keyword order, for values_list.
DOCUMENT_FIELD_COLUMNS = (
    "name_terms",
    "brand_terms",
    "code_terms",
    "category_terms",
    "attribute_terms",
)


def document_fields(
    *, name: str, brand: str, codes: str, category: str, attributes: str
) -> dict[str, list[str]]:
    """A document's lexemes per field, as search.ranking scores them."""
    return {
        "name": name.split(),
        "brand": brand.split(),
        "codes": codes.split(),
        "category": category.split(),
        "attributes": attributes.split(),
    }


class SearchTerm(models.Model):
    """Every lexeme ever indexed: the vocabulary that query words are checked against and
    typos corrected to. Only grows between rebuilds; a stale term matches nothing."""

    term = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class SearchTermDelete(models.Model):
    """A vocabulary term with one letter deleted (SymSpell): a query word and a term within
    one edit share a row here, so typo candidates are one indexed lookup. Used on SQLite;
    PostgreSQL finds candidates with pg_trgm instead."""

    variant = models.CharField(max_length=200, db_index=True)
    term = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("search term delete")
        verbose_name_plural = _("search term deletes")
        constraints = [
            models.UniqueConstraint(fields=["variant", "term"], name="search_term_delete_unique")
        ]

    def __str__(self) -> str:
        return f"{self.variant} <- {self.term}"


class SearchPhrase(models.Model):
    """A phrase the search box offers as the buyer types (search.suggest): the head of a
    product name ("смартфон Vektor One"), a brand, a brand in its category ("Nordkap
    backpacks") or a category. Kept by search.phrases from the same indexing path as the
    documents; product_count is how many buyable products carry the phrase."""

    class Kind(models.TextChoices):
        QUERY = "query", _("query")
        BRAND = "brand", _("brand")
        CATEGORY = "category", _("category")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The folded text (a category's slug): two spellings that fold alike are one phrase.
    key = models.CharField(max_length=200)
    text = models.CharField(max_length=200)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    product_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search phrase")
        verbose_name_plural = _("search phrases")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="search_phrase_kind_key_unique")
        ]
        indexes = [models.Index(fields=["kind", "product_count"], name="search_phrase_popular")]

    def __str__(self) -> str:
        return self.text


class SearchPhraseTerm(models.Model):
    """The lexemes of a phrase (search.analysis), so that the words a buyer has typed so far
    find phrases in any order, transliterated, corrected or as a prefix. The phrase's count
    is repeated here so that the most popular phrases holding a term (or a term's prefix)
    are read from one index, without visiting the phrases."""

    term = models.CharField(max_length=200)
    phrase = models.ForeignKey(SearchPhrase, on_delete=models.CASCADE, related_name="terms")
    product_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search phrase term")
        verbose_name_plural = _("search phrase terms")
        constraints = [
            models.UniqueConstraint(fields=["phrase", "term"], name="search_phrase_term_unique")
        ]
        indexes = [
            # PostgreSQL serves `term LIKE 'prefix%'` from a pattern-ops index (the other
            # databases ignore opclasses; SQLite reads the prefix as a range).
            models.Index(
                fields=["term", "product_count", "phrase"],
                name="search_phrase_term_popular",
                opclasses=["varchar_pattern_ops", "int4_ops", "int8_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} -> {self.phrase_id}"


class SearchPhraseProduct(models.Model):
    """A buyable product carrying a phrase: what its product_count counts, and what a
    product's reindexing takes back before it adds its new phrases."""

    phrase = models.ForeignKey(SearchPhrase, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("search phrase product")
        verbose_name_plural = _("search phrase products")
        constraints = [
            models.UniqueConstraint(
                fields=["phrase", "product"], name="search_phrase_product_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phrase_id} <- {self.product_id}"


class SearchSynonym(models.Model):
    """A word the operator says means the same as another ("TWS" and "true-wireless"), or
    names a kind of another ("кеды" are a kind of "обувь"): a search for a word also finds
    what its synonyms and, through any chain of them, the kinds of it are found by
    (search.synonyms). Both sides are single words; word_lexeme and other_lexeme are their
    analysed forms, what queries are matched by."""

    class Relation(models.TextChoices):
        SAME = "same", _("means the same as")
        KIND_OF = "kind_of", _("is a kind of")

    word = models.CharField(_("word"), max_length=64)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    other = models.CharField(_("other word"), max_length=64)
    word_lexeme = models.CharField(max_length=64, editable=False)
    other_lexeme = models.CharField(max_length=64, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        constraints = [
            models.UniqueConstraint(
                fields=["word_lexeme", "relation", "other_lexeme"],
                name="search_synonym_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(word_lexeme=models.F("other_lexeme")),
                name="search_synonym_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.word} {self.get_relation_display()} {self.other}"


class ListingMatch(models.Model):
    """PostgreSQL's match table (ADR 0004, "The match table"): per product, the listing
    columns filters, facets and sorts read, the facet keys as int4 ids and the weighted
    `simple` tsvector, in one narrow row under a GIN index. Written only by
    search.projection, in the transaction that writes the listing row it copies (ADR 0007).

    Made by raw migrations 0005-0008 on PostgreSQL, before the ORM knew it; its GIN and
    category indexes are theirs. The SQLite engine reads the listing rows and FTS5 instead,
    so there the table stays empty."""

    product_id = models.BigIntegerField(primary_key=True)
    is_buyable = models.BooleanField(default=False)
    category_id = models.BigIntegerField(null=True)
    min_reference_price_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    fastest_delivery_days = models.SmallIntegerField(null=True)
    boost = models.FloatField(default=0.0)
    facet_keys = models.TextField(default="")
    document = SearchVectorField()
    facet_ids = models.BinaryField(default=b"")
    seller_count = models.IntegerField(default=0)
    landed_reference_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    product_created_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "search_match"
        verbose_name = _("listing match")
        verbose_name_plural = _("listing matches")

    def __str__(self) -> str:
        return f"match row of product {self.product_id}"


class PendingProjection(models.Model):
    """A product whose listing must be projected again (ADR 0007, amended): written by the
    dispatcher in the transaction that changed the product, deleted by the drain that
    projected it (search.pending). Append-only until drained: a second change of one product
    adds a second row rather than updating the first, so a writer never waits for a
    drainer's lock, and a change committed while a drain runs keeps its own row for the
    next drain. `product_id` is no foreign key: a deleted product's row must survive, so the
    drain removes its engine rows."""

    id = models.BigAutoField(primary_key=True)
    product_id = models.BigIntegerField(db_index=True)
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pending projection")
        verbose_name_plural = _("pending projections")

    def __str__(self) -> str:
        return f"projection of product {self.product_id} pending since {self.queued_at}"
