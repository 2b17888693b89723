"""The import rules and VAT rates of customs.rule_data, so a fresh database quotes at once.
A later change of law adds its entries to rule_data and a migration like this one."""

from django.db import migrations


def load(apps, schema_editor):
    from caravan.customs.rule_data import IMPORT_RULES, VAT_RATES
    from caravan.customs.services import upsert_rows

    upsert_rows(
        apps.get_model("customs", "ImportRule"),
        IMPORT_RULES,
        keys=("destination", "regime", "effective_from"),
    )
    upsert_rows(apps.get_model("customs", "VatRate"), VAT_RATES, keys=("country", "effective_from"))


class Migration(migrations.Migration):
    dependencies = [("customs", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
