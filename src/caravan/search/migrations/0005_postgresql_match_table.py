"""PostgreSQL only: a narrow table of what a search reads for every match (ADR 0004,
"The match table").

A broad word matches tens of thousands of products, and each match used to be a visit to a
1.5 KB search document plus a look-up of its listing row. search_match holds, per product,
only the weighted `simple` tsvector, the boost and a copy of the listing columns that
filters and facet counts read, so one GIN scan of a ~600-byte row answers the count, the
facets and the first-pass rank. The search documents' own `simple` GIN index is no longer
read and goes (the column stays: it is what the copy is made from).
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "CREATE TABLE search_match ("
    " product_id bigint PRIMARY KEY,"
    " is_buyable boolean NOT NULL DEFAULT false,"
    " category_id bigint,"
    " min_reference_price_amount numeric(14, 2),"
    " fastest_delivery_days smallint,"
    " boost double precision NOT NULL DEFAULT 0,"
    " facet_keys text NOT NULL DEFAULT '',"
    " document tsvector NOT NULL)",
    "INSERT INTO search_match (product_id, is_buyable, category_id, min_reference_price_amount,"
    " fastest_delivery_days, boost, facet_keys, document)"
    " SELECT d.product_id, COALESCE(s.is_buyable, false), s.category_id,"
    " s.min_reference_price_amount, s.fastest_delivery_days, d.boost,"
    " COALESCE(s.facet_keys, ''), d.document"
    " FROM search_searchdocument d"
    " LEFT JOIN offers_productoffersummary s ON s.product_id = d.product_id"
    # In the order searches read them (PostgresBackend.reorder).
    " ORDER BY s.category_id NULLS LAST, d.product_id",
    "CREATE INDEX search_match_gin ON search_match USING gin (document)",
    "DROP INDEX IF EXISTS search_document_gin",
    "ANALYZE search_match",
]
POSTGRESQL_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_document_gin ON search_searchdocument "
    "USING gin (document)",
    "DROP TABLE IF EXISTS search_match",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_phrase_term_counts"),
        ("offers", "0004_listing_facets"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
