"""The match table (migrations 0005-0008, raw DDL on PostgreSQL) becomes a model the ORM
knows (search.models.ListingMatch, ADR 0007): PostgreSQL keeps its table and indexes as
they are; other databases get an empty table of the same shape, so the schema the ORM
believes in is the one every database has."""

import django.contrib.postgres.search
from django.db import migrations, models


def _create_elsewhere(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.create_model(apps.get_model("search", "ListingMatch"))


def _drop_elsewhere(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.delete_model(apps.get_model("search", "ListingMatch"))


class Migration(migrations.Migration):
    dependencies = [("search", "0009_search_synonym")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ListingMatch",
                    fields=[
                        ("product_id", models.BigIntegerField(primary_key=True, serialize=False)),
                        ("is_buyable", models.BooleanField(default=False)),
                        ("category_id", models.BigIntegerField(null=True)),
                        (
                            "min_reference_price_amount",
                            models.DecimalField(decimal_places=2, max_digits=14, null=True),
                        ),
                        ("fastest_delivery_days", models.SmallIntegerField(null=True)),
                        ("boost", models.FloatField(default=0.0)),
                        ("facet_keys", models.TextField(default="")),
                        ("document", django.contrib.postgres.search.SearchVectorField()),
                        ("facet_ids", models.BinaryField(default=b"")),
                        ("seller_count", models.IntegerField(default=0)),
                        (
                            "landed_reference_amount",
                            models.DecimalField(decimal_places=2, max_digits=14, null=True),
                        ),
                        ("product_created_at", models.DateTimeField(null=True)),
                    ],
                    options={
                        "verbose_name": "listing match",
                        "verbose_name_plural": "listing matches",
                        "db_table": "search_match",
                    },
                )
            ]
        ),
        migrations.RunPython(_create_elsewhere, _drop_elsewhere),
    ]
