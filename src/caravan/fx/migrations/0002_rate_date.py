"""Rates carry the day their source published them for (`rate_date`).

Existing rows get the day of `as_of` in the marketplace time zone: before feeds, a rate was
recorded on the day it applied. Where one source recorded a pair several times on one day,
only the newest row (the one `latest_rates` was already answering with) is kept, so that the
one-rate-per-source-and-day constraint can hold; orders keep their own copy of the rate.
"""

from django.db import migrations, models
from django.utils import timezone

import caravan.fx.models


def backfill_rate_date(apps, schema_editor):
    ExchangeRate = apps.get_model("fx", "ExchangeRate")
    seen: set[tuple[str, str, str, object]] = set()
    superseded: list[int] = []
    for rate in ExchangeRate.objects.order_by("-as_of", "-id").iterator():
        day = timezone.localdate(rate.as_of)
        key = (rate.base, rate.quote, rate.source, day)
        if key in seen:
            superseded.append(rate.id)
            continue
        seen.add(key)
        rate.rate_date = day
        rate.save(update_fields=["rate_date"])
    ExchangeRate.objects.filter(id__in=superseded).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("fx", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="exchangerate",
            options={
                "ordering": ["-rate_date", "-as_of"],
                "verbose_name": "exchange rate",
                "verbose_name_plural": "exchange rates",
            },
        ),
        migrations.RemoveConstraint(
            model_name="exchangerate",
            name="fx_rate_unique",
        ),
        migrations.AddField(
            model_name="exchangerate",
            name="rate_date",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(backfill_rate_date, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="exchangerate",
            name="rate_date",
            field=models.DateField(default=caravan.fx.models.recording_day),
        ),
        migrations.AlterField(
            model_name="exchangerate",
            name="rate",
            field=models.DecimalField(decimal_places=14, max_digits=24),
        ),
        migrations.AddIndex(
            model_name="exchangerate",
            index=models.Index(fields=["quote", "base", "-rate_date"], name="fx_rate_latest"),
        ),
        migrations.AddConstraint(
            model_name="exchangerate",
            constraint=models.UniqueConstraint(
                fields=("base", "quote", "source", "rate_date"), name="fx_rate_unique_per_day"
            ),
        ),
    ]
