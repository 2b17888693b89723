"""PostgreSQL only: the match table's facet keys as 4-byte ids (ADR 0004, "Facet key ids").

Counting the facet keys of a broad word's matches was most of a listing's time: ~130,000
key texts sent, split and hashed in Python for 11,000 matches. search_facetkey numbers every
key once; search_match.facet_ids holds a row's keys as big-endian int4s, which the scan
joins into one bytea per facet bucket and Python counts as integers. The text column stays:
the filters test it.
"""

from django.db import migrations

COLUMNS = (
    "product_id, is_buyable, category_id, min_reference_price_amount, fastest_delivery_days,"
    " boost, facet_keys, document"
)
POSTGRESQL_FORWARD = [
    "CREATE TABLE search_facetkey ("
    " id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " key text NOT NULL UNIQUE)",
    "INSERT INTO search_facetkey (key)"
    " SELECT DISTINCT k.key FROM search_match m,"
    " unnest(string_to_array(m.facet_keys, chr(10))) AS k(key)"
    " WHERE k.key <> '' ORDER BY k.key",
    # The table is rewritten, not updated, so that it keeps its category order.
    "CREATE TABLE search_match_next (LIKE search_match INCLUDING DEFAULTS)",
    "ALTER TABLE search_match_next ADD COLUMN facet_ids bytea NOT NULL DEFAULT ''",
    f"INSERT INTO search_match_next ({COLUMNS}, facet_ids)"
    f" SELECT {COLUMNS}, (SELECT COALESCE(string_agg(int4send(f.id), ''::bytea), ''::bytea)"
    " FROM unnest(string_to_array(m.facet_keys, chr(10))) AS k(key)"
    " JOIN search_facetkey f ON f.key = k.key)"
    " FROM search_match m ORDER BY category_id NULLS LAST, product_id",
    "DROP TABLE search_match",
    "ALTER TABLE search_match_next RENAME TO search_match",
    "ALTER TABLE search_match ADD CONSTRAINT search_match_pkey PRIMARY KEY (product_id)",
    "CREATE INDEX search_match_gin ON search_match USING gin (document)",
    "ANALYZE search_match",
    "ANALYZE search_facetkey",
]
POSTGRESQL_BACKWARD = [
    "ALTER TABLE search_match DROP COLUMN facet_ids",
    "DROP TABLE search_facetkey",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgresql_match_table")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
