"""The marketplace default rule, so every order line always finds a rule."""

from decimal import Decimal

from django.db import migrations


def create_default_rule(apps, schema_editor):
    CommissionRule = apps.get_model("commissions", "CommissionRule")
    if not CommissionRule.objects.filter(
        category__isnull=True, seller__isnull=True, is_active=True
    ).exists():
        CommissionRule.objects.create(
            percent=Decimal("5.00"),
            minimum_fee_amount=Decimal("10.00"),
            minimum_fee_currency="RUB",
            note="Marketplace default",
        )


class Migration(migrations.Migration):
    dependencies = [("commissions", "0001_initial")]

    operations = [migrations.RunPython(create_default_rule, migrations.RunPython.noop)]
