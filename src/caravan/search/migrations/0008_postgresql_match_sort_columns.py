"""PostgreSQL only: the match table also holds what listings sort by (ADR 0004, "Category
pages"): sellers, landed price and the product's creation time, beside the price and the
delivery days it had. A listing's page then comes from the scan that counts its facets,
read in category order, instead of a second read of the listing rows in product order.
"""

from django.db import migrations

COLUMNS = (
    "product_id, is_buyable, category_id, min_reference_price_amount, fastest_delivery_days,"
    " boost, facet_keys, document, facet_ids"
)
POSTGRESQL_FORWARD = [
    # Rewritten, not updated, so that the table keeps its category order.
    "CREATE TABLE search_match_next (LIKE search_match INCLUDING DEFAULTS)",
    "ALTER TABLE search_match_next ADD COLUMN seller_count integer NOT NULL DEFAULT 0,"
    " ADD COLUMN landed_reference_amount numeric(14, 2),"
    " ADD COLUMN product_created_at timestamp with time zone",
    f"INSERT INTO search_match_next ({COLUMNS}, seller_count, landed_reference_amount,"
    " product_created_at)"
    f" SELECT {', '.join(f'm.{column.strip()}' for column in COLUMNS.split(','))},"
    " s.seller_count, s.landed_reference_amount, s.product_created_at"
    " FROM search_match m JOIN offers_productoffersummary s ON s.product_id = m.product_id"
    " ORDER BY m.category_id NULLS LAST, m.product_id",
    "DROP TABLE search_match",
    "ALTER TABLE search_match_next RENAME TO search_match",
    "ALTER TABLE search_match ADD CONSTRAINT search_match_pkey PRIMARY KEY (product_id)",
    "CREATE INDEX search_match_gin ON search_match USING gin (document)",
    "CREATE INDEX search_match_category ON search_match (category_id)",
    "ANALYZE search_match",
]
POSTGRESQL_BACKWARD = [
    "ALTER TABLE search_match DROP COLUMN seller_count, DROP COLUMN landed_reference_amount,"
    " DROP COLUMN product_created_at",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgresql_match_every_listing")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
