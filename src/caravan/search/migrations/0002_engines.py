"""The engine-specific half of the index, made only on the database vendor that has it:
an FTS5 table on SQLite; tsvector columns, GIN indexes and pg_trgm on PostgreSQL."""

from django.db import migrations

SQLITE_FORWARD = [
    # Lexemes are pre-analysed in Python (search.analysis): the tokenizer only splits on
    # spaces and must not fold anything further (remove_diacritics 0 keeps й apart from и).
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "name, brand, category, attributes, codes, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The shared lexemes, weighted per field (A name, B brand and codes, C category,
    # D attributes), through the `simple` configuration so PostgreSQL keeps them as they are.
    "ALTER TABLE search_searchdocument ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', name_terms), 'A') || "
    "setweight(to_tsvector('simple', brand_terms || ' ' || code_terms), 'B') || "
    "setweight(to_tsvector('simple', category_terms), 'C') || "
    "setweight(to_tsvector('simple', attribute_terms), 'D')) STORED",
    # The raw text through PostgreSQL's own language dictionaries: a ranking signal that
    # follows the query's language (see ADR 0004).
    "ALTER TABLE search_searchdocument ADD COLUMN document_russian tsvector "
    "GENERATED ALWAYS AS (to_tsvector('russian', text_ru)) STORED",
    "ALTER TABLE search_searchdocument ADD COLUMN document_english tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', text_en)) STORED",
    "ALTER TABLE search_searchdocument ADD COLUMN document_german tsvector "
    "GENERATED ALWAYS AS (to_tsvector('german', text_en)) STORED",
    "CREATE INDEX search_document_gin ON search_searchdocument USING gin (document)",
    "CREATE INDEX search_document_russian_gin ON search_searchdocument "
    "USING gin (document_russian)",
    "CREATE INDEX search_document_english_gin ON search_searchdocument "
    "USING gin (document_english)",
    "CREATE INDEX search_document_german_gin ON search_searchdocument "
    "USING gin (document_german)",
    "CREATE INDEX search_term_trigram ON search_searchterm USING gin (term gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_trigram",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS document, "
    "DROP COLUMN IF EXISTS document_russian, DROP COLUMN IF EXISTS document_english, "
    "DROP COLUMN IF EXISTS document_german",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
