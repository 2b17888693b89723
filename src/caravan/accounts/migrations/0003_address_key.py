"""Address.key: one row per distinct address and user. Existing rows get their key, and
rows that turn out to be the same address as an older one are removed (nothing refers to
an address row: orders copy the address they ship to)."""

import hashlib
import re

from django.db import migrations, models


def _words(text):
    folded = text.casefold().replace("ё", "е")
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def _key(address):
    # A copy of accounts.addresses.address_key as it was when this migration was written.
    parts = (
        _words(address.full_name),
        re.sub(r"\D", "", address.phone),
        address.country.strip().upper(),
        _words(address.city),
        re.sub(r"[\W_]", "", address.postal_code).upper(),
        _words(address.street),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def fill_keys(apps, schema_editor):
    Address = apps.get_model("accounts", "Address")
    seen = set()
    duplicates = []
    for address in Address.objects.order_by("user_id", "created_at", "id").iterator():
        key = _key(address)
        if (address.user_id, key) in seen:
            duplicates.append(address.id)
            continue
        seen.add((address.user_id, key))
        address.key = key
        address.save(update_fields=["key"])
    Address.objects.filter(id__in=duplicates).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_preferred_currency")]

    operations = [
        migrations.AddField(
            model_name="address",
            name="key",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="address",
            constraint=models.UniqueConstraint(
                fields=("user", "key"), name="address_once_per_user"
            ),
        ),
    ]
