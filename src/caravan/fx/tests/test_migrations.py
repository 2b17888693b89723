import importlib
from datetime import UTC, date, datetime
from decimal import Decimal

from django.apps import apps

from caravan.fx.models import ExchangeRate

backfill = importlib.import_module("caravan.fx.migrations.0002_rate_date").backfill_rate_date


def test_existing_rates_get_the_moscow_day_they_were_recorded_on(db):
    # 22:30 UTC on 4 December is 01:30 on 5 December in Moscow.
    late = ExchangeRate.objects.create(
        base="CNY",
        quote="RUB",
        rate=Decimal("12.5"),
        source="demo",
        rate_date=date(2000, 1, 1),
        as_of=datetime(2026, 12, 4, 22, 30, tzinfo=UTC),
    )

    backfill(apps, None)

    late.refresh_from_db()
    assert late.rate_date == date(2026, 12, 5)
