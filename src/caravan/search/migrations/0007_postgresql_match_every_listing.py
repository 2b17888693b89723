"""PostgreSQL only: a match-table row for every listing row (ADR 0004, "Category pages").

Category pages used to read the listing rows themselves, which lie in product order: a
category's 26,000 rows were 13,000 pages to visit, and their keys came as text. The match
table now holds every listing row (a product not indexed yet has an empty document), so
category pages read it in category order, by a category index, with key ids.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "INSERT INTO search_facetkey (key)"
    " SELECT DISTINCT k.key FROM offers_productoffersummary s,"
    " unnest(string_to_array(s.facet_keys, chr(10))) AS k(key)"
    " WHERE k.key <> '' AND NOT EXISTS (SELECT 1 FROM search_facetkey f WHERE f.key = k.key)"
    " ORDER BY k.key",
    "INSERT INTO search_match (product_id, is_buyable, category_id, min_reference_price_amount,"
    " fastest_delivery_days, facet_keys, facet_ids, boost, document)"
    " SELECT s.product_id, s.is_buyable, s.category_id, s.min_reference_price_amount,"
    " s.fastest_delivery_days, s.facet_keys,"
    " (SELECT COALESCE(string_agg(int4send(f.id), ''::bytea), ''::bytea)"
    " FROM unnest(string_to_array(s.facet_keys, chr(10))) AS k(key)"
    " JOIN search_facetkey f ON f.key = k.key), 0, ''::tsvector"
    " FROM offers_productoffersummary s"
    " WHERE NOT EXISTS (SELECT 1 FROM search_match m WHERE m.product_id = s.product_id)",
    "DELETE FROM search_match m WHERE NOT EXISTS"
    " (SELECT 1 FROM offers_productoffersummary s WHERE s.product_id = m.product_id)",
    "CREATE INDEX search_match_category ON search_match (category_id)",
    "ANALYZE search_match",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS search_match_category"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_postgresql_facet_key_ids")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
