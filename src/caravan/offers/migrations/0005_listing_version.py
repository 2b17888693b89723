from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("offers", "0004_listing_facets")]

    operations = [
        # The names were copied for the sellers' catalog lookup, which reads the product.
        migrations.RemoveField(model_name="productoffersummary", name="search_text"),
        migrations.AddField(
            model_name="productoffersummary",
            name="detail_signature",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="productoffersummary",
            name="version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
    ]
